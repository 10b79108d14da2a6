//! The query tree to a cluster query: the same [`Node`] a local search compiles to
//! tantivy, here to a `MATCH()` expression over the fields of [`super::layout`].
//!
//! Most of the language maps one to one, and then the node answers exactly what the local
//! index answers: words (`@title_w t… t…`), exact strings as bigram phrases
//! (`@body_x "004eba006c11 006c110094f6"`), a lone character as a prefix (`@body_x 0094f6*`),
//! keyword fields and dates as tags, AND, OR and NOT. Three things a node cannot decide
//! the way zhnews does, so it is asked for a superset and zhnews checks each candidate
//! ([`Cond::exact`] is false for them):
//!
//! - a **long unquoted string** (4 words or more) matches on words that carry half of its
//!   weight, each word weighing its inverse document frequency; the node finds articles
//!   with enough of the words to possibly reach that (a quorum), zhnews adds up the words
//!   each one holds ([`WordsRule`]);
//! - **proximity** (`"a b"~n`, `NEAR/n`): the node finds articles holding every part,
//!   zhnews runs tantivy's sloppy-phrase rule over the positions of the bigrams in the
//!   stored text ([`SlopRule`], see `super::check`);
//! - nothing else: dates are exact because stored dates are clamped as tantivy clamps them.

use chrono::{Datelike, Months, NaiveDate};

use super::layout::{
    self, gram_token, keyword_tag, word_token, ALL, AUTHOR_TAG, BODY_EXACT, BODY_WORDS, DATED,
    FIRST_YEAR, KEYWORDS_TAG, LAST_YEAR, ORG_TAG, PERSON_TAG, PLACE_TAG, SECTION_TAG, SOURCE_TAG,
    TAGS, TITLE_EXACT, TITLE_WORDS,
};
use crate::analyze::exact::{exact_terms, proximity_terms};
use crate::analyze::WordsTokenizer;
use crate::search::compile::{query_units, LONG_TERM_SHARE, LONG_TERM_UNITS};
use crate::search::query::{KeywordField, Node, Syntax, TextField};

/// A full-text expression of the node's query language.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every document.
    All,
    /// No document.
    Nothing,
    Text(String),
}

impl Expr {
    fn text(s: String) -> Expr {
        Expr::Text(s)
    }

    pub fn and(parts: Vec<Expr>) -> Expr {
        Expr::join(parts, Expr::Nothing, Expr::All, " ")
    }

    pub fn or(parts: Vec<Expr>) -> Expr {
        Expr::join(parts, Expr::All, Expr::Nothing, " | ")
    }

    /// `parts` joined by `operator`: `absorbing` (Nothing for AND, All for OR) decides the
    /// whole, `neutral` drops out, and no part left is `neutral` itself.
    fn join(parts: Vec<Expr>, absorbing: Expr, neutral: Expr, operator: &str) -> Expr {
        let mut keep = Vec::new();
        for p in parts {
            match p {
                Expr::Text(t) => keep.push(t),
                p if p == absorbing => return absorbing,
                _ => {}
            }
        }
        match keep.len() {
            0 => neutral,
            1 => Expr::Text(keep.remove(0)),
            _ => Expr::Text(format!("({})", keep.join(operator))),
        }
    }

    /// `self` without what `not` matches. The node's NOT needs something to subtract
    /// from, so an exclusion from every document subtracts from the `all` tag.
    pub fn and_not(self, not: Expr) -> Expr {
        match (self, not) {
            (_, Expr::All) | (Expr::Nothing, _) => Expr::Nothing,
            (pos, Expr::Nothing) => pos,
            (Expr::All, Expr::Text(n)) => Expr::Text(format!("(@{TAGS} {ALL} -{n})")),
            (Expr::Text(p), Expr::Text(n)) => Expr::Text(format!("({p} -{n})")),
        }
    }

    /// The text for `MATCH()`; `None` when nothing can match.
    pub fn to_match(&self) -> Option<String> {
        match self {
            Expr::All => Some(format!("@{TAGS} {ALL}")),
            Expr::Nothing => None,
            Expr::Text(t) => Some(t.clone()),
        }
    }
}

/// Enough of a long string's words in one words field.
#[derive(Debug, Clone)]
pub struct WordsRule {
    pub field: &'static str,
    /// Each unit's whole word, as the field's token.
    pub tokens: Vec<String>,
    /// Each unit's weight (its inverse document frequency in the field).
    pub weights: Vec<f32>,
    pub need: f32,
}

