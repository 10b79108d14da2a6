//! A time budget that stops a search, not just the wait for it: the query is wrapped so
//! that its scorers end early once the deadline has passed. Without this, a request that
//! timed out at the server would keep a blocking thread busy scanning to the end.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use crate::error::{Error, Result};

/// Documents between two looks at the clock: reading it costs ~20 ns, a document ~10 ns.
const CHECK_EVERY: u32 = 4096;

/// When a search must stop, and whether it did.
#[derive(Debug, Clone)]
pub struct Deadline {
    budget: Duration,
    at: Instant,
    expired: Arc<AtomicBool>,
}

impl Deadline {
    /// A deadline `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Deadline::since(Instant::now(), budget)
    }

    /// A deadline `budget` after `started` (when a request arrived, say).
    pub fn since(started: Instant, budget: Duration) -> Self {
        Deadline {
            budget,
            at: started + budget,
            expired: Arc::new(AtomicBool::new(false)),
        }
    }

    /// How long the work may take in all.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// The time left (zero once passed).
    pub fn remaining(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// True once the time is up, whether or not a scan noticed.
    pub fn passed(&self) -> bool {
        self.check()
    }

    /// True once any scorer has stopped early: the results are incomplete.
    pub fn expired(&self) -> bool {
        self.expired.load(Ordering::Relaxed)
    }

    /// Incomplete results are an error, never a silently short page.
    pub fn outcome(&self) -> Result<()> {
        if self.expired() {
            return Err(Error::Timeout(self.budget.as_millis() as u64));
        }
        Ok(())
    }

    fn check(&self) -> bool {
        if self.expired() || Instant::now() >= self.at {
            self.expired.store(true, Ordering::Relaxed);
            return true;
        }
        false
    }
}

/// Counts documents and looks at the clock every [`CHECK_EVERY`] of them.
struct Ticker {
    deadline: Deadline,
    countdown: u32,
    done: bool,
}

impl Ticker {
    fn new(deadline: &Deadline) -> Self {
        Ticker {
            done: deadline.check(),
            deadline: deadline.clone(),
            countdown: CHECK_EVERY,
        }
    }

    /// True when the scan must stop now.
    fn stop(&mut self) -> bool {
        if !self.done {
            self.countdown -= 1;
            if self.countdown == 0 {
                self.countdown = CHECK_EVERY;
                self.done = self.deadline.check();
            }
        }
        self.done
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
        Ok(Box::new(DeadlineScorer {
            inner: self.inner.scorer(reader, boost)?,
            ticker: Ticker::new(&self.deadline),
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }

    /// Keeps the inner weight's pruning (MaxScore or block-max WAND); past the deadline the
    /// threshold becomes infinite, so the rest of the segment is skipped.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut ticker = Ticker::new(&self.deadline);
        if ticker.done {
            return Ok(());
        }
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                if ticker.stop() {
                    return Score::INFINITY;
                }
                callback(doc, score)
            })
    }
}

struct DeadlineScorer {
    inner: Box<dyn Scorer>,
    ticker: Ticker,
}

impl DocSet for DeadlineScorer {
    fn advance(&mut self) -> DocId {
        if self.ticker.stop() {
            return TERMINATED;
        }
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.ticker.stop() {
            return TERMINATED;
        }
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        if self.ticker.done {
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
        let deadline = Deadline::after(Duration::ZERO);
        let q = DeadlineQuery::new(Box::new(AllQuery), deadline.clone());
        let n = searcher.search(&q, &Count).expect("search");
        assert!(n < 20_000, "counted {n}");
        assert!(deadline.expired());
        assert!(matches!(deadline.outcome(), Err(Error::Timeout(0))));
        let top = searcher
            .search(&q, &TopDocs::with_limit(5).order_by_score())
            .expect("search");
        assert!(top.is_empty());
    }

    #[test]
    fn a_future_deadline_changes_nothing() {
        let index = index(20_000);
        let searcher = index.reader().expect("reader").searcher();
        let deadline = Deadline::after(Duration::from_secs(60));
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
        assert!(deadline.outcome().is_ok());
    }
}
