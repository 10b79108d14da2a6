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
//! Errors say what is wrong and at which character; nothing is silently dropped.

use chrono::NaiveDate;

use crate::error::{Error, Result};

pub const MAX_CLAUSES: usize = 64;
pub const MAX_DEPTH: usize = 16;

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
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
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

impl Node {
    pub fn clause_count(&self) -> usize {
        match self {
            Node::And(v) | Node::Or(v) => v.iter().map(Node::clause_count).sum(),
            Node::Not(n) => n.clause_count(),
            _ => 1,
        }
    }

    /// The strings a hit is highlighted with: every positive term, phrase and part.
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

    pub fn highlight_terms(&self, out: &mut Vec<String>) {
        match self {
            Node::Term { text, .. } | Node::Phrase { text, .. } => out.push(text.clone()),
            Node::Near { parts, .. } => out.extend(parts.iter().cloned()),
            Node::And(v) | Node::Or(v) => v.iter().for_each(|n| n.highlight_terms(out)),
            Node::Not(_) | Node::Keyword { .. } | Node::Published { .. } => {}
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
    "published",
    "date",
];

fn lex(input: &str) -> Result<Vec<(usize, Tok)>> {
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
            '"' | '“' | '”' | '「' | '」' => {
                i += 1;
                let mut text = String::new();
                while i < chars.len() && !matches!(chars[i], '"' | '“' | '”' | '「' | '」') {
                    text.push(chars[i]);
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(bad(start, "unbalanced quote: a \" is never closed"));
                }
                i += 1;
                let mut slop = None;
                if i < chars.len() && (chars[i] == '~' || chars[i] == '～') {
                    let num_start = i + 1;
                    let mut j = num_start;
                    while j < chars.len() && chars[j].is_ascii_digit() {
                        j += 1;
                    }
                    let digits: String = chars[num_start..j].iter().collect();
                    let n: u32 = digits.parse().map_err(|_| {
                        bad(
                            i,
                            "~ must be followed by a number of characters, e.g. \"北京 新规\"~5",
                        )
                    })?;
                    if n > 1000 {
                        return Err(bad(i, "proximity is at most 1000 characters"));
                    }
                    slop = Some(n);
                    i = j;
                }
                out.push((start, Tok::Quoted(text, slop)));
            }
            '[' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != ']' {
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(bad(start, "unbalanced [: a date range needs a closing ]"));
                }
                out.push((start, Tok::Range(chars[i + 1..j].iter().collect())));
                i = j + 1;
            }
            '-' | '－' if out.last().is_none_or(|(_, t)| !matches!(t, Tok::Field(_))) => {
                out.push((start, Tok::Minus));
                i += 1;
            }
            _ => {
                let mut j = i;
                while j < chars.len()
                    && !chars[j].is_whitespace()
                    && !matches!(
                        chars[j],
                        '(' | ')' | '（' | '）' | '"' | '“' | '”' | '「' | '」' | '['
                    )
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
                    // Not a field: the colon is part of the text (e.g. 10:30).
                    let mut k = j;
                    while k < chars.len()
                        && !chars[k].is_whitespace()
                        && !matches!(chars[k], '(' | ')' | '"')
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
                    u if u.starts_with("NEAR/") => {
                        let n: u32 = u[5..].parse().map_err(|_| {
                            bad(start, "NEAR/n needs a number, e.g. NEAR/5(北京 新规)")
                        })?;
                        if n > 1000 {
                            return Err(bad(start, "NEAR distance is at most 1000 characters"));
                        }
                        Tok::Near(n)
                    }
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
}

/// Parses a query. An empty query is an error: there is nothing to search for.
pub fn parse(input: &str) -> Result<Node> {
    let toks = lex(input)?;
    if toks.is_empty() {
        return Err(Error::BadQuery("empty query".into()));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end: input.chars().count(),
    };
    let node = p.or_expr(0)?;
    if let Some((at, t)) = p.toks.get(p.pos) {
        return Err(bad(
            *at,
            match t {
                Tok::RParen => "unbalanced ): no ( before it".to_string(),
                other => format!("unexpected {other:?}"),
            },
        ));
    }
    let n = node.clause_count();
    if n > MAX_CLAUSES {
        return Err(Error::BadQuery(format!(
            "too many clauses ({n}; at most {MAX_CLAUSES})"
        )));
    }
    if !has_positive(&node) {
        return Err(Error::BadQuery(
            "a query needs at least one term that is not negated".into(),
        ));
    }
    Ok(node)
}

/// Text taken as it is, with no operators: whitespace-separated terms, all required.
/// For bots and evaluation, where a headline's brackets or dashes mean nothing.
pub fn plain(input: &str) -> Result<Node> {
    let terms: Vec<Node> = input
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| Node::Term {
            field: TextField::Any,
            text: w.to_string(),
        })
        .collect();
    match terms.len() {
        0 => Err(Error::BadQuery(
            "query has no letters, digits or characters".into(),
        )),
        1 => Ok(terms.into_iter().next().unwrap_or(Node::And(Vec::new()))),
        n if n > MAX_CLAUSES => Err(Error::BadQuery(format!(
            "too many terms ({n}; at most {MAX_CLAUSES})"
        ))),
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
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or)) {
                return Err(bad(self.at(), "OR needs a term after it"));
            }
            parts.push(self.and_expr(depth)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Node::Or(parts)
        })
    }

    fn and_expr(&mut self, depth: usize) -> Result<Node> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::RParen | Tok::Or) => break,
                Some(Tok::And) => {
                    self.pos += 1;
                    if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                        return Err(bad(self.at(), "AND needs a term after it"));
                    }
                }
                _ => parts.push(self.unary(depth)?),
            }
        }
        match parts.len() {
            0 => Err(bad(
                self.at(),
                if self.peek() == Some(&Tok::Or) {
                    "OR needs a term before it"
                } else {
                    "expected a term"
                },
            )),
            1 => Ok(parts.remove(0)),
            _ => Ok(Node::And(parts)),
        }
    }

    /// Negations in a row are counted in a loop, not by recursion, and capped: a query of
    /// 5,000,000 minus signs once overflowed the stack (seen with the query_parser fuzz target).
    fn unary(&mut self, depth: usize) -> Result<Node> {
        let mut negations = 0usize;
        while let Some(Tok::Minus | Tok::Not) = self.peek() {
            let at = self.at();
            self.pos += 1;
            if matches!(self.peek(), None | Some(Tok::RParen | Tok::Or | Tok::And)) {
                return Err(bad(at, "- or NOT needs a term after it"));
            }
            if negations == MAX_DEPTH {
                return Err(bad(at, format!("more than {MAX_DEPTH} - or NOT in a row")));
            }
            negations += 1;
        }
        let mut node = self.primary(depth)?;
        for _ in 0..negations {
            node = Node::Not(Box::new(node));
        }
        Ok(node)
    }

    fn primary(&mut self, depth: usize) -> Result<Node> {
        let at = self.at();
        let Some((_, tok)) = self.toks.get(self.pos).cloned() else {
            return Err(bad(at, "expected a term"));
        };
        self.pos += 1;
        match tok {
            Tok::LParen => {
                if depth + 1 > MAX_DEPTH {
                    return Err(bad(
                        at,
                        format!("parentheses nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let inner = self.or_expr(depth + 1)?;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(bad(at, "unbalanced (: no ) closes it"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Tok::Word(w) => Ok(Node::Term {
                field: TextField::Any,
                text: w,
            }),
            Tok::Quoted(q, slop) => phrase(at, TextField::Any, q, slop),
            Tok::Near(n) => self.near(at, TextField::Any, n),
            Tok::Field(name) => self.field(at, &name),
            Tok::RParen => Err(bad(at, "unbalanced ): no ( before it")),
            Tok::Range(_) => Err(bad(
                at,
                "a [range] needs a field, e.g. published:[2020-01-01 TO 2020-12-31]",
            )),
            Tok::Or | Tok::And | Tok::Not | Tok::Minus => Err(bad(at, "expected a term")),
        }
    }

    fn near(&mut self, at: usize, field: TextField, distance: u32) -> Result<Node> {
        if self.peek() != Some(&Tok::LParen) {
            return Err(bad(
                at,
                "NEAR/n needs its terms in parentheses, e.g. NEAR/5(北京 新规)",
            ));
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
                    return Err(bad(
                        p,
                        "inside NEAR/n(…) only words or quoted strings may stand",
                    ))
                }
                None => return Err(bad(at, "unbalanced (: NEAR/n( is never closed")),
            }
        }
        if parts.len() < 2 {
            return Err(bad(at, "NEAR/n needs at least two terms"));
        }
        check_proximity_terms(at, &parts.join(" "))?;
        Ok(Node::Near {
            field,
            parts,
            distance,
        })
    }

    fn field(&mut self, at: usize, name: &str) -> Result<Node> {
        let value = self.toks.get(self.pos).cloned();
        let text_field = match name {
            "title" => Some(TextField::Title),
            "body" => Some(TextField::Body),
            _ => None,
        };
        if let Some(field) = text_field {
            self.pos += 1;
            return match value {
                Some((_, Tok::Word(w))) => Ok(Node::Term { field, text: w }),
                Some((p, Tok::Quoted(q, slop))) => phrase(p, field, q, slop),
                Some((p, Tok::Near(n))) => self.near(p, field, n),
                _ => Err(bad(
                    at,
                    format!("{name}: needs a word or a \"quoted string\" after it"),
                )),
            };
        }
        if name == "published" || name == "date" {
            self.pos += 1;
            return match value {
                Some((p, Tok::Range(r))) => date_range(p, &r),
                Some((p, Tok::Word(w))) => {
                    let d = date_bound(p, &w, false)?;
                    let to = date_bound(p, &w, true)?;
                    Ok(Node::Published { from: d, to })
                }
                _ => Err(bad(
                    at,
                    "published: needs a date or a range, e.g. published:[2020-01-01 TO 2020-12-31]",
                )),
            };
        }
        let field = match name {
            "source" => KeywordField::Source,
            "author" => KeywordField::Author,
            "section" => KeywordField::Section,
            _ => KeywordField::Keywords,
        };
        self.pos += 1;
        match value {
            Some((_, Tok::Word(w))) | Some((_, Tok::Quoted(w, None))) => {
                Ok(Node::Keyword { field, value: w })
            }
            _ => Err(bad(at, format!("{name}: needs a value after it"))),
        }
    }
}

