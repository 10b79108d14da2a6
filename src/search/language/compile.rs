//! Query tree to tantivy query. Unquoted terms are matched on jieba words (ranked, title
//! boosted) or, where the words miss, on the exact string in the bigram view; quoted
//! strings only on the bigram view, so they return exactly the documents containing them.

use std::ops::Bound;

use chrono::{NaiveDate, TimeZone};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexPhraseQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, Score, Term};

use crate::analyze::exact::{exact_terms, proximity_terms};
use crate::analyze::{normalize::normalize, WordsTokenizer};
use crate::article::beijing;
use crate::index::Fields;
use crate::search::enough::EnoughOfQuery;
use crate::search::prefix::CharPrefixQuery;
use crate::search::query::{KeywordField, Node, Syntax, TextField};
use crate::search::stats::QueryStats;

pub const TITLE_BOOST: f32 = 2.0;
/// The exact view adds to the score but should not outweigh the words.
pub const EXACT_BOOST: f32 = 0.5;
/// Weight of the bigrams of a long unquoted string.
pub const NGRAM_BOOST: f32 = 0.25;
/// From this many characters an unquoted string is "long" (a headline, a sentence).
pub const LONG_TERM_CHARS: usize = 6;
/// From this many words a string need not match all of them...
pub const LONG_TERM_UNITS: usize = 4;
/// ...only words that carry this share of its weight (the weight of a word is its inverse
/// document frequency, so rare words count most). Counting words instead let common
/// words stand in for rare ones. With the second ranking phase (`rerank`), a half made
/// the dev headline set's MRR@10 0.7505 against 0.7383 at three quarters, QBQTC's nDCG@10
/// the same (0.834); benches/README.md has the sweep.
pub const LONG_TERM_SHARE: f32 = 0.5;

pub struct Compiler<'a> {
    pub fields: &'a Fields,
    pub words: &'a WordsTokenizer,
    /// Document frequencies weigh the words of long strings; the scoring of the compiled
    /// queries reuses them.
    pub stats: QueryStats<'a>,
    /// How the query was read: the lenient reading leaves asking words out of what must
    /// match (see [`super::question`]).
    pub syntax: Syntax,
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

/// A term of the bigram view. The view holds a lone character only at the end of a text;
/// everywhere else the character starts a bigram, so a lone character of the query
/// matches every term that starts with it (see `analyze::bigram`).
pub fn gram_query(term: &Term) -> Box<dyn Query> {
    match term.value().as_str().and_then(lone_char) {
        Some(c) => Box::new(CharPrefixQuery::new(term.field(), c)),
        None => word_query(term),
    }
}

/// A term with its frequencies (no positions), as BM25 scores it.
pub fn word_query(term: &Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs))
}

/// The character of a one-character term.
fn lone_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// The character itself, or a bigram that starts with it.
fn lone_char_pattern(c: char) -> String {
    format!("{}.?", regex_literal(&c.to_string()))
}

/// `text` as a regex that matches only itself: letters, digits and CJK as they are,
/// anything else as a code point escape.
fn regex_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push_str(&format!("\\x{{{:x}}}", c as u32));
        }
    }
    out
}

/// Terms a phrase over lone characters may expand to, all positions together. A common
/// character starts a few thousand bigrams; this only stops a pathological query.
const MAX_PHRASE_EXPANSIONS: u32 = 1 << 20;

pub fn weighted_term(term: Term, b: f32) -> Box<dyn Query> {
    boost(word_query(&term), b)
}

/// An unquoted term in one field pair: enough of its words in the words view, or the
/// exact string in the bigram view; its bigrams add to the score of a match.
pub struct FieldPlan {
    /// Every distinct search-mode word of the string.
    pub words: Vec<(Term, f32)>,
    /// The string's words as segmented, each with the sub-words search mode adds inside it
    /// (indexes into `words`).
    pub units: Vec<Unit>,
    /// Each unit's weight (its word's inverse document frequency in the field, or 1 for
    /// a short string, where every unit is needed).
    pub unit_weights: Vec<f32>,
    /// The weight of matching units the words alternative needs.
    pub need: f32,
    /// The exact string, already weighted.
    pub exact: Box<dyn Query>,
    /// The terms of the exact string in the bigram view (all of them are in a document
    /// that holds the string).
    pub grams: Vec<(Term, f32)>,
    /// A long string: its grams add to the score of a match.
    pub grams_score: bool,
}

