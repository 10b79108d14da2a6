//! A lone character of the query matches every bigram-view term that it starts: the
//! character itself or a bigram (see `analyze::bigram`). The regex `c.?` says this, but
//! compiling its DFA over every Unicode character took most of such a query's time (a
//! query builds it twice: for the candidates and for their scores). This automaton walks
//! the character's UTF-8 bytes and then at most one more character, with nothing to compile.

use std::sync::Arc;

use tantivy::query::{AutomatonWeight, EnableScoring, Query, Weight};
use tantivy::schema::Field;
use tantivy_fst::Automaton;

/// Terms of `field` that are `c` or `c` followed by one character (other than a line
/// break, as the regex's `.`), each match scored by the boost alone.
#[derive(Clone, Debug)]
pub struct CharPrefixQuery {
    field: Field,
    automaton: Arc<CharPrefix>,
}

impl CharPrefixQuery {
    pub fn new(field: Field, c: char) -> Self {
        let mut buf = [0u8; 4];
        CharPrefixQuery {
            field,
            automaton: Arc::new(CharPrefix {
                prefix: c.encode_utf8(&mut buf).as_bytes().to_vec(),
            }),
        }
    }
}

impl Query for CharPrefixQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(AutomatonWeight::<CharPrefix>::new(
            self.field,
            self.automaton.clone(),
        )))
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
