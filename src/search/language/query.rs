//! The query language (see `zhnews search --help`):
//!
//! ```text
//! 援疆 教育                    both (AND is the default)
//! 援疆 OR 援藏                 either
//! 教育 -招生   教育 NOT 招生     without
//! (援疆 OR 援藏) 教育          grouping
//! "人民银行"                   exact string (substring semantics, whitespace-insensitive)
//! "北京 新规"~5                both within 5 characters, in order
//! NEAR/5(北京 新规)            the same
//! title:脱贫  body:"乡村振兴"  source:新华网  author:张晓明  section:国内新闻
//! published:[2020-01-01 TO 2020-12-31]   published:[2020 TO *]
//! ```
//!
//! Two ways to read it. [`Syntax::Lenient`] (the default, for text people type and bots
//! pass on) never fails: an unbalanced quote or bracket, a stray `-` or `OR`, an unknown
//! `field:` are read as text, as Elasticsearch's `simple_query_string` does, and each
//! repair is reported as a warning. [`Syntax::Strict`] refuses the same input with a
//! message saying what is wrong and at which character.

use chrono::NaiveDate;

use crate::error::{Error, Result};

pub const MAX_CLAUSES: usize = 64;
pub const MAX_DEPTH: usize = 16;
/// Longest query, in bytes. A longer lenient query is cut at a character boundary.
pub const MAX_QUERY_BYTES: usize = 1024;
/// Longest proximity, in characters.
pub const MAX_PROXIMITY: u32 = 1000;

/// How a query string is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    /// Anything is a query; what cannot be an operator is text.
    #[default]
    Lenient,
    /// Malformed operators are errors.
    Strict,
}

