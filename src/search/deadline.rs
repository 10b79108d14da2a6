//! A time budget that stops a search, not just the wait for it: the query is wrapped so
//! that its scorers end early once the deadline has passed. Without this, a request that
//! timed out at the server would keep a blocking thread busy scanning to the end.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// Documents between two looks at the clock: reading it costs ~20 ns, a document ~10 ns.
const CHECK_EVERY: u32 = 4096;

/// When a search must stop, and whether it did.
#[derive(Debug, Clone)]
pub struct Deadline {
    at: Instant,
    expired: Arc<AtomicBool>,
}

impl Deadline {
    pub fn new(at: Instant) -> Self {
        Deadline {
            at,
            expired: Arc::new(AtomicBool::new(false)),
        }
    }

    /// True once any scorer has stopped early: the results are incomplete.
    pub fn expired(&self) -> bool {
        self.expired.load(Ordering::Relaxed)
    }

    fn check(&self) -> bool {
        if self.expired() || Instant::now() >= self.at {
            self.expired.store(true, Ordering::Relaxed);
            return true;
        }
        false
    }
}

/// `inner`, stopped at the deadline.
#[derive(Debug)]
pub struct DeadlineQuery {
    inner: Box<dyn Query>,
    deadline: Deadline,
}

impl DeadlineQuery {
    pub fn new(inner: Box<dyn Query>, deadline: Deadline) -> Self {
        DeadlineQuery { inner, deadline }
    }
}

impl Clone for DeadlineQuery {
    fn clone(&self) -> Self {
        DeadlineQuery {
            inner: self.inner.box_clone(),
            deadline: self.deadline.clone(),
        }
    }
}

impl Query for DeadlineQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(DeadlineWeight {
            inner: self.inner.weight(scoring)?,
            deadline: self.deadline.clone(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct DeadlineWeight {
    inner: Box<dyn Weight>,
    deadline: Deadline,
}

impl Weight for DeadlineWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let inner = self.inner.scorer(reader, boost)?;
        let done = self.deadline.check();
        Ok(Box::new(DeadlineScorer {
            inner,
            deadline: self.deadline.clone(),
            countdown: CHECK_EVERY,
            done,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    /// Keeps the inner weight's pruning (block-max WAND); past the deadline the threshold
    /// becomes infinite, so the rest of the segment is skipped.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if self.deadline.check() {
            return Ok(());
        }
        let mut countdown = CHECK_EVERY;
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                countdown -= 1;
                if countdown == 0 {
                    countdown = CHECK_EVERY;
                    if self.deadline.check() {
                        return Score::INFINITY;
                    }
                }
                if self.deadline.expired() {
                    return Score::INFINITY;
                }
                callback(doc, score)
            })
    }
}

struct DeadlineScorer {
    inner: Box<dyn Scorer>,
    deadline: Deadline,
    countdown: u32,
    done: bool,
}

impl DeadlineScorer {
    /// True when the scorer must stop now.
    fn tick(&mut self) -> bool {
        self.countdown -= 1;
        if self.countdown == 0 {
            self.countdown = CHECK_EVERY;
            self.done = self.deadline.check();
        }
        self.done
    }
}

impl DocSet for DeadlineScorer {
    fn advance(&mut self) -> DocId {
        if self.done || self.tick() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.done || self.tick() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.done {
            TERMINATED
        } else {
            self.inner.doc()
        }
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for DeadlineScorer {
    fn score(&mut self) -> Score {
        self.inner.score()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::AllQuery;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index};

    use super::*;

    fn index(docs: usize) -> Index {
        let mut schema = Schema::builder();
        let f = schema.add_text_field("f", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for _ in 0..docs {
            writer.add_document(doc!(f => "x")).expect("add");
        }
        writer.commit().expect("commit");
        index
    }

    #[test]
    fn a_past_deadline_stops_the_scan_and_says_so() {
        let index = index(20_000);
        let searcher = index.reader().expect("reader").searcher();
        let deadline = Deadline::new(Instant::now());
        let q = DeadlineQuery::new(Box::new(AllQuery), deadline.clone());
        let n = searcher.search(&q, &Count).expect("search");
        assert!(n < 20_000, "counted {n}");
        assert!(deadline.expired());
        let top = searcher
            .search(&q, &TopDocs::with_limit(5).order_by_score())
            .expect("search");
        assert!(top.is_empty());
    }

    #[test]
    fn a_future_deadline_changes_nothing() {
        let index = index(20_000);
        let searcher = index.reader().expect("reader").searcher();
        let deadline = Deadline::new(Instant::now() + Duration::from_secs(60));
        let q = DeadlineQuery::new(Box::new(AllQuery), deadline.clone());
        assert_eq!(searcher.search(&q, &Count).expect("search"), 20_000);
        assert_eq!(
            searcher
                .search(&q, &TopDocs::with_limit(5).order_by_score())
                .expect("search")
                .len(),
            5
        );
        assert!(!deadline.expired());
    }
}