impl WordsRule {
    /// The fewest words that can carry the weight needed: any article with fewer is out.
    pub fn quorum(&self) -> usize {
        let mut w = self.weights.clone();
        w.sort_by(|a, b| b.total_cmp(a));
        let mut sum = 0.0;
        for (i, x) in w.iter().enumerate() {
            sum += x;
            if sum >= self.need {
                return i + 1;
            }
        }
        w.len().max(1)
    }

    /// Whether words `held` (by index into `tokens`) carry enough weight.
    pub fn holds(&self, held: &[bool]) -> bool {
        let weight: f32 = self
            .weights
            .iter()
            .zip(held)
            .filter(|(_, h)| **h)
            .map(|(w, _)| w)
            .sum();
        weight >= self.need
    }

    fn superset(&self) -> Expr {
        let q = self.quorum();
        if q >= self.tokens.len() {
            return Expr::text(format!("(@{} {})", self.field, self.tokens.join(" ")));
        }
        Expr::text(format!(
            "(@{} \"{}\"/{q})",
            self.field,
            self.tokens.join(" ")
        ))
    }
}

/// A phrase with a slop in one exact field.
#[derive(Debug, Clone)]
pub struct SlopRule {
    pub title: bool,
    /// The terms (a bigram, or a lone character matching any token it starts) at their
    /// offsets, as `analyze::exact::proximity_terms` gives them.
    pub terms: Vec<(usize, String)>,
    pub slop: u32,
}

impl SlopRule {
    fn superset(&self) -> Expr {
        let field = if self.title { TITLE_EXACT } else { BODY_EXACT };
        let mut words: Vec<String> = self.terms.iter().map(|(_, t)| gram_word(t)).collect();
        words.sort();
        words.dedup();
        Expr::text(format!("(@{field} {})", words.join(" ")))
    }
}

/// What decides whether a document matches.
#[derive(Debug, Clone)]
pub enum Cond {
    /// Exactly what the expression matches.
    Exact(Expr),
    Words(WordsRule),
    Slop(SlopRule),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
}

impl Cond {
    /// Whether the node alone answers exactly.
    pub fn exact(&self) -> bool {
        matches!(self, Cond::Exact(_))
    }

    /// An expression matching at least every document the condition matches.
    pub fn superset(&self) -> Expr {
        match self {
            Cond::Exact(e) => e.clone(),
            Cond::Words(w) => w.superset(),
            Cond::Slop(s) => s.superset(),
            Cond::Or(v) => Expr::or(v.iter().map(Cond::superset).collect()),
            Cond::Not(_) => Expr::All,
            Cond::And(v) => {
                let pos = Expr::and(
                    v.iter()
                        .filter(|c| !matches!(c, Cond::Not(_)))
                        .map(Cond::superset)
                        .collect(),
                );
                // Only an exact exclusion can be subtracted from a superset.
                pos.and_not(exact_exclusions(v))
            }
        }
    }

    /// Folds every part that the node answers exactly into one [`Cond::Exact`].
    fn simplify(self) -> Cond {
        match self {
            Cond::And(v) => {
                let v: Vec<Cond> = v.into_iter().map(Cond::simplify).collect();
                if v.iter().all(|c| match c {
                    Cond::Not(inner) => inner.exact(),
                    c => c.exact(),
                }) {
                    let pos = Expr::and(
                        v.iter()
                            .filter_map(|c| match c {
                                Cond::Exact(e) => Some(e.clone()),
                                _ => None,
                            })
                            .collect(),
                    );
                    Cond::Exact(pos.and_not(exact_exclusions(&v)))
                } else {
                    Cond::And(v)
                }
            }
            Cond::Or(v) => {
                let v: Vec<Cond> = v.into_iter().map(Cond::simplify).collect();
                if v.iter().all(Cond::exact) {
                    Cond::Exact(Expr::or(
                        v.into_iter()
                            .filter_map(|c| match c {
                                Cond::Exact(e) => Some(e),
                                _ => None,
                            })
                            .collect(),
                    ))
                } else {
                    // The exact alternatives of an OR are one question to the node.
                    let (exact, other): (Vec<Cond>, Vec<Cond>) =
                        v.into_iter().partition(Cond::exact);
                    let mut out = other;
                    let e = Expr::or(
                        exact
                            .into_iter()
                            .filter_map(|c| match c {
                                Cond::Exact(e) => Some(e),
                                _ => None,
                            })
                            .collect(),
                    );
                    if e != Expr::Nothing {
                        out.push(Cond::Exact(e));
                    }
                    Cond::Or(out)
                }
            }
            Cond::Not(inner) => {
                let inner = inner.simplify();
                match inner {
                    Cond::Exact(e) => Cond::Exact(Expr::All.and_not(e)),
                    other => Cond::And(vec![Cond::Exact(Expr::All), Cond::Not(Box::new(other))]),
                }
            }
            other => other,
        }
    }
}