impl std::str::FromStr for Syntax {
    type Err = Error;
    fn from_str(s: &str) -> Result<Syntax> {
        match s {
            "lenient" => Ok(Syntax::Lenient),
            "strict" => Ok(Syntax::Strict),
            other => Err(Error::BadRequest(format!(
                "syntax {other:?} is not lenient or strict"
            ))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Any,
    Title,
    Body,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordField {
    Source,
    Author,
    Section,
    Keywords,
    Person,
    Place,
    Org,
}

impl KeywordField {
    fn name(self) -> &'static str {
        match self {
            KeywordField::Source => "source",
            KeywordField::Author => "author",
            KeywordField::Section => "section",
            KeywordField::Keywords => "keywords",
            KeywordField::Person => "person",
            KeywordField::Place => "place",
            KeywordField::Org => "org",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Every article (an empty query, `*`, or one made only of exclusions).
    All,
    /// Unquoted text: ranked on words, and always found where it occurs exactly.
    Term {
        field: TextField,
        text: String,
    },
    /// `"exact string"`, with a slop in characters for `"a b"~n`.
    Phrase {
        field: TextField,
        text: String,
        slop: u32,
    },
    /// `NEAR/n(a b …)`: every part exactly, all within n characters, in order.
    Near {
        field: TextField,
        parts: Vec<String>,
        distance: u32,
    },
    Keyword {
        field: KeywordField,
        value: String,
    },
    /// Dates in Beijing time, both ends inclusive.
    Published {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

/// A query as read: the tree, and what was repaired on the way (lenient syntax only).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub node: Node,
    pub warnings: Vec<String>,
}

impl Parsed {
    /// The query as it was understood, in the query language.
    pub fn interpreted_as(&self) -> String {
        self.node.to_string()
    }
}

impl Node {
    pub fn clause_count(&self) -> usize {
        match self {
            Node::And(v) | Node::Or(v) => v.iter().map(Node::clause_count).sum(),
            Node::Not(n) => n.clause_count(),
            _ => 1,
        }
    }

    /// The words of a query made only of unquoted terms on title and body (no operators,
    /// no fields): the queries that partial matching may relax.
    pub fn plain_words(&self) -> Option<Vec<String>> {
        match self {
            Node::Term {
                field: TextField::Any,
                text,
            } => Some(vec![text.clone()]),
            Node::And(v) => v.iter().try_fold(Vec::new(), |mut acc, n| {
                acc.extend(n.plain_words()?);
                Some(acc)
            }),
            _ => None,
        }
    }

    /// The text of every positive term, phrase and part on title or body: what a
    /// partial match may still find when the whole query finds too little.
    pub fn positive_text(&self, out: &mut Vec<String>) {
        match self {
            Node::Term { text, .. } | Node::Phrase { text, slop: 0, .. } => out.push(text.clone()),
            // A proximity's parts are found one by one, not as one string.
            Node::Phrase { text, .. } => out.extend(text.split_whitespace().map(str::to_string)),
            Node::Near { parts, .. } => out.extend(parts.iter().cloned()),
            Node::And(v) | Node::Or(v) => v.iter().for_each(|n| n.positive_text(out)),
            Node::Not(_) | Node::Keyword { .. } | Node::Published { .. } | Node::All => {}
        }
    }

    /// The strings a hit is highlighted with: every positive term, phrase and part.
    pub fn highlight_terms(&self, out: &mut Vec<String>) {
        self.positive_text(out)
    }

    /// Whether the query holds text to rank by (not only fields, dates or exclusions).
    pub fn has_text(&self) -> bool {
        let mut v = Vec::new();
        self.positive_text(&mut v);
        !v.is_empty()
    }
}

fn field_prefix(f: TextField) -> &'static str {
    match f {
        TextField::Any => "",
        TextField::Title => "title:",
        TextField::Body => "body:",
    }
}

/// Text as a term of the language: quoted when it holds a space, a quote or an operator
/// character, so the rendering reads back as the same query.
fn render_text(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.chars().any(|c| {
            c.is_whitespace()
                || matches!(
                    c,
                    '"' | '“' | '”' | '「' | '」' | '(' | ')' | '（' | '）' | '[' | ':' | '：'
                )
        })
        && !matches!(text, "OR" | "AND" | "NOT")
        && !text.starts_with(['-', '－'])
        && !text.to_ascii_uppercase().starts_with("NEAR/");
    if plain {
        text.to_string()
    } else {
        format!("\"{}\"", text.replace(['"', '“', '”', '「', '」'], " "))
    }
}

impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Node::All => f.write_str("*"),
            Node::Term { field, text } => {
                write!(f, "{}{}", field_prefix(*field), render_text(text))
            }
            Node::Phrase { field, text, slop } => {
                write!(f, "{}\"{}\"", field_prefix(*field), text.replace('"', " "))?;
                if *slop > 0 {
                    write!(f, "~{slop}")?;
                }
                Ok(())
            }
            Node::Near {
                field,
                parts,
                distance,
            } => {
                let parts: Vec<String> = parts.iter().map(|p| render_text(p)).collect();
                write!(
                    f,
                    "{}NEAR/{distance}({})",
                    field_prefix(*field),
                    parts.join(" ")
                )
            }
            Node::Keyword { field, value } => write!(f, "{}:{}", field.name(), render_text(value)),
            Node::Published { from, to } => {
                let d = |x: &Option<NaiveDate>| x.map_or("*".to_string(), |d| d.to_string());
                write!(f, "published:[{} TO {}]", d(from), d(to))
            }
            Node::And(v) => {
                let parts: Vec<String> = v.iter().map(|n| n.to_string()).collect();
                f.write_str(&parts.join(" "))
            }
            Node::Or(v) => {
                let parts: Vec<String> = v
                    .iter()
                    .map(|n| match n {
                        Node::And(_) => format!("({n})"),
                        _ => n.to_string(),
                    })
                    .collect();
                write!(f, "({})", parts.join(" OR "))
            }
            Node::Not(n) => match n.as_ref() {
                Node::And(_) => write!(f, "-({n})"),
                _ => write!(f, "-{n}"),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Or,
    And,
    Not,
    Minus,
    Word(String),
    Quoted(String, Option<u32>),
    Field(String),
    Near(u32),
    Range(String),
}

fn bad(pos: usize, msg: impl std::fmt::Display) -> Error {
    Error::BadQuery(format!("{msg} (at character {})", pos + 1))
}

const FIELDS: &[&str] = &[
    "title",
    "body",
    "source",
    "author",
    "section",
    "keywords",
    "keyword",
    "person",
    "place",
    "org",
    "published",
    "date",
];

const FIELD_LIST: &str =
    "title, body, source, author, section, keywords, person, place, org, published";

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '「' | '」')
}

/// Reports a malformed spot: an error in strict syntax; in lenient syntax a warning, and
/// the caller repairs.
struct Reporter {
    lenient: bool,
    warnings: Vec<String>,
}

impl Reporter {
    fn report(&mut self, at: usize, msg: impl std::fmt::Display) -> Result<()> {
        if self.lenient {
            let w = format!("{msg} (at character {}); read as text", at + 1);
            if !self.warnings.contains(&w) {
                self.warnings.push(w);
            }
            Ok(())
        } else {
            Err(bad(at, msg))
        }
    }
}

fn lex(input: &str, r: &mut Reporter) -> Result<Vec<(usize, Tok)>> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            '(' | '（' => {
                out.push((start, Tok::LParen));
                i += 1;
            }
            ')' | '）' => {
                out.push((start, Tok::RParen));
                i += 1;
            }
            c if is_quote(c) => {
                let close = (i + 1..chars.len()).find(|&j| is_quote(chars[j]));
                let Some(close) = close else {
                    r.report(start, "unbalanced quote: a \" is never closed")?;
                    // The mark is dropped; what follows is read as it is.
                    i += 1;
                    continue;
                };
                let text: String = chars[i + 1..close].iter().collect();
                i = close + 1;
                let mut slop = None;
                if i < chars.len() && (chars[i] == '~' || chars[i] == '～') {
                    let num_start = i + 1;
                    let mut j = num_start;
                    while j < chars.len() && chars[j].is_ascii_digit() {
                        j += 1;
                    }
                    let digits: String = chars[num_start..j].iter().collect();
                    match digits.parse::<u32>() {
                        Ok(n) if n <= MAX_PROXIMITY => slop = Some(n),
                        Ok(_) => {
                            r.report(
                                i,
                                format!("proximity is at most {MAX_PROXIMITY} characters"),
                            )?;
                            slop = Some(MAX_PROXIMITY);
                        }
                        Err(_) => r.report(
                            i,
                            "~ must be followed by a number of characters, e.g. \"北京 新规\"~5",
                        )?,
                    }
                    i = j;
                }
                out.push((start, Tok::Quoted(text, slop)));
            }
            '[' => {
                let close = (i + 1..chars.len()).find(|&j| chars[j] == ']');
                match close {
                    Some(j) => {
                        out.push((start, Tok::Range(chars[i + 1..j].iter().collect())));
                        i = j + 1;
                    }
                    None => {
                        r.report(start, "unbalanced [: a date range needs a closing ]")?;
                        i += 1;
                    }
                }
            }
            '-' | '－' if out.last().is_none_or(|(_, t)| !matches!(t, Tok::Field(_))) => {
                out.push((start, Tok::Minus));
                i += 1;
            }
            _ => {
                let mut j = i;
                while j < chars.len()
                    && !chars[j].is_whitespace()
                    && !matches!(chars[j], '(' | ')' | '（' | '）' | '[')
                    && !is_quote(chars[j])
                {
                    if (chars[j] == ':' || chars[j] == '：') && j > i {
                        break;
                    }
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                if j < chars.len() && (chars[j] == ':' || chars[j] == '：') {
                    let name = word.to_ascii_lowercase();
                    if FIELDS.contains(&name.as_str()) {
                        out.push((start, Tok::Field(name)));
                        i = j + 1;
                        continue;
                    }
                    // A name of letters before a colon was meant as a field; anything else
                    // (10:30, 记者：) is text with a colon in it.
                    if word.chars().all(|c| c.is_ascii_alphabetic()) {
                        r.report(
                            start,
                            format!("{word} is not a field (fields: {FIELD_LIST})"),
                        )?;
                    }
                    let mut k = j;
                    while k < chars.len()
                        && !chars[k].is_whitespace()
                        && !matches!(chars[k], '(' | ')' | '（' | '）')
                        && !is_quote(chars[k])
                    {
                        k += 1;
                    }
                    out.push((start, Tok::Word(chars[i..k].iter().collect())));
                    i = k;
                    continue;
                }
                i = j;
                let upper = word.to_ascii_uppercase();
                let tok = match upper.as_str() {
                    "OR" | "||" => Tok::Or,
                    "AND" | "&&" => Tok::And,
                    "NOT" => Tok::Not,
                    u if u.starts_with("NEAR/") => match u[5..].parse::<u32>() {
                        Ok(n) if n <= MAX_PROXIMITY => Tok::Near(n),
                        Ok(_) => {
                            r.report(
                                start,
                                format!("NEAR distance is at most {MAX_PROXIMITY} characters"),
                            )?;
                            Tok::Near(MAX_PROXIMITY)
                        }
                        Err(_) => {
                            r.report(start, "NEAR/n needs a number, e.g. NEAR/5(北京 新规)")?;
                            Tok::Word(word)
                        }
                    },
                    _ => Tok::Word(word),
                };
                out.push((start, tok));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
    r: Reporter,
}

/// Parses a query in strict syntax. An empty query is an error: there is nothing to
/// search for.
pub fn parse(input: &str) -> Result<Node> {
    read(input, Syntax::Strict).map(|p| p.node)
}

/// Reads a query in either syntax. Lenient reading never fails.
pub fn read(input: &str, syntax: Syntax) -> Result<Parsed> {
    let lenient = syntax == Syntax::Lenient;
    let mut r = Reporter {
        lenient,
        warnings: Vec::new(),
    };
    let mut input = input;
    if input.len() > MAX_QUERY_BYTES {
        if !lenient {
            return Err(Error::BadQuery(format!(
                "query is {} bytes; at most {MAX_QUERY_BYTES}",
                input.len()
            )));
        }
        let mut cut = MAX_QUERY_BYTES;
        while !input.is_char_boundary(cut) {
            cut -= 1;
        }
        input = &input[..cut];
        r.warnings
            .push(format!("query cut to its first {MAX_QUERY_BYTES} bytes"));
    }
    let toks = lex(input, &mut r)?;
    if toks.is_empty() || (toks.len() == 1 && toks[0].1 == Tok::Word("*".into())) {
        if !lenient && toks.is_empty() {
            return Err(Error::BadQuery("empty query".into()));
        }
        return Ok(Parsed {
            node: Node::All,
            warnings: r.warnings,
        });
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end: input.chars().count(),
        r,
    };
    let mut parts = Vec::new();
    while p.pos < p.toks.len() {
        let node = p.or_expr(0)?;
        if !matches!(node, Node::And(ref v) if v.is_empty()) {
            parts.push(node);
        }
        if let Some((at, t)) = p.toks.get(p.pos).cloned() {
            let msg = match t {
                Tok::RParen => "unbalanced ): no ( before it".to_string(),
                other => format!("unexpected {other:?}"),
            };
            p.r.report(at, msg)?;
            p.pos += 1;
        }
    }
    let node = match parts.len() {
        0 => Node::All,
        1 => parts.remove(0),
        _ => Node::And(parts),
    };
    let mut warnings = p.r.warnings;
    let n = node.clause_count();
    if n > MAX_CLAUSES {
        if !lenient {
            return Err(Error::BadQuery(format!(
                "too many clauses ({n}; at most {MAX_CLAUSES})"
            )));
        }
        warnings.push(format!(
            "too many clauses ({n}; at most {MAX_CLAUSES}); the words were searched as plain text"
        ));
        return Ok(Parsed {
            node: plain(input)?,
            warnings,
        });
    }
    if !has_positive(&node) {
        if !lenient {
            return Err(Error::BadQuery(
                "a query needs at least one term that is not negated".into(),
            ));
        }
        let node = match node {
            Node::All => Node::All,
            Node::And(mut v) => {
                v.insert(0, Node::All);
                Node::And(v)
            }
            other => Node::And(vec![Node::All, other]),
        };
        return Ok(Parsed { node, warnings });
    }
    Ok(Parsed { node, warnings })
}

/// Text taken as it is, with no operators: whitespace-separated terms, all required (at
/// most [`MAX_CLAUSES`]; the rest are left out).
pub fn plain(input: &str) -> Result<Node> {
    let terms: Vec<Node> = input
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(MAX_CLAUSES)
        .map(|w| Node::Term {
            field: TextField::Any,
            text: w.to_string(),
        })
        .collect();
    match terms.len() {
        0 => Err(Error::BadQuery(
            "query has no letters, digits or characters".into(),
        )),
        1 => Ok(terms.into_iter().next().unwrap_or(Node::All)),
        _ => Ok(Node::And(terms)),
    }
}

fn has_positive(n: &Node) -> bool {
    match n {
        Node::Not(_) => false,
        Node::And(v) | Node::Or(v) => v.iter().any(has_positive),
        _ => true,
    }
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map(|(p, _)| *p).unwrap_or(self.end)
    }

    fn or_expr(&mut self, depth: usize) -> Result<Node> {
        let mut parts = vec![self.and_expr(depth)?];
        while self.peek() == Some(&Tok::Or) {
            let at = self.at();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or)) {
                self.r.report(at, "OR needs a term after it")?;
                continue;
            }
            parts.push(self.and_expr(depth)?);
        }
        parts.retain(|p| !matches!(p, Node::And(v) if v.is_empty()));
        Ok(match parts.len() {
            0 => Node::And(Vec::new()),
            1 => parts.remove(0),
            _ => Node::Or(parts),
        })
    }

    /// An empty `And` stands for "nothing here" (only possible in lenient syntax).
    fn and_expr(&mut self, depth: usize) -> Result<Node> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen) => break,
                Some(Tok::Or) => {
                    if parts.is_empty() {
                        let at = self.at();
                        self.r.report(at, "OR needs a term before it")?;
                        self.pos += 1;
                        continue;
                    }
                    break;
                }
                Some(Tok::And) => {
                    let at = self.at();
                    self.pos += 1;
                    if parts.is_empty()
                        || matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And))
                    {
                        self.r.report(at, "AND needs a term on each side")?;
                    }
                }
                _ => {
                    if let Some(n) = self.unary(depth)? {
                        parts.push(n);
                    }
                }
            }
        }
        match parts.len() {
            0 => {
                if !self.r.lenient {
                    return Err(bad(self.at(), "expected a term"));
                }
                Ok(Node::And(Vec::new()))
            }
            1 => Ok(parts.remove(0)),
            _ => Ok(Node::And(parts)),
        }
    }

    /// Negations in a row are counted in a loop, not by recursion, and capped: a query of
    /// 5,000,000 minus signs once overflowed the stack (seen with the query_parser fuzz
    /// target). `None` where lenient reading found nothing to keep.
    fn unary(&mut self, depth: usize) -> Result<Option<Node>> {
        let mut negations = 0usize;
        while let Some(Tok::Minus | Tok::Not) = self.peek() {
            let at = self.at();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                self.r.report(at, "- or NOT needs a term after it")?;
                return Ok(None);
            }
            if negations == MAX_DEPTH {
                self.r
                    .report(at, format!("more than {MAX_DEPTH} - or NOT in a row"))?;
                continue;
            }
            negations += 1;
        }
        let Some(mut node) = self.primary(depth)? else {
            return Ok(None);
        };
        for _ in 0..negations {
            node = Node::Not(Box::new(node));
        }
        Ok(Some(node))
    }

    fn words(text: &str) -> Option<Node> {
        plain(text).ok()
    }

    fn primary(&mut self, depth: usize) -> Result<Option<Node>> {
        let at = self.at();
        let Some((_, tok)) = self.toks.get(self.pos).cloned() else {
            self.r.report(at, "expected a term")?;
            return Ok(None);
        };
        self.pos += 1;
        match tok {
            Tok::LParen => {
                if depth + 1 > MAX_DEPTH {
                    self.r
                        .report(at, format!("parentheses nested deeper than {MAX_DEPTH}"))?;
                    return Ok(None);
                }
                let inner = self.or_expr(depth + 1)?;
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                } else {
                    self.r.report(at, "unbalanced (: no ) closes it")?;
                }
                Ok((!matches!(inner, Node::And(ref v) if v.is_empty())).then_some(inner))
            }
            Tok::Word(w) => Ok(Some(Node::Term {
                field: TextField::Any,
                text: w,
            })),
            Tok::Quoted(q, slop) => self.phrase(at, TextField::Any, q, slop),
            Tok::Near(n) => self.near(at, TextField::Any, n),
            Tok::Field(name) => self.field(at, &name),
            Tok::RParen => {
                self.r.report(at, "unbalanced ): no ( before it")?;
                Ok(None)
            }
            Tok::Range(text) => {
                self.r.report(
                    at,
                    "a [range] needs a field, e.g. published:[2020-01-01 TO 2020-12-31]",
                )?;
                Ok(Self::words(&text))
            }
            Tok::Or | Tok::And | Tok::Not | Tok::Minus => {
                self.r.report(at, "expected a term")?;
                Ok(None)
            }
        }
    }

    fn near(&mut self, at: usize, field: TextField, distance: u32) -> Result<Option<Node>> {
        if self.peek() != Some(&Tok::LParen) {
            self.r.report(
                at,
                "NEAR/n needs its terms in parentheses, e.g. NEAR/5(北京 新规)",
            )?;
            return Ok(Some(Node::Term {
                field,
                text: format!("NEAR/{distance}"),
            }));
        }
        self.pos += 1;
        let mut parts = Vec::new();
        loop {
            match self.toks.get(self.pos).cloned() {
                Some((_, Tok::Word(w))) | Some((_, Tok::Quoted(w, None))) => {
                    parts.push(w);
                    self.pos += 1;
                }
                Some((_, Tok::RParen)) => {
                    self.pos += 1;
                    break;
                }
                Some((p, _)) => {
                    self.r
                        .report(p, "inside NEAR/n(…) only words or quoted strings may stand")?;
                    self.pos += 1;
                }
                None => {
                    self.r.report(at, "unbalanced (: NEAR/n( is never closed")?;
                    break;
                }
            }
        }
        parts.retain(|p| p.chars().any(char::is_alphanumeric));
        if parts.len() < 2 {
            self.r.report(at, "NEAR/n needs at least two terms")?;
            return Ok(Self::words(&parts.join(" ")));
        }
        if let Err(e) = check_proximity_terms(&parts.join(" ")) {
            self.r.report(at, e)?;
            return Ok(Self::words(&parts.join(" ")));
        }
        Ok(Some(Node::Near {
            field,
            parts,
            distance,
        }))
    }

    fn phrase(
        &mut self,
        at: usize,
        field: TextField,
        text: String,
        slop: Option<u32>,
    ) -> Result<Option<Node>> {
        if !text.chars().any(char::is_alphanumeric) {
            self.r.report(
                at,
                "a quoted string needs at least one letter, digit or character",
            )?;
            return Ok(None);
        }
        if slop.is_some_and(|n| n > 0) {
            if let Err(e) = check_proximity_terms(&text) {
                self.r.report(at, e)?;
                return Ok(Some(Node::Phrase {
                    field,
                    text,
                    slop: 0,
                }));
            }
        }
        Ok(Some(Node::Phrase {
            field,
            text,
            slop: slop.unwrap_or(0),
        }))
    }

    fn field(&mut self, at: usize, name: &str) -> Result<Option<Node>> {
        let value = self.toks.get(self.pos).cloned();
        let text_field = match name {
            "title" => Some(TextField::Title),
            "body" => Some(TextField::Body),
            _ => None,
        };
        if let Some(field) = text_field {
            return match value {
                Some((_, Tok::Word(w))) => {
                    self.pos += 1;
                    Ok(Some(Node::Term { field, text: w }))
                }
                Some((p, Tok::Quoted(q, slop))) => {
                    self.pos += 1;
                    self.phrase(p, field, q, slop)
                }
                Some((p, Tok::Near(n))) => {
                    self.pos += 1;
                    self.near(p, field, n)
                }
                _ => {
                    self.r.report(
                        at,
                        format!("{name}: needs a word or a \"quoted string\" after it"),
                    )?;
                    Ok(None)
                }
            };
        }
        if name == "published" || name == "date" {
            let parsed = match &value {
                Some((p, Tok::Range(r))) => Some(date_range(*p, r)),
                Some((p, Tok::Word(w))) => Some(date_bound(*p, w, false).and_then(|from| {
                    Ok(Node::Published {
                        from,
                        to: date_bound(*p, w, true)?,
                    })
                })),
                _ => None,
            };
            return match parsed {
                Some(Ok(node)) => {
                    self.pos += 1;
                    Ok(Some(node))
                }
                Some(Err(e)) => {
                    self.pos += 1;
                    if !self.r.lenient {
                        return Err(e);
                    }
                    self.r
                        .report(at, "published: needs a date or a range of dates")?;
                    Ok(None)
                }
                None => {
                    self.r.report(
                        at,
                        "published: needs a date or a range, e.g. published:[2020-01-01 TO 2020-12-31]",
                    )?;
                    Ok(None)
                }
            };
        }
        let field = match name {
            "source" => KeywordField::Source,
            "author" => KeywordField::Author,
            "section" => KeywordField::Section,
            "person" => KeywordField::Person,
            "place" => KeywordField::Place,
            "org" => KeywordField::Org,
            _ => KeywordField::Keywords,
        };
        match value {
            Some((_, Tok::Word(w))) | Some((_, Tok::Quoted(w, None))) => {
                self.pos += 1;
                Ok(Some(Node::Keyword { field, value: w }))
            }
            _ => {
                self.r
                    .report(at, format!("{name}: needs a value after it"))?;
                Ok(None)
            }
        }
    }
}

