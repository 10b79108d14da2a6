//! `zh_keyword_v1`: the whole value, trimmed and normalized, as one token, so
//! `source:新華網` finds 新华网.

use tantivy::tokenizer::{Token, Tokenizer};

use super::normalize::normalize;
use super::words::VecTokenStream;

#[derive(Clone, Default)]
pub struct KeywordTokenizer;

impl Tokenizer for KeywordTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let value = normalize(text.trim());
        let tokens = if value.is_empty() {
            Vec::new()
        } else {
            vec![Token {
                offset_from: 0,
                offset_to: text.len(),
                position: 0,
                text: value,
                position_length: 1,
            }]
        };
        VecTokenStream::new(tokens)
    }
}