/// The exact exclusions among `v` (`-"…"` parts), as one expression to subtract.
fn exact_exclusions(v: &[Cond]) -> Expr {
    Expr::or(
        v.iter()
            .filter_map(|c| match c {
                Cond::Not(inner) => match inner.as_ref() {
                    Cond::Exact(e) => Some(e.clone()),
                    _ => None,
                },
                _ => None,
            })
            .collect(),
    )
}

/// The node's word for a term of the exact view: a lone character is a prefix.
fn gram_word(term: &str) -> String {
    let mut chars = term.chars();
    match (chars.next(), chars.next()) {
        (Some(_), None) => format!("{}*", gram_token(term)),
        _ => gram_token(term),
    }
}

/// The exact string `text` in an exact field (or, with a slop, the terms of a proximity).
fn exact_expr(field: &str, text: &str, slop: u32) -> Expr {
    let terms = if slop == 0 {
        exact_terms(text)
    } else {
        proximity_terms(text)
    };
    match terms.len() {
        0 => Expr::Nothing,
        1 => Expr::text(format!("(@{field} {})", gram_word(&terms[0].1))),
        _ => {
            let words: Vec<String> = terms.iter().map(|(_, t)| gram_word(t)).collect();
            Expr::text(format!("(@{field} \"{}\")", words.join(" ")))
        }
    }
}

/// Document frequencies the weights of long strings need: the number of documents and
/// the documents holding each word token. Asked once per query, before compiling.
pub trait Frequencies {
    fn total_docs(&self) -> u64;
    fn docs(&self, token: &str) -> u64;
}

/// The word tokens of every long string of `node`, whose frequencies `compile` needs.
pub fn long_words(node: &Node, words: &WordsTokenizer, syntax: Syntax, out: &mut Vec<String>) {
    match node {
        Node::Term { field, text } => {
            let (w, u) = query_units(&words.words(text), syntax);
            if u.len() >= LONG_TERM_UNITS {
                for (title, _) in fields(*field) {
                    out.extend(u.iter().map(|x| word_token(title, &w[x.whole])));
                }
            }
        }
        Node::And(v) | Node::Or(v) => v.iter().for_each(|n| long_words(n, words, syntax, out)),
        Node::Not(n) => long_words(n, words, syntax, out),
        _ => {}
    }
}

/// (is title, exact field) for each field a text node searches.
fn fields(f: TextField) -> Vec<(bool, &'static str)> {
    match f {
        TextField::Any => vec![(true, TITLE_EXACT), (false, BODY_EXACT)],
        TextField::Title => vec![(true, TITLE_EXACT)],
        TextField::Body => vec![(false, BODY_EXACT)],
    }
}

pub struct Compiler<'a> {
    pub words: &'a WordsTokenizer,
    pub stats: &'a dyn Frequencies,
    /// How the query was read, as locally.
    pub syntax: Syntax,
}

