//! A flat union of weighted terms whose top hits are found by MaxScore (Turtle and Flood,
//! 1995) instead of tantivy's block-max WAND.
//!
//! The candidate generator of [`super::rerank`] is a union of a headline's ~15 bigrams.
//! WAND re-sorts every term by document after each hit it scores; MaxScore keeps the terms
//! in a fixed order and, once the best hits so far can no longer be reached by the
//! commonest terms alone, walks only the rare terms' postings and probes the common ones
//! at those documents. The hits are WAND's (up to ties: sums add in another order); only
//! the work differs.

use std::sync::Arc;

use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BooleanWeight, BoostWeight, EnableScoring, Explanation,
    Occur, Query, Scorer, SumCombiner, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// One clause of a [`TermUnion`], by how its scores are bounded.
#[derive(Debug)]
pub enum Clause {
    /// A term's postings, scored by BM25.
    Term(Term),
    /// A query that scores every match by the boost it is given and nothing more, as a
    /// prefix match does.
    Constant(Box<dyn Query>),
}

impl Clone for Clause {
    fn clone(&self) -> Self {
        match self {
            Clause::Term(t) => Clause::Term(t.clone()),
            Clause::Constant(q) => Clause::Constant(q.box_clone()),
        }
    }
}

/// A union of clauses, each weighted by its boost. Any other use than top hits
/// (counting, filtering, explaining) goes through the plain union.
#[derive(Clone, Debug)]
pub struct TermUnion {
    clauses: Vec<(Clause, f32)>,
}

impl TermUnion {
    pub fn new(clauses: Vec<(Clause, f32)>) -> Self {
        TermUnion { clauses }
    }
}

/// The most a BM25-scored term can add to a document's score: what tantivy's own scorer
/// of the term bounds its scores by.
fn bm25_bound(
    stats: &dyn Bm25StatisticsProvider,
    term: &Term,
    boost: f32,
) -> tantivy::Result<Score> {
    let docs = stats.total_num_docs()?;
    let tokens = stats.total_num_tokens(term.field())?;
    Ok(Bm25Weight::for_one_term_without_explain(
        stats.doc_freq(term)?,
        docs,
        tokens as Score / docs.max(1) as Score,
    )
    .boost_by(boost)
    .max_score())
}

impl Query for TermUnion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut terms = Vec::with_capacity(self.clauses.len());
        for (clause, b) in &self.clauses {
            let (inner, bound) = match clause {
                Clause::Term(t) => {
                    let bound = match scoring {
                        EnableScoring::Enabled {
                            statistics_provider,
                            ..
                        } => bm25_bound(statistics_provider, t, *b)?,
                        // Without scores there is nothing to prune by.
                        EnableScoring::Disabled { .. } => Score::INFINITY,
                    };
                    let q = TermQuery::new(t.clone(), IndexRecordOption::WithFreqs);
                    (q.weight(scoring)?, bound)
                }
                Clause::Constant(q) => (q.weight(scoring)?, *b),
            };
            let weight: Arc<dyn Weight> = Arc::new(BoostWeight::new(inner, *b));
            terms.push((weight, bound));
        }
        let union = BooleanWeight::with_minimum_number_should_match(
            terms
                .iter()
                .map(|(w, _)| {
                    (
                        Occur::Should,
                        Box::new(Shared(w.clone())) as Box<dyn Weight>,
                    )
                })
                .collect(),
            1,
            scoring.is_scoring_enabled(),
            Box::new(SumCombiner::default),
        );
        Ok(Box::new(TermUnionWeight {
            terms,
            union: Box::new(union),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (clause, _) in &self.clauses {
            match clause {
                Clause::Term(t) => visitor(t, false),
                Clause::Constant(q) => q.query_terms(visitor),
            }
        }
    }
}

/// A term's weight, shared by the plain union and the pruning walk.
struct Shared(Arc<dyn Weight>);

impl Weight for Shared {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.0.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct TermUnionWeight {
    /// Each term's weight and the most it can add to a document's score.
    terms: Vec<(Arc<dyn Weight>, Score)>,
    union: Box<dyn Weight>,
}

impl Weight for TermUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.union.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.union.explain(reader, doc)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut terms = Vec::with_capacity(self.terms.len());
        for (w, bound) in &self.terms {
            let scorer = w.scorer(reader, 1.0)?;
            if scorer.doc() != TERMINATED {
                terms.push((scorer, *bound));
            }
        }
        if terms.len() <= 1 || terms.iter().any(|(_, bound)| bound.is_infinite()) {
            // One term: tantivy skips its blocks by their maximum score. Without scores,
            // nothing bounds a term.
            return self.union.for_each_pruning(threshold, reader, callback);
        }
        max_score(terms, threshold, callback);
        Ok(())
    }
}

