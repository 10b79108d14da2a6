//! A lone character of the query matches every bigram-view term that it starts: the
//! character itself or a bigram (see `analyze::bigram`). The regex `c.?` says this, but
//! compiling its DFA over every Unicode character took most of such a query's time (a
//! query builds it twice: for the candidates and for their scores). This automaton walks
//! the character's UTF-8 bytes and then at most one more character, with nothing to compile.
//!
//! The documents that hold such a term are the union of thousands of posting lists for a
//! common character, and a first-page search wants that set twice (the candidates, then
//! their scores). So each segment's set is built once and kept, by segment, field and
//! character, in a cache bounded by bytes, as Lucene's query cache keeps filters.

use std::sync::{Arc, OnceLock};

use quick_cache::sync::Cache;
use quick_cache::Weighter;
use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError};
use tantivy_fst::Automaton;

/// The most memory the match sets take, all indexes together. A set costs one bit per
/// document of its segment: 9.4 KB for the 76k-article index.
pub const CACHE_BYTES: u64 = 32 << 20;

/// Terms of `field` that are `c` or `c` followed by one character (other than a line
/// break, as the regex's `.`), each match scored by the boost alone.
#[derive(Clone, Debug)]
pub struct CharPrefixQuery {
    field: Field,
    c: char,
}

impl CharPrefixQuery {
    pub fn new(field: Field, c: char) -> Self {
        CharPrefixQuery { field, c }
    }
}

impl Query for CharPrefixQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CharPrefixWeight(self.clone())))
    }
}

/// Segments never change once written, and their ids are unique across indexes, so one
/// cache serves every index a process opens; a merged-away segment's sets age out.
type Key = (SegmentId, Field, char);

#[derive(Clone)]
struct ByteWeight;

impl Weighter<Key, Arc<BitSet>> for ByteWeight {
    fn weight(&self, _key: &Key, set: &Arc<BitSet>) -> u64 {
        u64::from(set.max_value()) / 8 + 64
    }
}

fn match_sets() -> &'static Cache<Key, Arc<BitSet>, ByteWeight> {
    static SETS: OnceLock<Cache<Key, Arc<BitSet>, ByteWeight>> = OnceLock::new();
    // An estimate of entries for sizing the table; the byte cap is what bounds it.
    SETS.get_or_init(|| Cache::with_weighter(4096, CACHE_BYTES, ByteWeight))
}

struct CharPrefixWeight(CharPrefixQuery);

impl CharPrefixWeight {
    /// Every document of the segment with a matching term (deleted ones too, as in the
    /// postings: the collector skips those).
    fn matches(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        let q = &self.0;
        let key = (reader.segment_id(), q.field, q.c);
        match_sets().get_or_insert_with(&key, || {
            let mut set = BitSet::with_max_value(reader.max_doc());
            let index = reader.inverted_index(q.field)?;
            let mut buf = [0u8; 4];
            let automaton = CharPrefix {
                prefix: q.c.encode_utf8(&mut buf).as_bytes().to_vec(),
            };
            let mut terms = index.terms().search(&automaton).into_stream()?;
            while terms.advance() {
                let mut postings = index
                    .read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
                while !postings.docs().is_empty() {
                    for &doc in postings.docs() {
                        set.insert(doc);
                    }
                    postings.advance();
                }
            }
            Ok::<_, TantivyError>(Arc::new(set))
        })
    }
}

impl Weight for CharPrefixWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let set = BitSetDocSet::from(BitSet::clone(&*self.matches(reader)?));
        Ok(Box::new(ConstScorer::new(set, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.scorer(reader, 1.0)?.seek(doc) == doc {
            Ok(Explanation::new_with_string(
                format!("a term that starts with {:?}", self.0.c),
                1.0,
            ))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} has no term that starts with {:?}",
                self.0.c
            )))
        }
    }
}

#[derive(Debug)]
struct CharPrefix {
    prefix: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// This many bytes of the character read.
    Prefix(usize),
    /// The character read: a match, and one more character may follow.
    Char,
    /// Inside the next character, with this many continuation bytes to come.
    Next(u8),
    /// The character and one more: a match, and the end.
    Full,
    Dead,
}

impl Automaton for CharPrefix {
    type State = State;

    fn start(&self) -> State {
        State::Prefix(0)
    }

    fn is_match(&self, state: &State) -> bool {
        matches!(state, State::Char | State::Full)
    }

    fn can_match(&self, state: &State) -> bool {
        *state != State::Dead
    }