impl Compiler<'_> {
    /// The condition a document must meet to match `node`.
    pub fn compile(&self, node: &Node) -> Cond {
        self.cond(node).simplify()
    }

    fn cond(&self, node: &Node) -> Cond {
        match node {
            Node::All => Cond::Exact(Expr::All),
            Node::Term { field, text } => self.term(*field, text),
            Node::Phrase { field, text, slop } => Cond::Or(
                fields(*field)
                    .into_iter()
                    .map(|(title, exact)| self.exact(title, exact, text, *slop))
                    .collect(),
            ),
            Node::Near {
                field,
                parts,
                distance,
            } => Cond::Or(
                fields(*field)
                    .into_iter()
                    .map(|(title, exact)| {
                        let mut all: Vec<Cond> = parts
                            .iter()
                            .map(|p| Cond::Exact(exact_expr(exact, p, 0)))
                            .collect();
                        all.push(self.exact(title, exact, &parts.join(" "), *distance));
                        Cond::And(all)
                    })
                    .collect(),
            ),
            Node::Keyword { field, value } => {
                let prefix = match field {
                    KeywordField::Source => SOURCE_TAG,
                    KeywordField::Author => AUTHOR_TAG,
                    KeywordField::Section => SECTION_TAG,
                    KeywordField::Keywords => KEYWORDS_TAG,
                    KeywordField::Person => PERSON_TAG,
                    KeywordField::Place => PLACE_TAG,
                    KeywordField::Org => ORG_TAG,
                };
                Cond::Exact(match keyword_tag(prefix, value) {
                    Some(tag) => Expr::text(format!("(@{TAGS} {tag})")),
                    None => Expr::Nothing,
                })
            }
            Node::Published { from, to } => Cond::Exact(published(*from, *to)),
            Node::And(parts) => {
                let mut v: Vec<Cond> = parts
                    .iter()
                    .map(|p| match p {
                        Node::Not(inner) => Cond::Not(Box::new(self.cond(inner))),
                        other => self.cond(other),
                    })
                    .collect();
                if v.iter().all(|c| matches!(c, Cond::Not(_))) {
                    v.push(Cond::Exact(Expr::All));
                }
                Cond::And(v)
            }
            Node::Or(parts) => Cond::Or(parts.iter().map(|p| self.cond(p)).collect()),
            Node::Not(inner) => Cond::And(vec![
                Cond::Exact(Expr::All),
                Cond::Not(Box::new(self.cond(inner))),
            ]),
        }
    }

    /// A string in an exact field, with a slop (`Compiler::exact` of the local index).
    fn exact(&self, title: bool, field: &str, text: &str, slop: u32) -> Cond {
        if slop == 0 {
            return Cond::Exact(exact_expr(field, text, 0));
        }
        let terms = proximity_terms(text);
        if terms.len() <= 1 {
            return Cond::Exact(exact_expr(field, text, slop));
        }
        Cond::Slop(SlopRule { title, terms, slop })
    }

    /// An unquoted term: enough of its words, or the exact string, in any of its fields.
    fn term(&self, field: TextField, text: &str) -> Cond {
        let (words, units) = query_units(&self.words.words(text), self.syntax);
        let long = units.len() >= LONG_TERM_UNITS;
        let mut alternatives = Vec::new();
        for (title, exact) in fields(field) {
            let word_field = if title { TITLE_WORDS } else { BODY_WORDS };
            let tokens: Vec<String> = units
                .iter()
                .map(|u| word_token(title, &words[u.whole]))
                .collect();
            if long {
                let n = self.stats.total_docs();
                let weights: Vec<f32> = tokens
                    .iter()
                    .map(|t| {
                        let df = self.stats.docs(t).min(n);
                        (1.0 + ((n - df) as f32 + 0.5) / (df as f32 + 0.5)).ln()
                    })
                    .collect();
                // As the local index: a hair under the share.
                let need = LONG_TERM_SHARE * weights.iter().sum::<f32>() * (1.0 - 1e-5);
                alternatives.push(Cond::Words(WordsRule {
                    field: word_field,
                    tokens,
                    weights,
                    need,
                }));
            } else if !tokens.is_empty() {
                alternatives.push(Cond::Exact(Expr::text(format!(
                    "(@{word_field} {})",
                    tokens.join(" ")
                ))));
            }
            alternatives.push(Cond::Exact(exact_expr(exact, text, 0)));
        }
        Cond::Or(alternatives)
    }
}