/// A word of the query and the shorter words search mode finds inside it (有限公司: 有限,
/// 公司). It matches where the word does; the parts only add to the score. Counted as
/// words of their own, 有限 公司 有限公司 made three of the five words of 有限公司注销手续,
/// so a title with just 有限公司 passed a "half of the words" rule. Letting all the parts
/// stand in for the word would match 人民 … 商业银行 for 人民银行; where segmentation hides
/// the word (中国人民银行), the exact string still finds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    pub whole: usize,
    pub parts: Vec<usize>,
}

impl Unit {
    /// Whether the unit matches, given which of the plan's words do.
    pub fn matches(&self, matched: &[bool]) -> bool {
        matched[self.whole]
    }

    /// A partial match scores each unit once: the whole word or its parts, whichever
    /// scores more. Summing both let common compounds (有限公司) outrank rare words (注销):
    /// QBQTC nDCG@10 0.7987 → 0.8003 (2,000 queries), headline 0.7405 → 0.7442.
    pub fn relaxed_score(&self, word_scores: &[Score]) -> Score {
        let parts: Score = self.parts.iter().map(|&p| word_scores[p]).sum();
        word_scores[self.whole].max(parts)
    }

    /// The same as a query: the larger of the whole word's and the parts' scores.
    fn relaxed_query(&self, words: &[(Term, f32)]) -> Box<dyn Query> {
        let term = |i: usize| weighted_term(words[i].0.clone(), words[i].1);
        if self.parts.is_empty() {
            return term(self.whole);
        }
        let parts = BooleanQuery::union(self.parts.iter().map(|&p| term(p)).collect());
        Box::new(DisjunctionMaxQuery::new(vec![
            term(self.whole),
            Box::new(parts),
        ]))
    }
}

/// An unquoted term: it matches where any field's alternative does; the score sums
/// every matching alternative and, for a match, the matching bigrams.
pub struct TermPlan {
    pub fields: Vec<FieldPlan>,
}

impl TermPlan {
    pub fn query(self) -> Box<dyn Query> {
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        let mut scoring: Vec<Box<dyn Query>> = Vec::new();
        for f in self.fields {
            if !f.units.is_empty() {
                let mut clauses = f.units.iter().map(|u| unit_query(&f.words, u));
                let total: f32 = f.unit_weights.iter().sum();
                alternatives.push(if f.units.len() == 1 {
                    clauses.next().unwrap_or_else(|| Box::new(EmptyQuery))
                } else if f.need >= total {
                    Box::new(BooleanQuery::new(
                        clauses.map(|q| (Occur::Must, q)).collect(),
                    ))
                } else {
                    Box::new(EnoughOfQuery::new(
                        clauses.zip(f.unit_weights.iter().copied()).collect(),
                        f.need,
                    ))
                });
            }
            alternatives.push(f.exact);
            if f.grams_score && !f.grams.is_empty() {
                let grams = f
                    .grams
                    .into_iter()
                    .map(|(t, b)| boost(gram_query(&t), b))
                    .collect();
                scoring.push(Box::new(BooleanQuery::union(grams)));
            }
        }
        if scoring.is_empty() {
            any_of(alternatives)
        } else {
            // Bigram overlap only adds to the score; it never makes a match on its own.
            let mut clauses = vec![(Occur::Must, any_of(alternatives))];
            clauses.extend(scoring.into_iter().map(|q| (Occur::Should, q)));
            Box::new(BooleanQuery::new(clauses))
        }
    }
}

/// One unit: its word must be there; each of its parts that is there adds its score.
fn unit_query(words: &[(Term, f32)], unit: &Unit) -> Box<dyn Query> {
    let term = |i: usize| weighted_term(words[i].0.clone(), words[i].1);
    if unit.parts.is_empty() {
        return term(unit.whole);
    }
    let mut clauses = vec![(Occur::Must, term(unit.whole))];
    clauses.extend(unit.parts.iter().map(|&p| (Occur::Should, term(p))));
    Box::new(BooleanQuery::new(clauses))
}

