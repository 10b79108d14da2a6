//! Top hits without counting every match: what a ranked-retrieval engine does, and what
//! a client that reads only the first page needs. Candidates come from the bigram view
//! alone by MaxScore (a flat union of terms, which prunes well); then each term of
//! the full query is looked up at just those candidates, so the words view, the title
//! boost and the exact string still decide the order. Candidates that miss the full
//! query (too few of its words) are the partial matches, scored as the relaxed query
//! scores them in a counted search.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Scorer, Weight};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, Term};

use super::collect::{keep_top_groups, Entry, SortKey};
use super::compile::{gram_query, word_query, FieldPlan, TermPlan};
use crate::error::Result;
use crate::index::schema::{GROUP, ID_HASH};

/// Candidates per wanted hit, and at least [`MIN_CANDIDATES`]. On the headline set
/// (302 queries, 76k bodies) MRR@10 stayed within 0.707–0.710 from 15 to 70 candidates
/// for 10 hits, while p50 grew from 0.69 to 0.96 ms.
pub const CANDIDATES_PER_HIT: usize = 2;
pub const MIN_CANDIDATES: usize = 20;

pub struct Ranked {
    /// Candidates that match the full query (every copy counted, as a counted search does).
    pub total: u64,
    /// The best of them (one per group when collapsing), best first.
    pub matches: Vec<Entry>,
    /// Candidates that match only some words, best first.
    pub partial: Vec<Entry>,
}

/// A scorer's score at `doc`, moving it forward; `None` where it does not match. Each
/// term's postings skip by blocks, so a few dozen sparse documents cost a few seeks per
/// term instead of a scan of every posting (as a union scorer's seek would do).
fn at(scorer: &mut dyn Scorer, doc: DocId) -> Option<Score> {
    let mut here = scorer.doc();
    if here < doc {
        here = scorer.seek(doc);
    }
    (here == doc).then(|| scorer.score())
}

/// Weights for terms, with their boosts, each term made a query by `query`. A term's BM25
/// weight looks up its document frequency in every segment, so it is built once per
/// query, not once per segment.
fn weights(
    terms: &[(Term, f32)],
    scoring: EnableScoring,
    query: fn(&Term) -> Box<dyn Query>,
) -> Result<Vec<(Box<dyn Weight>, f32)>> {
    terms
        .iter()
        .map(|(t, b)| Ok((query(t).weight(scoring)?, *b)))
        .collect()
}

fn scorers(
    weights: &[(Box<dyn Weight>, f32)],
    reader: &SegmentReader,
) -> Result<Vec<Box<dyn Scorer>>> {
    weights
        .iter()
        .map(|(w, b)| Ok(w.scorer(reader, *b)?))
        .collect()
}

/// One field of one term's plan, for the whole query.
struct FieldWeights<'p> {
    plan: &'p FieldPlan,
    words: Vec<(Box<dyn Weight>, f32)>,
    grams: Vec<(Box<dyn Weight>, f32)>,
    /// Built when a candidate first holds every gram (only then can the string be there).
    exact: OnceCell<Box<dyn Weight>>,
}