/// Most terms (bigrams or lone characters) a proximity search may hold. tantivy's sloppy
/// phrase matching grows with terms × distance: 16 common characters within 1000 took
/// 1.9 GB and 4 s on the 76k corpus, and kept going after the request's time budget.
pub const MAX_PROXIMITY_TERMS: usize = 8;

/// What is wrong with a proximity over `text`, if anything.
fn check_proximity_terms(text: &str) -> std::result::Result<(), String> {
    let n = crate::analyze::exact::proximity_terms(text).len();
    if n > MAX_PROXIMITY_TERMS {
        return Err(format!(
            "a proximity search takes at most {MAX_PROXIMITY_TERMS} terms (two characters \
             make one); this one has {n}"
        ));
    }
    Ok(())
}

fn date_range(at: usize, r: &str) -> Result<Node> {
    let parts: Vec<&str> = r.split(" TO ").collect();
    let parts: Vec<&str> = if parts.len() == 2 {
        parts
    } else {
        r.split(" to ").collect()
    };
    if parts.len() != 2 {
        return Err(bad(
            at,
            "a date range is [FROM TO TO], e.g. [2020-01-01 TO 2020-12-31]",
        ));
    }
    let from = date_bound(at, parts[0].trim(), false)?;
    let to = date_bound(at, parts[1].trim(), true)?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(bad(
                at,
                format!("date range starts ({f}) after it ends ({t})"),
            ));
        }
    }
    Ok(Node::Published { from, to })
}