/// The distinct words of `tokens` and the units they form: a word is a unit unless a
/// longer word covers it.
pub fn units(tokens: &[tantivy::tokenizer::Token]) -> (Vec<String>, Vec<Unit>) {
    let span = |t: &tantivy::tokenizer::Token| (t.position, t.position + t.text.chars().count());
    let mut words: Vec<String> = Vec::new();
    let index_of = |w: &str, words: &mut Vec<String>| match words.iter().position(|x| x == w) {
        Some(i) => i,
        None => {
            words.push(w.to_string());
            words.len() - 1
        }
    };
    let mut units = Vec::new();
    for t in tokens {
        let (from, to) = span(t);
        let covered = tokens.iter().any(|o| {
            let (f, e) = span(o);
            f <= from && to <= e && e - f > to - from
        });
        if covered {
            continue;
        }
        let whole = index_of(&t.text, &mut words);
        let mut parts = Vec::new();
        for o in tokens {
            let (f, e) = span(o);
            if from <= f && e <= to && e - f < to - from {
                let i = index_of(&o.text, &mut words);
                if !parts.contains(&i) {
                    parts.push(i);
                }
            }
        }
        let unit = Unit { whole, parts };
        if !units.contains(&unit) {
            units.push(unit);
        }
    }
    (words, units)
}

/// The units of a query string: [`units`] without the words that ask rather than say
/// (什么时候, 怎么样: see [`super::question`]).
pub fn query_units(
    tokens: &[tantivy::tokenizer::Token],
    syntax: Syntax,
) -> (Vec<String>, Vec<Unit>) {
    let (words, units) = units(tokens);
    let units = super::question::content_units(&words, units, syntax);
    (words, units)
}

fn boost(q: Box<dyn Query>, b: f32) -> Box<dyn Query> {
    if (b - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, b))
    }
}

fn any_of(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match qs.len() {
        0 => Box::new(EmptyQuery),
        1 => qs
            .into_iter()
            .next()
            .unwrap_or_else(|| Box::new(EmptyQuery)),
        _ => Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (Occur::Should, q)).collect(),
        )),
    }
}

/// Beijing midnight of a date as a tantivy date.
fn day_start(d: NaiveDate) -> DateTime {
    crate::index::schema::date_from_secs(day_start_secs(d))
}

/// Beijing midnight of a date in seconds since the epoch.
pub fn day_start_secs(d: NaiveDate) -> i64 {
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    beijing()
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.timestamp())
        .unwrap_or_else(|| naive.and_utc().timestamp())
}

pub fn date_range_query(
    field: Field,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Box<dyn Query> {
    let lower = match from {
        Some(f) => Bound::Included(Term::from_field_date(field, day_start(f))),
        None => Bound::Unbounded,
    };
    let upper = match to.and_then(|t| t.succ_opt()) {
        Some(next) => Bound::Excluded(Term::from_field_date(field, day_start(next))),
        None => Bound::Unbounded,
    };
    if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
        // `[* TO *]`: any article with a date (tantivy's range query needs a bound).
        return Box::new(tantivy::query::ExistsQuery::new(
            crate::index::schema::PUBLISHED.to_string(),
            false,
        ));
    }
    Box::new(RangeQuery::new(lower, upper))
}

/// Articles published from `from` to `to` (seconds since the epoch, both included).
pub fn secs_range_query(field: Field, from: i64, to: i64) -> Box<dyn Query> {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_date(
            field,
            crate::index::schema::date_from_secs(from),
        )),
        Bound::Included(Term::from_field_date(
            field,
            crate::index::schema::date_from_secs(to),
        )),
    ))
}