fn phrase(at: usize, field: TextField, text: String, slop: Option<u32>) -> Result<Node> {
    if !text.chars().any(char::is_alphanumeric) {
        return Err(bad(
            at,
            "a quoted string needs at least one letter, digit or character",
        ));
    }
    if slop.is_some_and(|n| n > 0) {
        check_proximity_terms(at, &text)?;
    }
    Ok(Node::Phrase {
        field,
        text,
        slop: slop.unwrap_or(0),
    })
}

/// Most terms (bigrams or lone characters) a proximity search may hold. tantivy's sloppy
/// phrase matching grows with terms × distance: 16 common characters within 1000 took
/// 1.9 GB and 4 s on the 76k corpus, and kept going after the request's time budget.
pub const MAX_PROXIMITY_TERMS: usize = 8;

fn check_proximity_terms(at: usize, text: &str) -> Result<()> {
    let n = super::compile::exact_terms(text).len();
    if n > MAX_PROXIMITY_TERMS {
        return Err(bad(
            at,
            format!(
                "a proximity search takes at most {MAX_PROXIMITY_TERMS} terms (two characters \
                 make one); this one has {n}"
            ),
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
        let negations = format!("{}a", "-".repeat(1_000_000));
        assert!(matches!(parse(&negations), Err(Error::BadQuery(m)) if m.contains("in a row")));
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
