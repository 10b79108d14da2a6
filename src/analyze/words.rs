//! `zh_words_v3`: jieba search-mode words over normalized text.
//!
//! Our own tokenizer rather than tantivy-jieba: tantivy clones a tokenizer on every lookup,
//! and cloning must not copy the dictionary, so it is shared behind an `Arc`.

use std::sync::Arc;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::normalize::Normalized;
use super::stream::{Span, SpanTokenStream};

#[derive(Clone)]
pub struct WordsTokenizer {
    jieba: Arc<Jieba>,
    hmm: bool,
}

impl WordsTokenizer {
    pub fn new(jieba: Arc<Jieba>, hmm: bool) -> Self {
        WordsTokenizer { jieba, hmm }
    }

    /// The words of `text` (normalized), in order, for code that needs them outside tantivy.
    pub fn words(&self, text: &str) -> Vec<Token> {
        let (norm, spans) = self.spans(text);
        spans.iter().map(|s| s.token(&norm)).collect()
    }

    fn spans(&self, text: &str) -> (String, Vec<Span>) {
        let norm = Normalized::new(text);
        let mut spans = Vec::new();
        for t in self.jieba.cut_for_search(&norm.text, self.hmm) {
            // jieba emits whitespace and punctuation as tokens; they would make phrases
            // with a space or a comma match nothing.
            if !t.word.chars().any(super::normalize::is_alphanumeric) {
                continue;
            }
            let span = |from: usize, to: usize, position: usize| Span {
                from,
                to,
                skip: None,
                offset_from: norm.original_offset(from),
                offset_to: norm.original_offset(to),
                position,
            };
            if t.word.chars().any(super::is_cjk) {
                spans.push(span(t.byte_start, t.byte_end, t.start));
                continue;
            }
            // Latin and digits: one word per run of letters or of digits, so iphone4 is
            // found by iphone and by 4, and covid-19 by covid and 19.
            let mut run: Option<(usize, usize, bool)> = None;
            for (n, (i, c)) in t.word.char_indices().enumerate() {
                let kind = if c.is_numeric() {
                    Some(true)
                } else if c.is_alphanumeric() {
                    Some(false)
                } else {
                    None
                };
                if let Some((from, position, numeric)) = run {
                    if kind != Some(numeric) {
                        spans.push(span(from, t.byte_start + i, position));
                        run = None;
                    }
                }
                if let (None, Some(numeric)) = (run, kind) {
                    run = Some((t.byte_start + i, t.start + n, numeric));
                }
            }
            if let Some((from, position, _)) = run {
                spans.push(span(from, t.byte_end, position));
            }
        }
        (norm.text, spans)
    }
}

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = SpanTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream {
        let (norm, spans) = self.spans(text);
        SpanTokenStream::new(norm, spans)
    }
}

/// A token stream over tokens computed up front.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl VecTokenStream {
    pub fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize, usize, usize)> {
        let t = WordsTokenizer::new(Arc::new(Jieba::new()), false);
        t.words(text)
            .into_iter()
            .map(|t| (t.text, t.position, t.offset_from, t.offset_to))
            .collect()
    }

    #[test]
    fn drops_space_and_punctuation_and_keeps_offsets() {
        let text = "北京大学，Ｈｅｌｌｏ 世界。";
        for (word, _, from, to) in words(text) {
            assert!(word.chars().any(char::is_alphanumeric), "{word:?}");
            assert!(text.is_char_boundary(from) && text.is_char_boundary(to));
            assert_eq!(crate::analyze::normalize::normalize(&text[from..to]), word);
        }
    }

    #[test]
    fn positions_are_char_offsets_of_word_starts() {
        let w = words("我在北京大学读书");
        let beida = w
            .iter()
            .find(|t| t.0 == "北京大学")
            .expect("北京大学 is a word");
        assert_eq!(beida.1, 2);
        let daxue = w
            .iter()
            .find(|t| t.0 == "大学")
            .expect("大学 is a sub-word");
        assert_eq!(daxue.1, 4);
    }

    #[test]
    fn latin_splits_where_letters_meet_digits() {
        let w: Vec<(String, usize)> = words("iPhone4发布 COVID-19")
            .into_iter()
            .map(|t| (t.0, t.1))
            .collect();
        assert_eq!(
            w,
            vec![
                ("iphone".to_string(), 0),
                ("4".to_string(), 6),
                ("发布".to_string(), 7),
                ("covid".to_string(), 10),
                ("19".to_string(), 16)
            ]
        );
    }

    #[test]
    fn latin_and_numbers_stay_whole_and_lowercase() {
        let w: Vec<String> = words("iPhone 12 支持 5G")
            .into_iter()
            .map(|t| t.0)
            .collect();
        assert!(w.contains(&"iphone".to_string()), "{w:?}");
        assert!(w.contains(&"12".to_string()), "{w:?}");
        assert!(w.contains(&"5".to_string()), "{w:?}");
        assert!(w.contains(&"g".to_string()), "{w:?}");
    }
}