impl Compiler<'_> {
    fn text_fields(&self, f: TextField) -> Vec<(Field, Field, f32)> {
        let t = (self.fields.title, self.fields.title_exact, TITLE_BOOST);
        let b = (self.fields.body, self.fields.body_exact, 1.0);
        match f {
            TextField::Any => {
                // A field that no document fills (titles of an index of bodies alone) can
                // neither match nor score: leave it out rather than look up every term in it.
                let filled: Vec<_> = [t, b]
                    .into_iter()
                    .filter(|&(words, exact, _)| {
                        let tokens = |f| self.stats.total_num_tokens(f).unwrap_or(1);
                        tokens(words) + tokens(exact) > 0
                    })
                    .collect();
                if filled.is_empty() {
                    vec![t, b]
                } else {
                    filled
                }
            }
            TextField::Title => vec![t],
            TextField::Body => vec![b],
        }
    }

    /// The exact string in the bigram view: one term, or a phrase with positions (where a
    /// lone character matches any term that starts with it, see [`gram_query`]).
    pub fn exact(&self, field: Field, text: &str, slop: u32) -> Box<dyn Query> {
        let terms = if slop == 0 {
            exact_terms(text)
        } else {
            proximity_terms(text)
        };
        let lone = terms.iter().any(|(_, t)| lone_char(t).is_some());
        match terms.len() {
            0 => Box::new(EmptyQuery),
            1 => gram_query(&Term::from_field_text(field, &terms[0].1)),
            _ if lone => {
                let patterns = terms
                    .into_iter()
                    .map(|(pos, t)| match lone_char(&t) {
                        Some(c) => (pos, lone_char_pattern(c)),
                        None => (pos, regex_literal(&t)),
                    })
                    .collect();
                let mut q = RegexPhraseQuery::new_with_offset_and_slop(field, patterns, slop);
                q.set_max_expansions(MAX_PHRASE_EXPANSIONS);
                Box::new(q)
            }
            _ => Box::new(PhraseQuery::new_with_offset_and_slop(
                terms
                    .into_iter()
                    .map(|(pos, t)| (pos, Term::from_field_text(field, &t)))
                    .collect(),
                slop,
            )),
        }
    }

    /// Any word or bigram of `text` in title or body: the partial matches that fill a
    /// page when every-term matching finds too few (what ranked-retrieval engines
    /// return for every query).
    pub fn relaxed(&self, text: &str) -> Box<dyn Query> {
        let (words, units) = query_units(&self.words.words(text), self.syntax);
        let grams = exact_grams(text);
        let mut any = Vec::new();
        for (word_field, exact_field, b) in self.text_fields(TextField::Any) {
            let terms: Vec<(Term, f32)> = words
                .iter()
                .map(|w| (Term::from_field_text(word_field, w), b))
                .collect();
            any.extend(units.iter().map(|u| u.relaxed_query(&terms)));
            any.extend(grams.iter().map(|g| {
                boost(
                    gram_query(&Term::from_field_text(exact_field, g)),
                    b * NGRAM_BOOST,
                )
            }));
        }
        any_of(any)
    }

    /// How an unquoted term is matched and scored in each field.
    pub fn term_plan(&self, field: TextField, text: &str) -> TermPlan {
        let (words, units) = query_units(&self.words.words(text), self.syntax);
        let long = units.len() >= LONG_TERM_UNITS;
        let grams = exact_grams(text);
        // Long strings also score by their shared bigrams (what n-gram engines rank by):
        // MRR@10 0.669 → 0.688 on the headline set.
        let grams_score = text.chars().count() >= LONG_TERM_CHARS;
        let fields = self
            .text_fields(field)
            .into_iter()
            .map(|(word_field, exact_field, b)| {
                let words: Vec<(Term, f32)> = words
                    .iter()
                    .map(|w| (Term::from_field_text(word_field, w), b))
                    .collect();
                let (unit_weights, need) = if long {
                    let weights: Vec<f32> =
                        units.iter().map(|u| self.idf(&words[u.whole].0)).collect();
                    // A hair under the share: the two paths sum the weights in different
                    // orders, and a tie must not fall on different sides.
                    let need = LONG_TERM_SHARE * weights.iter().sum::<f32>() * (1.0 - 1e-5);
                    (weights, need)
                } else {
                    (vec![1.0; units.len()], units.len() as f32)
                };
                FieldPlan {
                    words,
                    units: units.clone(),
                    unit_weights,
                    need,
                    exact: boost(self.exact(exact_field, text, 0), b * EXACT_BOOST),
                    grams: grams
                        .iter()
                        .map(|g| (Term::from_field_text(exact_field, g), b * NGRAM_BOOST))
                        .collect(),
                    grams_score,
                }
            })
            .collect();
        TermPlan { fields }
    }

    /// BM25's inverse document frequency of a term.
    fn idf(&self, term: &Term) -> f32 {
        // Counted as tantivy's BM25 counts: deleted documents are still in the postings, so
        // against live documents alone an updated article could make the weight negative.
        let n = self.stats.total_num_docs().unwrap_or(0);
        let df = self.stats.doc_freq(term).unwrap_or(0).min(n);
        (1.0 + ((n - df) as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }

    /// A rough count of the postings a query reads, known before it runs: what tells an
    /// expensive query (common lone characters in a proximity, a union of dozens of common
    /// words) from an ordinary one. Positions cost more than documents, and a lone
    /// character in a proximity expands to every bigram it starts.
    pub fn cost(&self, node: &Node) -> u64 {
        let docs = self.stats.total_num_docs().unwrap_or(0).max(1);
        // `sloppy`: a proximity, whose parts are looked up apart (so a part may be a lone
        // character, expanded to every bigram it starts, with positions).
        let grams = |field: TextField, text: &str, positions: bool, sloppy: bool| -> u64 {
            let weight = if positions { 4 } else { 1 };
            let terms = if sloppy {
                proximity_terms(text)
            } else {
                exact_terms(text)
            };
            self.text_fields(field)
                .into_iter()
                .map(|(_, exact, _)| {
                    terms
                        .iter()
                        .map(|(_, t)| match lone_char(t) {
                            Some(_) if sloppy => 16 * docs,
                            Some(_) => docs,
                            None => {
                                weight
                                    * self
                                        .stats
                                        .doc_freq(&Term::from_field_text(exact, t))
                                        .unwrap_or(docs)
                            }
                        })
                        .sum::<u64>()
                })
                .sum()
        };
        match node {
            Node::All => docs,
            Node::Term { field, text } => 2 * grams(*field, text, false, false),
            Node::Phrase { field, text, slop } => grams(*field, text, true, *slop > 0),
            Node::Near { field, parts, .. } => grams(*field, &parts.join(" "), true, true),
            Node::Keyword { .. } | Node::Published { .. } => docs / 8,
            Node::And(v) | Node::Or(v) => v.iter().map(|n| self.cost(n)).sum(),
            Node::Not(n) => self.cost(n),
        }
    }

    /// The clauses of a query that hold whatever its text: at the top of an `And`, its
    /// exclusions, fields and dates. A partial match is still bound by them.
    pub fn constraints(&self, node: &Node) -> Vec<(Occur, Box<dyn Query>)> {
        let Node::And(parts) = node else {
            return Vec::new();
        };
        parts
            .iter()
            .filter_map(|p| match p {
                Node::Not(inner) => Some((Occur::MustNot, self.compile(inner))),
                Node::Keyword { .. } | Node::Published { .. } => {
                    Some((Occur::Must, self.compile(p)))
                }
                _ => None,
            })
            .collect()
    }

    pub fn compile(&self, node: &Node) -> Box<dyn Query> {
        match node {
            Node::All => Box::new(AllQuery),
            Node::Term { field, text } => self.term_plan(*field, text).query(),
            Node::Phrase { field, text, slop } => any_of(
                self.text_fields(*field)
                    .into_iter()
                    .map(|(_, exact_field, b)| boost(self.exact(exact_field, text, *slop), b))
                    .collect(),
            ),
            Node::Near {
                field,
                parts,
                distance,
            } => {
                let mut per_field = Vec::new();
                for (_, exact_field, b) in self.text_fields(*field) {
                    let mut must: Vec<(Occur, Box<dyn Query>)> = parts
                        .iter()
                        .map(|p| (Occur::Must, self.exact(exact_field, p, 0)))
                        .collect();
                    let joined = parts.join(" ");
                    must.push((Occur::Must, self.exact(exact_field, &joined, *distance)));
                    per_field.push(boost(Box::new(BooleanQuery::new(must)), b));
                }
                any_of(per_field)
            }
            Node::Keyword { field, value } => {
                let f = match field {
                    KeywordField::Source => self.fields.source,
                    KeywordField::Author => self.fields.author,
                    KeywordField::Section => self.fields.section,
                    KeywordField::Keywords => self.fields.keywords,
                    KeywordField::Person => self.fields.person,
                    KeywordField::Place => self.fields.place,
                    KeywordField::Org => self.fields.org,
                };
                term_query(f, &normalize(value.trim()))
            }
            Node::Published { from, to } => date_range_query(self.fields.published, *from, *to),
            Node::And(parts) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = parts
                    .iter()
                    .map(|p| match p {
                        Node::Not(inner) => (Occur::MustNot, self.compile(inner)),
                        other => (Occur::Must, self.compile(other)),
                    })
                    .collect();
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Node::Or(parts) => any_of(parts.iter().map(|p| self.compile(p)).collect()),
            Node::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.compile(inner)),
            ])),
        }
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|w| seen.insert(w.clone()));
    v
}

