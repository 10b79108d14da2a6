//! "Enough of these words", where rare words weigh more: a long query matches where the
//! words it shares with a document carry a set share of the query's weight. Counting
//! words instead let common words (有, 什么) stand in for the one rare word that made
//! the query (白沟有什么厂子).

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, Term, TERMINATED};

/// Documents where the matching clauses' weights add up to at least `need`; the score
/// is the sum of the matching clauses' scores.
#[derive(Debug)]
pub struct EnoughOfQuery {
    clauses: Vec<(Box<dyn Query>, f32)>,
    need: f32,
}

impl EnoughOfQuery {
    pub fn new(clauses: Vec<(Box<dyn Query>, f32)>, need: f32) -> Self {
        EnoughOfQuery { clauses, need }
    }
}

impl Clone for EnoughOfQuery {
    fn clone(&self) -> Self {
        EnoughOfQuery {
            clauses: self
                .clauses
                .iter()
                .map(|(q, w)| (q.box_clone(), *w))
                .collect(),
            need: self.need,
        }
    }
}

impl Query for EnoughOfQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let clauses = self
            .clauses
            .iter()
            .map(|(q, w)| Ok((q.weight(scoring)?, *w)))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(EnoughOfWeight {
            clauses,
            need: self.need,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (q, _) in &self.clauses {
            q.query_terms(visitor);
        }
    }
}

struct EnoughOfWeight {
    clauses: Vec<(Box<dyn Weight>, f32)>,
    need: f32,
}

impl Weight for EnoughOfWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = self
            .clauses
            .iter()
            .map(|(w, weight)| Ok((w.scorer(reader, boost)?, *weight)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let total: f32 = scorers.iter().map(|(_, w)| w).sum();
        if scorers.is_empty() || total < self.need {
            return Ok(Box::new(EmptyScorer));
        }
        // A match holds at least one of the heaviest clauses that together outweigh what
        // the others can make up; only those drive the scan, the rest are looked up.
        scorers.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut lead_weight = 0.0;
        let mut lead = 0;
        while lead < scorers.len() && total - lead_weight >= self.need {
            lead_weight += scorers[lead].1;
            lead += 1;
        }
        let rest = scorers.split_off(lead);
        let mut scorer = EnoughOfScorer {
            rest_weight: total - lead_weight,
            lead: scorers,
            rest,
            need: self.need,
            doc: 0,
            score: 0.0,
        };
        scorer.find();
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("enough of the words", scorer.score()))
    }
}

struct EnoughOfScorer {
    /// Positioned at or after the next document to look at.
    lead: Vec<(Box<dyn Scorer>, f32)>,
    /// Moved forward only when a lead document needs them.
    rest: Vec<(Box<dyn Scorer>, f32)>,
    rest_weight: f32,
    need: f32,
    doc: DocId,
    score: Score,
}

impl EnoughOfScorer {
    /// Moves to the next match at or after the lead scorers' positions.
    fn find(&mut self) -> DocId {
        loop {
            let doc = self
                .lead
                .iter()
                .map(|(s, _)| s.doc())
                .min()
                .unwrap_or(TERMINATED);
            if doc == TERMINATED {
                self.doc = TERMINATED;
                return TERMINATED;
            }
            let (mut weight, mut score) = (0.0, 0.0);
            for (s, w) in &mut self.lead {
                if s.doc() == doc {
                    weight += *w;
                    score += s.score();
                    s.advance();
                }
            }
            if weight + self.rest_weight >= self.need {
                for (s, w) in &mut self.rest {
                    let mut at = s.doc();
                    if at < doc {
                        at = s.seek(doc);
                    }
                    if at == doc {
                        weight += *w;
                        score += s.score();
                    }
                }
            }
            if weight >= self.need {
                self.doc = doc;
                self.score = score;
                return doc;
            }
        }
    }
}

impl DocSet for EnoughOfScorer {
    fn advance(&mut self) -> DocId {
        self.find()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (s, _) in &mut self.lead {
            if s.doc() < target {
                s.seek(target);
            }
        }
        self.find()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.lead
            .iter()
            .map(|(s, _)| s.size_hint())
            .fold(0u32, u32::saturating_add)
    }
}

impl Scorer for EnoughOfScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, Schema, STRING};
    use tantivy::{doc, Index};

    /// Every subset of four words with weights 4, 2, 1, 1 against a need of 5: the
    /// documents that match are exactly those whose words weigh 5 or more.
    #[test]
    fn matches_exactly_where_the_weights_reach_the_need() {
        let mut schema = Schema::builder();
        let f = schema.add_text_field("w", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let words = ["a", "b", "c", "d"];
        let weights = [4.0, 2.0, 1.0, 1.0];
        for mask in 0u32..16 {
            let mut d = doc!();
            for (i, w) in words.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    d.add_text(f, w);
                }
            }
            writer.add_document(d).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let clauses = words
            .iter()
            .zip(weights)
            .map(|(w, weight)| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f, w),
                    IndexRecordOption::Basic,
                ));
                (q, weight)
            })
            .collect();
        let q = EnoughOfQuery::new(clauses, 5.0);
        let want: Vec<u32> = (0u32..16)
            .filter(|m| {
                let w: f32 = (0..4)
                    .filter(|i| m & (1 << i) != 0)
                    .map(|i| weights[i])
                    .sum();
                w >= 5.0
            })
            .collect();
        assert_eq!(searcher.search(&q, &Count).expect("count"), want.len());
        let top = searcher
            .search(&q, &TopDocs::with_limit(16).order_by_score())
            .expect("top");
        let mut found: Vec<u32> = top.iter().map(|(_, a)| a.doc_id).collect();
        found.sort_unstable();
        assert_eq!(found, want);
        // Seeking lands on the next match.
        let weight = q
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .expect("weight");
        let mut s = weight
            .scorer(searcher.segment_reader(0), 1.0)
            .expect("scorer");
        assert_eq!(
            s.seek(4),
            want.iter().copied().find(|&d| d >= 4).unwrap_or(TERMINATED)
        );
    }
}
