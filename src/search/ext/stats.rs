//! BM25 statistics remembered for one query. A query builds its weights more than once
//! (the candidate union, the rerank, the weights of long strings), and tantivy looks up
//! each term's document frequency in every segment's term dictionary each time: those
//! lookups were 6% of a headline query.

use std::cell::{OnceCell, RefCell};

use rustc_hash::FxHashMap;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

pub struct QueryStats<'s> {
    searcher: &'s Searcher,
    docs: OnceCell<u64>,
    tokens: RefCell<FxHashMap<Field, u64>>,
    doc_freq: RefCell<FxHashMap<Term, u64>>,
}

impl<'s> QueryStats<'s> {
    pub fn new(searcher: &'s Searcher) -> QueryStats<'s> {
        QueryStats {
            searcher,
            docs: OnceCell::new(),
            tokens: RefCell::default(),
            doc_freq: RefCell::default(),
        }
    }
}

impl Bm25StatisticsProvider for QueryStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(&n) = self.tokens.borrow().get(&field) {
            return Ok(n);
        }
        let n = self.searcher.total_num_tokens(field)?;
        self.tokens.borrow_mut().insert(field, n);
        Ok(n)
    }

    /// Documents as tantivy's BM25 counts them: deleted ones are still in the postings.
    fn total_num_docs(&self) -> tantivy::Result<u64> {
        if let Some(&n) = self.docs.get() {
            return Ok(n);
        }
        let n = self.searcher.total_num_docs()?;
        Ok(*self.docs.get_or_init(|| n))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(&n) = self.doc_freq.borrow().get(term) {
            return Ok(n);
        }
        let n = self.searcher.doc_freq(term)?;
        self.doc_freq.borrow_mut().insert(term.clone(), n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index};

    #[test]
    fn remembered_statistics_equal_the_searchers() {
        let mut schema = Schema::builder();
        let text = schema.add_text_field("text", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        writer.add_document(doc!(text => "a b b")).expect("add");
        writer.add_document(doc!(text => "b c")).expect("add");
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let stats = QueryStats::new(&searcher);
        for _ in 0..2 {
            for word in ["a", "b", "c", "d"] {
                let term = Term::from_field_text(text, word);
                assert_eq!(
                    stats.doc_freq(&term).expect("df"),
                    searcher.doc_freq(&term).expect("df")
                );
            }
            assert_eq!(stats.total_num_tokens(text).expect("tokens"), 5);
            assert_eq!(stats.total_num_docs().expect("docs"), 2);
        }
    }
}