/// The distinct terms of the exact view for `text` that carry meaning for ranking: those
/// of letters and digits (a bigram with a comma or a bracket says nothing of the topic).
pub fn exact_grams(text: &str) -> Vec<String> {
    dedup(
        exact_terms(text)
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| t.chars().all(crate::analyze::normalize::is_alphanumeric))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the query_parser fuzz target: `date:[* TO 20206]` overflowed tantivy's
    /// nanosecond timestamp.
    #[test]
    fn dates_beyond_tantivy_range_are_clamped() {
        use crate::index::schema::{build, date_from_secs};
        use crate::search::query::parse;
        let fields = Fields::new(&build()).expect("fields");
        for q in [
            "date:[* TO 20206]",
            "published:[0001 TO 2020]",
            "date:99999",
        ] {
            let Ok(Node::Published { from, to }) = parse(q) else {
                panic!("{q} should parse as a date range");
            };
            let _ = date_range_query(fields.published, from, to);
        }
        let far = NaiveDate::from_ymd_opt(20207, 1, 1).expect("date");
        assert_eq!(day_start(far), date_from_secs(i64::MAX));
        let early = NaiveDate::from_ymd_opt(1, 1, 1).expect("date");
        assert_eq!(day_start(early), date_from_secs(i64::MIN));
        let y2020 = NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
        assert_eq!(day_start(y2020).into_timestamp_secs(), 1_577_808_000);
    }

    #[test]
    fn exact_grams_leave_out_punctuation() {
        assert_eq!(exact_grams("，银行"), vec!["银行".to_string()]);
    }

    #[test]
    fn a_longer_word_makes_one_unit_with_the_words_inside_it() {
        let token = |text: &str, position: usize| tantivy::tokenizer::Token {
            text: text.to_string(),
            position,
            ..Default::default()
        };
        // 有限公司注销手续 in search mode, plus a repeated word.
        let tokens = [
            token("有限", 0),
            token("公司", 2),
            token("有限公司", 0),
            token("注销", 4),
            token("手续", 6),
            token("注销", 8),
        ];
        let (words, units) = units(&tokens);
        assert_eq!(words, vec!["有限公司", "有限", "公司", "注销", "手续"]);
        assert_eq!(
            units,
            vec![
                Unit {
                    whole: 0,
                    parts: vec![1, 2]
                },
                Unit {
                    whole: 3,
                    parts: vec![]
                },
                Unit {
                    whole: 4,
                    parts: vec![]
                },
            ]
        );
        let compound = &units[0];
        assert!(compound.matches(&[true, false, false, false, false]));
        assert!(!compound.matches(&[false, true, true, true, true]));
        assert_eq!(compound.relaxed_score(&[1.0, 0.7, 0.6, 0.0, 0.0]), 1.3);
        assert_eq!(compound.relaxed_score(&[1.5, 0.7, 0.6, 0.0, 0.0]), 1.5);
    }
}