    fn accept(&self, state: &State, byte: u8) -> State {
        match *state {
            State::Prefix(i) if self.prefix.get(i) == Some(&byte) => {
                if i + 1 == self.prefix.len() {
                    State::Char
                } else {
                    State::Prefix(i + 1)
                }
            }
            State::Char => match byte {
                b'\n' => State::Dead,
                0x00..=0x7f => State::Full,
                0xc0..=0xdf => State::Next(1),
                0xe0..=0xef => State::Next(2),
                0xf0..=0xf7 => State::Next(3),
                _ => State::Dead,
            },
            State::Next(left) if byte & 0xc0 == 0x80 => {
                if left == 1 {
                    State::Full
                } else {
                    State::Next(left - 1)
                }
            }
            _ => State::Dead,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::RegexQuery;
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index, IndexWriter};

    /// Characters of one to four UTF-8 bytes, and a line break.
    const CHARS: [char; 8] = ['股', '市', 'A', '\n', 'é', '𠀀', '的', '1'];

    /// Match sets are kept by segment and field: one built for another index or field is
    /// never served, and a deleted document stays out of the hits.
    #[test]
    fn kept_match_sets_answer_only_their_own_segment_and_field() {
        let mut schema = Schema::builder();
        let a = schema.add_text_field("a", STRING);
        let b = schema.add_text_field("b", STRING);
        let schema = schema.build();
        let build = |docs: &[(&str, &str)]| {
            let index = Index::create_in_ram(schema.clone());
            let mut writer: IndexWriter = index
                .writer_with_num_threads(1, 15_000_000)
                .expect("writer");
            for (x, y) in docs {
                writer.add_document(doc!(a => *x, b => *y)).expect("add");
            }
            writer.commit().expect("commit");
            (index, writer)
        };
        let (one, mut one_writer) = build(&[("股市", "市场"), ("股票", "")]);
        let (two, _) = build(&[("市", "股")]);
        let hits = |index: &Index, f: Field, c: char| -> usize {
            let searcher = index.reader().expect("reader").searcher();
            searcher
                .search(&CharPrefixQuery::new(f, c), &DocSetCollector)
                .expect("search")
                .len()
        };
        // The second round is answered from the kept sets.
        for _ in 0..2 {
            assert_eq!(hits(&one, a, '股'), 2);
            assert_eq!(hits(&one, a, '市'), 0);
            assert_eq!(hits(&one, b, '市'), 1);
            assert_eq!(hits(&two, a, '股'), 0);
            assert_eq!(hits(&two, a, '市'), 1);
            assert_eq!(hits(&two, b, '股'), 1);
        }
        // Explained as a match of a term that starts with the character, or refused.
        let searcher = one.reader().expect("reader").searcher();
        let weight = CharPrefixQuery::new(b, '市')
            .weight(EnableScoring::disabled_from_searcher(&searcher))
            .expect("weight");
        let segment = searcher.segment_reader(0);
        let explained = weight.explain(segment, 0).expect("doc 0 holds 市场");
        assert_eq!(explained.value(), 1.0);
        assert!(weight.explain(segment, 1).is_err());
        one_writer.delete_term(tantivy::Term::from_field_text(a, "股票"));
        one_writer.commit().expect("commit");
        assert_eq!(hits(&one, a, '股'), 1);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The automaton matches exactly the terms the regex `c.?` matches.
        #[test]
        fn matches_what_the_regex_matches(
            terms in prop::collection::vec(prop::collection::vec(0usize..8, 1..4), 1..40),
            c in 0usize..8,
        ) {
            let mut schema = Schema::builder();
            let f = schema.add_text_field("t", STRING);
            let index = Index::create_in_ram(schema.build());
            let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).expect("writer");
            for t in &terms {
                let text: String = t.iter().map(|&i| CHARS[i]).collect();
                writer.add_document(doc!(f => text)).expect("add");
            }
            writer.commit().expect("commit");
            let searcher = index.reader().expect("reader").searcher();
            let c = CHARS[c];
            let pattern = format!("\\x{{{:x}}}.?", c as u32);
            let regex = RegexQuery::from_pattern(&pattern, f).expect("regex");
            let want = searcher.search(&regex, &DocSetCollector).expect("regex search");
            let got = searcher
                .search(&CharPrefixQuery::new(f, c), &DocSetCollector)
                .expect("prefix search");
            prop_assert_eq!(got, want);
        }
    }
}