/// `2020-03-05`, `2020-03` or `2020`; `*` for open. A month or year means its first day
/// as a start and its last day as an end.
pub fn date_bound(at: usize, s: &str, end: bool) -> Result<Option<NaiveDate>> {
    let s = s.trim();
    if s == "*" || s.is_empty() {
        return Ok(None);
    }
    let nums: Vec<&str> = s.split(['-', '/', '.']).collect();
    let parse = |x: &str| {
        x.parse::<u32>().map_err(|_| {
            bad(
                at,
                format!("{s:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
            )
        })
    };
    let y = parse(nums[0])? as i32;
    let date = match nums.len() {
        1 => {
            if end {
                NaiveDate::from_ymd_opt(y, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(y, 1, 1)
            }
        }
        2 => {
            let m = parse(nums[1])?;
            let first = NaiveDate::from_ymd_opt(y, m, 1);
            if end {
                first
                    .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
                    .and_then(|d| d.pred_opt())
            } else {
                first
            }
        }
        3 => NaiveDate::from_ymd_opt(y, parse(nums[1])?, parse(nums[2])?),
        _ => None,
    };
    date.map(Some).ok_or_else(|| {
        bad(
            at,
            format!("{s:?} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn term(t: &str) -> Node {
        Node::Term {
            field: TextField::Any,
            text: t.into(),
        }
    }

    #[test]
    fn default_and_or_not_and_groups() {
        assert_eq!(
            parse("援疆 教育").ok(),
            Some(Node::And(vec![term("援疆"), term("教育")]))
        );
        assert_eq!(
            parse("援疆 OR 援藏").ok(),
            Some(Node::Or(vec![term("援疆"), term("援藏")]))
        );
        assert_eq!(
            parse("教育 -招生").ok(),
            Some(Node::And(vec![
                term("教育"),
                Node::Not(Box::new(term("招生")))
            ]))
        );
        assert_eq!(
            parse("(援疆 OR 援藏) AND 教育").ok(),
            Some(Node::And(vec![
                Node::Or(vec![term("援疆"), term("援藏")]),
                term("教育")
            ]))
        );
    }

    #[test]
    fn phrases_fields_near_and_ranges() {
        assert_eq!(
            parse("\"北京 新规\"~5").ok(),
            Some(Node::Phrase {
                field: TextField::Any,
                text: "北京 新规".into(),
                slop: 5
            })
        );
        assert_eq!(
            parse("title:\"脱贫攻坚\"").ok(),
            Some(Node::Phrase {
                field: TextField::Title,
                text: "脱贫攻坚".into(),
                slop: 0
            })
        );
        assert_eq!(
            parse("source:新华网").ok(),
            Some(Node::Keyword {
                field: KeywordField::Source,
                value: "新华网".into()
            })
        );
        assert_eq!(
            parse("NEAR/5(北京 新规)").ok(),
            Some(Node::Near {
                field: TextField::Any,
                parts: vec!["北京".into(), "新规".into()],
                distance: 5
            })
        );
        assert_eq!(
            parse("published:[2020-01 TO 2020]").ok(),
            Some(Node::Published {
                from: NaiveDate::from_ymd_opt(2020, 1, 1),
                to: NaiveDate::from_ymd_opt(2020, 12, 31)
            })
        );
        assert_eq!(parse("10:30").ok(), Some(term("10:30")));
        assert_eq!(parse("COVID-19").ok(), Some(term("COVID-19")));
    }

    #[test]
    fn malformed_queries_say_what_and_where() {
        let cases = [
            ("\"北京", "unbalanced quote"),
            ("(北京", "unbalanced ("),
            ("北京)", "unbalanced )"),
            ("北京 OR", "OR needs a term after it"),
            ("OR 北京", "OR needs a term before it"),
            ("-北京", "not negated"),
            ("NEAR/x(a b)", "NEAR/n needs a number"),
            ("NEAR/3(a)", "at least two terms"),
            ("published:[2020 TO]", "[FROM TO TO]"),
            ("published:[2021 TO 2020]", "starts"),
            ("published:[abc TO 2020]", "not a date"),
            ("title:", "needs a word"),
            ("\"\"", "at least one letter"),
            ("", "empty query"),
            ("\"a\"~x", "~ must be followed"),
        ];
        for (q, want) in cases {
            match parse(q) {
                Err(Error::BadQuery(msg)) => assert!(msg.contains(want), "{q:?}: {msg}"),
                other => panic!("{q:?} gave {other:?}"),
            }
        }
        let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
        assert!(matches!(parse(&deep), Err(Error::BadQuery(m)) if m.contains("nested")));
        let negations = format!("{}a", "-".repeat(20));
        assert!(matches!(parse(&negations), Err(Error::BadQuery(m)) if m.contains("in a row")));
        let huge = format!("{}a", "-".repeat(1_000_000));
        assert!(matches!(parse(&huge), Err(Error::BadQuery(m)) if m.contains("bytes")));
        assert!(read(&huge, Syntax::Lenient).is_ok());
        let nots = format!("a {}b", "NOT ".repeat(17));
        assert!(matches!(parse(&nots), Err(Error::BadQuery(m)) if m.contains("in a row")));
        assert!(parse(&format!("a {}b", "NOT ".repeat(16))).is_ok());
        let many = vec!["a"; 70].join(" OR ");
        assert!(matches!(parse(&many), Err(Error::BadQuery(m)) if m.contains("too many clauses")));
    }

    /// A well-formed query and the number of clauses it holds.
    #[derive(Debug, Clone)]
    enum Q {
        Leaf(String),
        Not(Box<Q>),
        And(Vec<Q>, bool),
        Or(Vec<Q>),
    }

    impl Q {
        fn render(&self) -> String {
            match self {
                Q::Leaf(s) => s.clone(),
                Q::Not(q) => format!("-{}", q.render()),
                Q::And(v, explicit) => {
                    let sep = if *explicit { " AND " } else { " " };
                    let parts: Vec<String> = v.iter().map(Q::render).collect();
                    format!("({})", parts.join(sep))
                }
                Q::Or(v) => {
                    let parts: Vec<String> = v.iter().map(Q::render).collect();
                    format!("({})", parts.join(" OR "))
                }
            }
        }

        fn clauses(&self) -> usize {
            match self {
                Q::Leaf(_) => 1,
                Q::Not(q) => q.clauses(),
                Q::And(v, _) | Q::Or(v) => v.iter().map(Q::clauses).sum(),
            }
        }
    }

    const WORDS: &[&str] = &[
        "援疆",
        "教育",
        "人民银行",
        "北京",
        "新规",
        "疫苗",
        "脱贫攻坚",
        "5G",
        "华为",
        "新冠",
    ];

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            (0..WORDS.len()).prop_map(|i| WORDS[i].to_string()),
            "x[0-9]{1,3}",
        ]
    }

    fn leaf() -> impl Strategy<Value = Q> {
        prop_oneof![
            word().prop_map(Q::Leaf),
            (
                prop::collection::vec(word(), 1..3),
                prop::option::of(0u32..=1000)
            )
                .prop_map(|(ws, slop)| {
                    let slop = slop.map(|n| format!("~{n}")).unwrap_or_default();
                    Q::Leaf(format!("\"{}\"{slop}", ws.join(" ")))
                }),
            (0u32..=1000, word(), word())
                .prop_map(|(n, a, b)| Q::Leaf(format!("NEAR/{n}({a} {b})"))),
            (
                prop::sample::select(vec!["title", "body", "source", "author", "section"]),
                word()
            )
                .prop_map(|(f, w)| Q::Leaf(format!("{f}:{w}"))),
            Just(Q::Leaf("published:[2020-01-01 TO 2020-12]".into())),
        ]
    }

    fn query() -> impl Strategy<Value = Q> {
        // At most 3 children per level and 3 levels: at most 27 clauses plus the first term.
        leaf().prop_recursive(3, 27, 3, |inner| {
            prop_oneof![
                inner
                    .clone()
                    .prop_filter("negate leaves and groups once", |q| !matches!(q, Q::Not(_)))
                    .prop_map(|q| Q::Not(Box::new(q))),
                (prop::collection::vec(inner.clone(), 1..=3), any::<bool>())
                    .prop_map(|(v, e)| Q::And(v, e)),
                prop::collection::vec(inner, 1..=3).prop_map(Q::Or),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn parse_never_panics(input in any::<String>()) {
            let _ = parse(&input);
            let _ = plain(&input);
        }

        #[test]
        fn parse_never_panics_on_operator_soup(
            input in "[-－()（）\"“”「」\\[\\]:：~～ *a-zORANDNOT/0-9援疆北京titlepublished]{0,80}"
        ) {
            if let Ok(node) = parse(&input) {
                prop_assert!(node.clause_count() <= MAX_CLAUSES);
                prop_assert!(has_positive(&node));
            }
        }

        #[test]
        fn well_formed_queries_parse(first in word(), rest in query()) {
            let text = format!("{first} {}", rest.render());
            match parse(&text) {
                Ok(node) => prop_assert_eq!(node.clause_count(), 1 + rest.clauses(), "{}", text),
                Err(e) => prop_assert!(false, "{text:?} did not parse: {e}"),
            }
        }
    }
}
