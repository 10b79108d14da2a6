//! The second ranking phase: the best hits by BM25 are reordered by how much of the query
//! they hold verbatim. For each hit, from the bigram view's postings:
//!
//! - *found*: the share of the query's bigrams that the title or the body holds;
//! - *lead*: the share that the body holds in its first [`LEAD_CHARS`] characters (news
//!   puts the story in its lead).
//!
//! The score becomes `bm25 + top × (W_FOUND · found + W_LEAD · lead)`, where `top` is the
//! best BM25 score of the window: a bonus on the query's own scale, never negative, so
//! every reordered hit still ranks above every hit outside the window and paging stays
//! one consistent order. The weights were chosen on the development halves of the
//! headline and QBQTC sets (see benches/README.md).

use std::collections::{BTreeMap, HashSet};

use tantivy::postings::Postings;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, SegmentOrdinal, Term, TERMINATED};

use super::collect::Entry;
use crate::analyze::exact::exact_terms;
use crate::analyze::BigramTokenizer;
use crate::error::Result;
use crate::index::Fields;

/// How many of the best hits the second phase reorders.
pub const WINDOW: usize = 40;
/// The characters of a body that make its lead.
pub const LEAD_CHARS: u32 = 100;
pub const W_FOUND: f32 = 0.8;
pub const W_LEAD: f32 = 1.2;

/// The distinct bigrams of letters and digits of the query's texts, in order.
pub fn query_grams(texts: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    texts
        .iter()
        .flat_map(|t| exact_terms(t))
        .map(|(_, g)| g)
        .filter(|g| {
            g.chars().count() == 2 && g.chars().all(crate::analyze::normalize::is_alphanumeric)
        })
        .filter(|g| seen.insert(g.clone()))
        .collect()
}

/// What the postings (or the text) say of one hit: how many of the query's bigrams its
/// title holds, its body holds, and its body holds in the lead.
#[derive(Default, Clone, Copy, Debug, PartialEq)]
pub struct Held {
    pub title: u32,
    pub body: u32,
    pub lead: u32,
}

impl Held {
    /// The same counts read from the stored text instead of the postings (for an index
    /// whose postings are elsewhere, e.g. on a cluster's nodes).
    pub fn in_text(grams: &[String], title: &str, body: &str) -> Held {
        let mut held = Held::default();
        let title_grams: HashSet<String> = BigramTokenizer
            .tokens(title)
            .into_iter()
            .map(|t| t.text)
            .collect();
        let mut first: std::collections::HashMap<String, usize> = Default::default();
        for t in BigramTokenizer.tokens(body) {
            first.entry(t.text).or_insert(t.position);
        }
        for g in grams {
            if title_grams.contains(g) {
                held.title += 1;
            }
            if let Some(&p) = first.get(g) {
                held.body += 1;
                if (p as u32) < LEAD_CHARS {
                    held.lead += 1;
                }
            }
        }
        held
    }

    /// What the second phase adds to a score, `top` being the best score of the window.
    pub fn bonus(&self, top: f32, grams: usize) -> f32 {
        let all = grams as f32;
        let found = self.title.max(self.body) as f32 / all;
        let lead = self.lead as f32 / all;
        top * (W_FOUND * found + W_LEAD * lead)
    }
}

/// Reorders the first `window` of `entries` (best first) by the second phase; the rest
/// keep their place after them.
pub fn rerank(
    searcher: &Searcher,
    fields: &Fields,
    grams: &[String],
    entries: &mut [Entry],
    window: usize,
) -> Result<()> {
    let n = window.min(entries.len());
    if n == 0 || grams.is_empty() {
        return Ok(());
    }
    let top = entries[..n]
        .iter()
        .map(|e| e.score)
        .fold(f32::MIN, f32::max)
        .max(0.0);
    let mut by_segment: BTreeMap<SegmentOrdinal, Vec<(DocId, usize)>> = BTreeMap::new();
    for (i, e) in entries[..n].iter().enumerate() {
        by_segment
            .entry(e.address.segment_ord)
            .or_default()
            .push((e.address.doc_id, i));
    }
    let mut held = vec![Held::default(); n];
    let mut positions = Vec::new();
    for (segment, mut docs) in by_segment {
        docs.sort_unstable();
        let reader = searcher.segment_reader(segment);
        for (field, is_body) in [(fields.title_exact, false), (fields.body_exact, true)] {
            let index = reader.inverted_index(field)?;
            for g in grams {
                let term = Term::from_field_text(field, g);
                let option = if is_body {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::Basic
                };
                let postings = index
                    .read_postings(&term, option)
                    .map_err(|e| crate::error::Error::Tantivy(e.into()))?;
                let Some(mut postings) = postings else {
                    continue;
                };
                for &(doc, i) in &docs {
                    let mut at = postings.doc();
                    if at < doc {
                        at = postings.seek(doc);
                    }
                    if at == TERMINATED {
                        break;
                    }
                    if at != doc {
                        continue;
                    }
                    if is_body {
                        held[i].body += 1;
                        positions.clear();
                        postings.positions(&mut positions);
                        if positions.first().is_some_and(|&p| p < LEAD_CHARS) {
                            held[i].lead += 1;
                        }
                    } else {
                        held[i].title += 1;
                    }
                }
            }
        }
    }
    for (e, h) in entries[..n].iter_mut().zip(&held) {
        e.score += h.bonus(top, grams.len());
        e.sort.key = e.score as f64;
    }
    entries[..n].sort_by(|a, b| a.sort.order(&b.sort));
    Ok(())
}
