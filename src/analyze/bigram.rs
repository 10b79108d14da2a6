//! `zh_bigram_v1`: the exact-substring view. Every CJK character is a unigram and every
//! pair of adjacent CJK characters a bigram, both at the position of their first
//! character; a run of other letters or digits is one token. Whitespace takes no position
//! (so `"北京 新规"` also finds 北京新规); punctuation takes one but makes no token.

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
    /// Tokens of `text` in index order (unigram before bigram at the same position).
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
                Class::Cjk => {
                    out.push(make(&norm, start, end_of(i + 1), position));
                    if let Some(&(_, next)) = chars.get(i + 1) {
                        if is_cjk(next) {
                            out.push(make(&norm, start, end_of(i + 2), position));
                        }
                    }
                }
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
    fn unigrams_and_bigrams_at_char_positions() {
        assert_eq!(
            toks("人民银行"),
            vec![
                ("人".into(), 0),
                ("人民".into(), 0),
                ("民".into(), 1),
                ("民银".into(), 1),
                ("银".into(), 2),
                ("银行".into(), 2),
                ("行".into(), 3)
            ]
        );
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
                ("基".into(), 2),
                ("基站".into(), 2),
                ("站".into(), 3),
                ("iphone".into(), 4)
            ]
        );
    }
}
