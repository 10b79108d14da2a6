//! `zh_bigram_v1`: the exact-substring view. Every pair of adjacent CJK characters is a
//! bigram at the position of its first character, and the last character of a CJK run a
//! unigram, so exactly one token starts at each character. A lone character of a query
//! therefore matches any term that starts with it (`search::compile::gram_query`). A
//! unigram at every character as well made 40% of the view's tokens: dropping them took
//! the 76k-article index from 304 to 238 MB and its ingest from 29.2 to 24.6 s.
//! A run of other letters or digits is one token. Whitespace takes no position (so
//! `"北京 新规"` also finds 北京新规); punctuation takes one but makes no token.
//!
//! Indexes written when every character had a unigram answer queries the same way (the
//! unigram also starts with the character), so the name keeps its version.

use tantivy::tokenizer::{Token, Tokenizer};

use super::normalize::Normalized;
use super::stream::{Span, SpanTokenStream};

#[derive(Clone, Default)]
pub struct BigramTokenizer;

/// Han ideographs (with extensions and compatibility forms), kana and hangul.
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3005 | 0x3007)
}

#[derive(PartialEq, Clone, Copy)]
enum Class {
    Cjk,
    Word,
    Space,
    Other,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else if c.is_whitespace() {
        Class::Space
    } else {
        Class::Other
    }
}

impl BigramTokenizer {
    /// Tokens of `text` in index order.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let (norm, spans) = self.spans(text);
        spans.iter().map(|s| s.token(&norm)).collect()
    }

    fn spans(&self, text: &str) -> (String, Vec<Span>) {
        let norm = Normalized::new(text);
        let chars: Vec<(usize, char)> = norm.text.char_indices().collect();
        let end_of = |i: usize| chars.get(i).map(|c| c.0).unwrap_or(norm.text.len());
        let mut out = Vec::with_capacity(chars.len() * 2);
        let mut position = 0usize;
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            match class(c) {
                Class::Space => {
                    i += 1;
                    continue;
                }
                Class::Other => {}
                Class::Cjk => match chars.get(i + 1) {
                    Some(&(_, next)) if is_cjk(next) => {
                        out.push(make(&norm, start, end_of(i + 2), position));
                    }
                    _ => out.push(make(&norm, start, end_of(i + 1), position)),
                },
                Class::Word => {
                    let mut j = i + 1;
                    while j < chars.len() && class(chars[j].1) == Class::Word {
                        j += 1;
                    }
                    out.push(make(&norm, start, end_of(j), position));
                    position += j - i;
                    i = j;
                    continue;
                }
            }
            position += 1;
            i += 1;
        }
        (norm.text, out)
    }
}

fn make(norm: &Normalized, from: usize, to: usize, position: usize) -> Span {
    Span {
        from,
        to,
        offset_from: norm.original_offset(from),
        offset_to: norm.original_offset(to),
        position,
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = SpanTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream {
        let (norm, spans) = self.spans(text);
        SpanTokenStream::new(norm, spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(String, usize)> {
        BigramTokenizer
            .tokens(text)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn bigrams_at_char_positions_and_the_last_character_alone() {
        assert_eq!(
            toks("人民银行"),
            vec![
                ("人民".into(), 0),
                ("民银".into(), 1),
                ("银行".into(), 2),
                ("行".into(), 3)
            ]
        );
        assert_eq!(toks("银"), vec![("银".into(), 0)]);
    }

    #[test]
    fn punctuation_breaks_bigrams_and_space_takes_no_position() {
        let t = toks("京，新 规");
        assert_eq!(
            t,
            vec![("京".into(), 0), ("新".into(), 2), ("规".into(), 3)]
        );
    }

    #[test]
    fn latin_runs_are_whole_lowercase_tokens() {
        assert_eq!(
            toks("5G基站 iPhone"),
            vec![
                ("5g".into(), 0),
                ("基站".into(), 2),
                ("站".into(), 3),
                ("iphone".into(), 4)
            ]
        );
    }
}