/// Published in `[from, to]` (Beijing days, both inclusive; open ends unbounded) as date
/// tags: the fewest whole millennia, centuries, decades, years, months and days.
pub fn published(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Expr {
    let first = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap_or_default();
    let last = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap_or_default();
    // Stored dates are clamped as tantivy clamps them (years 1678–2262), well inside.
    let from = from.map_or(first, |d| d.max(first));
    let to = to.map_or(last, |d| d.min(last));
    if from > to {
        return Expr::Nothing;
    }
    if from == first && to == last {
        return Expr::text(format!("(@{TAGS} {DATED})"));
    }
    let tags = date_cover(from, to);
    Expr::text(format!("(@{TAGS} {})", tags.join(" | ")))
}

/// The tags of whole calendar blocks that together cover `from..=to` exactly.
pub fn date_cover(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let y = d.year();
        let year_start = d.month() == 1 && d.day() == 1;
        // The largest block starting at `d` that ends by `to`: (tag, first day after it).
        let mut blocks: Vec<(String, Option<NaiveDate>)> = Vec::new();
        if year_start {
            for (span, tag) in [(1000, 'k'), (100, 'c'), (10, 'e')] {
                if y % span == 0 {
                    blocks.push((
                        format!("{tag}{}", y / span),
                        NaiveDate::from_ymd_opt(y + span, 1, 1),
                    ));
                }
            }
            blocks.push((format!("y{y}"), NaiveDate::from_ymd_opt(y + 1, 1, 1)));
        }
        if d.day() == 1 {
            blocks.push((
                format!("m{y}{:02}", d.month()),
                d.checked_add_months(Months::new(1)),
            ));
        }
        blocks.push((format!("d{y}{:02}{:02}", d.month(), d.day()), d.succ_opt()));
        let pick = blocks
            .into_iter()
            .find(|(_, next)| next.map_or(to == d, |n| n.pred_opt().is_some_and(|end| end <= to)));
        match pick {
            Some((tag, Some(next))) => {
                out.push(tag);
                d = next;
            }
            Some((tag, None)) => {
                out.push(tag);
                break;
            }
            None => break,
        }
    }
    out
}

/// The tag a filter on the source adds to every query.
pub fn source_filter(source: &str) -> Expr {
    match layout::keyword_tag(SOURCE_TAG, source) {
        Some(tag) => Expr::text(format!("(@{TAGS} {tag})")),
        None => Expr::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn date_blocks_cover_exactly() {
        assert_eq!(
            date_cover(day(2020, 1, 1), day(2020, 12, 31)),
            vec!["y2020"]
        );
        // No decade lies whole inside 2012–2026: a year tag each.
        assert_eq!(
            date_cover(day(2012, 1, 1), day(2026, 12, 31)),
            (2012..=2026).map(|y| format!("y{y}")).collect::<Vec<_>>()
        );
        assert_eq!(
            date_cover(day(2009, 1, 1), day(2030, 12, 31)),
            vec!["y2009", "e201", "e202", "y2030"]
        );
        assert_eq!(
            date_cover(day(2020, 2, 28), day(2020, 4, 1)),
            vec!["d20200228", "d20200229", "m202003", "d20200401"]
        );
        assert_eq!(date_cover(day(2000, 1, 1), day(2999, 12, 31)), vec!["k2"]);
        // Every day of a span is covered once, by brute force over two years.
        let (a, b) = (day(2019, 11, 17), day(2021, 2, 3));
        let tags = date_cover(a, b);
        let mut d = day(2019, 1, 1);
        while d <= day(2021, 12, 31) {
            let mine = crate::cluster::layout::date_tags(d);
            let hits = tags.iter().filter(|t| mine.contains(t)).count();
            assert_eq!(hits, usize::from(d >= a && d <= b), "{d}");
            d = d.succ_opt().expect("next day");
        }
    }

    #[test]
    fn expressions_compose() {
        let t = |s: &str| Expr::Text(s.into());
        assert_eq!(Expr::and(vec![t("a"), Expr::All, t("b")]), t("(a b)"));
        assert_eq!(Expr::and(vec![t("a"), Expr::Nothing]), Expr::Nothing);
        assert_eq!(Expr::or(vec![t("a"), Expr::Nothing]), t("a"));
        assert_eq!(Expr::All.and_not(t("x")), t("(@tags all -x)"));
        assert_eq!(t("a").and_not(Expr::Nothing), t("a"));
        assert_eq!(t("a").and_not(Expr::All), Expr::Nothing);
    }

    #[test]
    fn quorum_is_the_fewest_words_that_can_be_enough() {
        let r = WordsRule {
            field: TITLE_WORDS,
            tokens: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            weights: vec![1.0, 4.0, 2.0, 1.0],
            need: 3.99,
        };
        assert_eq!(r.quorum(), 1);
        assert!(r.holds(&[false, true, false, false]));
        assert!(!r.holds(&[true, false, true, false]));
        let r = WordsRule { need: 5.0, ..r };
        assert_eq!(r.quorum(), 2);
    }
}