impl<'p> FieldWeights<'p> {
    fn all(plans: &'p [TermPlan], scoring: EnableScoring) -> Result<Vec<Vec<FieldWeights<'p>>>> {
        plans
            .iter()
            .map(|plan| {
                plan.fields
                    .iter()
                    .map(|f| {
                        Ok(FieldWeights {
                            plan: f,
                            words: weights(&f.words, scoring, word_query)?,
                            // A lone character of the bigram view matches the bigrams it starts.
                            grams: weights(&f.grams, scoring, gram_query)?,
                            exact: OnceCell::new(),
                        })
                    })
                    .collect()
            })
            .collect()
    }

    fn exact(&self, scoring: EnableScoring) -> Result<&dyn Weight> {
        if self.exact.get().is_none() {
            let _ = self.exact.set(self.plan.exact.weight(scoring)?);
        }
        self.exact
            .get()
            .map(|w| w.as_ref())
            .ok_or_else(|| crate::error::Error::Internal("exact-string weight is missing".into()))
    }
}

/// One field of one term's plan, in one segment.
struct FieldScorers<'w, 'p> {
    weights: &'w FieldWeights<'p>,
    words: Vec<Box<dyn Scorer>>,
    grams: Vec<Box<dyn Scorer>>,
    /// Opened when a candidate first holds every gram (only then can the string be there).
    exact: Option<Box<dyn Scorer>>,
    /// Which words the current candidate holds, and their scores.
    hit: Vec<bool>,
    word_score: Vec<Score>,
}

/// The scores of a candidate: the full query's, if it matches, and the relaxed one's
/// (every matching word and bigram), if anything matches.
struct Scores {
    full: Option<Score>,
    relaxed: Option<Score>,
}

fn score_candidates(
    weights: &[Vec<FieldWeights>],
    scoring: EnableScoring,
    reader: &SegmentReader,
    docs: &[DocId],
) -> Result<Vec<Scores>> {
    let mut per_term: Vec<Vec<FieldScorers>> = Vec::with_capacity(weights.len());
    for term in weights {
        let mut fields = Vec::with_capacity(term.len());
        for f in term {
            fields.push(FieldScorers {
                weights: f,
                words: scorers(&f.words, reader)?,
                grams: scorers(&f.grams, reader)?,
                exact: None,
                hit: vec![false; f.words.len()],
                word_score: vec![0.0; f.words.len()],
            });
        }
        per_term.push(fields);
    }
    let mut out = Vec::with_capacity(docs.len());
    for &doc in docs {
        let mut full = Some(0.0);
        let mut relaxed: Option<Score> = None;
        for fields in &mut per_term {
            let mut score = 0.0;
            let mut matched = false;
            let mut grams_score = 0.0;
            for f in fields.iter_mut() {
                let plan = f.weights.plan;
                let (hit, word_score) = (&mut f.hit, &mut f.word_score);
                for (i, s) in f.words.iter_mut().enumerate() {
                    let v = at(s.as_mut(), doc);
                    hit[i] = v.is_some();
                    word_score[i] = v.unwrap_or(0.0);
                }
                let any_word = hit.iter().any(|&h| h);
                // As the counted query scores it: every word there, in each unit that matches.
                let (mut weight, mut words) = (0.0, 0.0);
                for (u, w) in plan.units.iter().zip(&plan.unit_weights) {
                    if u.matches(hit) {
                        weight += w;
                        words += word_score[u.whole];
                        words += u.parts.iter().map(|&p| word_score[p]).sum::<Score>();
                    }
                }
                let relaxed_words: Score =
                    plan.units.iter().map(|u| u.relaxed_score(word_score)).sum();
                let (mut g, mut grams) = (0usize, 0.0);
                for s in &mut f.grams {
                    if let Some(v) = at(s.as_mut(), doc) {
                        g += 1;
                        grams += v;
                    }
                }
                if any_word || g > 0 {
                    *relaxed.get_or_insert(0.0) += relaxed_words + grams;
                }
                if !plan.units.is_empty() && weight >= plan.need {
                    score += words;
                    matched = true;
                }
                if g == f.grams.len() && g > 0 {
                    if f.exact.is_none() {
                        f.exact = Some(f.weights.exact(scoring)?.scorer(reader, 1.0)?);
                    }
                    if let Some(v) = f.exact.as_mut().and_then(|s| at(s.as_mut(), doc)) {
                        score += v;
                        matched = true;
                    }
                }
                if plan.grams_score {
                    grams_score += grams;
                }
            }
            full = match (full, matched) {
                (Some(total), true) => Some(total + score + grams_score),
                _ => None,
            };
        }
        out.push(Scores { full, relaxed });
    }
    Ok(out)
}

/// The best `limit` hits of the And of `plans` among the top candidates of
/// `candidates`, and the best partial matches to fill the page.
pub fn top(
    searcher: &Searcher,
    stats: &dyn Bm25StatisticsProvider,
    candidates: &dyn Query,
    plans: &[TermPlan],
    limit: usize,
    collapse: bool,
) -> Result<Ranked> {
    let n = (limit * CANDIDATES_PER_HIT).max(MIN_CANDIDATES);
    let found = searcher.search_with_statistics_provider(
        candidates,
        &TopDocs::with_limit(n).order_by_score(),
        stats,
    )?;
    let mut by_segment: BTreeMap<SegmentOrdinal, Vec<DocId>> = BTreeMap::new();
    for (_, a) in &found {
        by_segment.entry(a.segment_ord).or_default().push(a.doc_id);
    }
    let scoring = EnableScoring::enabled_from_statistics_provider(stats, searcher);
    let weights = FieldWeights::all(plans, scoring)?;
    let mut matches = Vec::new();
    let mut partial = Vec::new();
    for (segment, mut docs) in by_segment {
        docs.sort_unstable();
        let reader = searcher.segment_reader(segment);
        let ff = reader.fast_fields();
        let ids = ff.u64(ID_HASH)?;
        let groups = ff.u64(GROUP)?;
        let scores = score_candidates(&weights, scoring, reader, &docs)?;
        for (&doc, s) in docs.iter().zip(scores) {
            let id = ids.first(doc).unwrap_or(0);
            let entry = |score: Score| Entry {
                sort: SortKey {
                    key: score as f64,
                    id,
                },
                score,
                group: if collapse {
                    groups.first(doc).unwrap_or(id)
                } else {
                    id
                },
                address: DocAddress::new(segment, doc),
            };
            match (s.full, s.relaxed) {
                (Some(v), _) => matches.push(entry(v)),
                (None, Some(v)) => partial.push(entry(v)),
                (None, None) => {}
            }
        }
    }
    let total = matches.len() as u64;
    keep_top_groups(&mut matches, limit);
    // A group shown among the full matches is not shown again as a partial one.
    let shown: HashSet<u64> = matches.iter().map(|e| e.group).collect();
    partial.retain(|e| !shown.contains(&e.group));
    keep_top_groups(&mut partial, limit.saturating_sub(matches.len()));
    Ok(Ranked {
        total,
        matches,
        partial,
    })
}