/// Calls `callback` with every document whose summed score beats the threshold it last
/// returned (as tantivy's pruning collectors expect), skipping documents that cannot.
/// Each term comes with the most it can add to a document's score.
fn max_score(
    mut terms: Vec<(Box<dyn Scorer>, Score)>,
    mut threshold: Score,
    callback: &mut dyn FnMut(DocId, Score) -> Score,
) {
    // Lowest bound first: those terms drop out of the walk first.
    terms.sort_by(|a, b| a.1.total_cmp(&b.1));
    // reach[i]: the most that terms 0..i can add to a document together.
    let mut reach = Vec::with_capacity(terms.len() + 1);
    reach.push(0.0);
    for (_, bound) in &terms {
        reach.push(reach[reach.len() - 1] + bound);
    }
    let mut terms: Vec<Box<dyn Scorer>> = terms.into_iter().map(|(s, _)| s).collect();
    // Each term's current document, kept here so that finding the next one is a scan of
    // a small array rather than a virtual call per term.
    let mut docs: Vec<DocId> = terms.iter().map(|s| s.doc()).collect();
    // Terms before `walked` are only probed: together they cannot beat the threshold.
    let mut walked = 0;
    loop {
        while walked < terms.len() && reach[walked + 1] <= threshold {
            walked += 1;
        }
        let Some(&doc) = docs[walked..].iter().min() else {
            return;
        };
        if doc == TERMINATED {
            return;
        }
        let mut score = 0.0;
        for (s, d) in terms[walked..].iter_mut().zip(&mut docs[walked..]) {
            if *d == doc {
                score += s.score();
                *d = s.advance();
            }
        }
        let mut probed = walked;
        while probed > 0 && score + reach[probed] > threshold {
            probed -= 1;
            if docs[probed] < doc {
                docs[probed] = terms[probed].seek(doc);
            }
            if docs[probed] == doc {
                score += terms[probed].score();
            }
        }
        // Pruned documents stop short with a score at or below the threshold.
        if score > threshold {
            threshold = callback(doc, score);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    const WORDS: [&str; 6] = ["aa", "bb", "cc", "dd", "ee", "ff"];

    /// Every live document's score by the plain union, best first (ties by address).
    fn every_score(searcher: &tantivy::Searcher, weight: &dyn Weight) -> Vec<(Score, (u32, u32))> {
        let mut all = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let alive = reader.alive_bitset();
            weight
                .for_each(reader, &mut |doc, score| {
                    if alive.is_none_or(|a| a.is_alive(doc)) {
                        all.push((score, (ord as u32, doc)));
                    }
                })
                .expect("for_each");
        }
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        all
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Top hits by the pruning walk score what the plain union scores, and no
        /// document outside them scores more than the last of them.
        #[test]
        fn top_hits_are_the_best_by_the_plain_union(
            docs in prop::collection::vec(prop::collection::vec(0usize..6, 0..12), 1..400),
            terms in prop::collection::vec((0usize..6, 1u8..4), 2..6),
            deleted in prop::collection::vec(0usize..400, 0..20),
            split in 0usize..400,
            prefix in prop::option::of((0usize..6, 1u8..4)),
            k in 1usize..25,
        ) {
            let mut schema = Schema::builder();
            let f = schema.add_text_field("t", TEXT);
            let id = schema.add_u64_field("id", tantivy::schema::INDEXED);
            let index = Index::create_in_ram(schema.build());
            let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).expect("writer");
            for (n, words) in docs.iter().enumerate() {
                let text: Vec<&str> = words.iter().map(|&w| WORDS[w]).collect();
                writer.add_document(doc!(f => text.join(" "), id => n as u64)).expect("add");
                // Two segments, so bounds and statistics span segments.
                if n == split {
                    writer.commit().expect("commit");
                }
            }
            writer.commit().expect("commit");
            for d in &deleted {
                writer.delete_term(Term::from_field_u64(id, *d as u64));
            }
            writer.commit().expect("commit");
            let searcher = index.reader().expect("reader").searcher();
            let mut clauses: Vec<(Clause, f32)> = terms
                .iter()
                .map(|&(w, b)| (Clause::Term(Term::from_field_text(f, WORDS[w])), f32::from(b) / 2.0))
                .collect();
            // A prefix match scores a constant: the boost.
            if let Some((w, b)) = prefix {
                let first = &WORDS[w][..1];
                let q = tantivy::query::RegexQuery::from_pattern(&format!("{first}.*"), f).expect("regex");
                clauses.push((Clause::Constant(Box::new(q)), f32::from(b)));
            }
            let union = TermUnion::new(clauses);
            let weight = union
                .weight(EnableScoring::enabled_from_searcher(&searcher))
                .expect("weight");
            let all = every_score(&searcher, weight.as_ref());
            let top = searcher
                .search(&union, &TopDocs::with_limit(k).order_by_score())
                .expect("top");
            prop_assert_eq!(top.len(), all.len().min(k));
            let close = |a: Score, b: Score| (a - b).abs() <= 1e-4 * a.abs().max(1.0);
            for ((score, address), (want, _)) in top.iter().zip(&all) {
                // The k best scores, in order.
                prop_assert!(close(*score, *want), "{} vs {}", score, want);
                let exact = all
                    .iter()
                    .find(|(_, a)| *a == (address.segment_ord, address.doc_id))
                    .map(|(s, _)| *s);
                prop_assert!(exact.is_some_and(|s| close(s, *score)));
            }
        }
    }
}
