//! `zh_bigram_v2`: the exact-substring view. Whitespace is dropped; every other character
//! (Han, Latin, digits, punctuation alike) starts one token: itself and the next
//! character, or itself alone at the end of the text. Positions count the characters
//! kept, so a string occurs in the text (whitespace aside) exactly where its bigrams occur
//! at consecutive positions, and a lone last character matches any term it starts
//! (`search::compile::gram_query`). That is Ctrl-F over the normalized text for every
//! script: `"021"` is found inside 2021 and `"iPhone"` inside iPhone4, which whole Latin
//! words and digit runs (v1) missed, and `"北京，上海"` no longer matches 北京。上海.

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

impl BigramTokenizer {
    /// Tokens of `text` in index order.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let (norm, spans) = self.spans(text);
        spans.iter().map(|s| s.token(&norm)).collect()
    }

    fn spans(&self, text: &str) -> (String, Vec<Span>) {
        let norm = Normalized::new(text);
        // (byte start, byte end) of each character kept.
        let kept: Vec<(usize, usize)> = norm
            .text
            .char_indices()
            .filter(|(_, c)| !c.is_whitespace())
            .map(|(i, c)| (i, i + c.len_utf8()))
            .collect();
        let mut out = Vec::with_capacity(kept.len());
        for (position, &(from, end)) in kept.iter().enumerate() {
            let next = kept.get(position + 1);
            // The pair's text must be contiguous in the normalized string for the token to
            // be one slice of it; across whitespace the token is built from two pieces.
            let span = match next {
                Some(&(next_from, next_end)) => Span {
                    from,
                    to: next_end,
                    skip: (end != next_from).then_some((end, next_from)),
                    offset_from: norm.original_offset(from),
                    offset_to: norm.original_offset(next_end),
                    position,
                },
                None => Span {
                    from,
                    to: end,
                    skip: None,
                    offset_from: norm.original_offset(from),
                    offset_to: norm.original_offset(end),
                    position,
                },
            };
            out.push(span);
        }
        (norm.text, out)
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
    fn punctuation_is_a_character_and_space_is_nothing() {
        assert_eq!(
            toks("京，新 规"),
            vec![
                ("京,".into(), 0),
                (",新".into(), 1),
                ("新规".into(), 2),
                ("规".into(), 3)
            ]
        );
    }

    #[test]
    fn latin_and_digits_are_characters_like_han() {
        assert_eq!(
            toks("5G基站 iPhone4"),
            vec![
                ("5g".into(), 0),
                ("g基".into(), 1),
                ("基站".into(), 2),
                ("站i".into(), 3),
                ("ip".into(), 4),
                ("ph".into(), 5),
                ("ho".into(), 6),
                ("on".into(), 7),
                ("ne".into(), 8),
                ("e4".into(), 9),
                ("4".into(), 10),
            ]
        );
    }

    #[test]
    fn offsets_of_a_pair_across_a_space_cover_both_characters() {
        let t = BigramTokenizer.tokens("a b");
        assert_eq!(
            (t[0].text.as_str(), t[0].offset_from, t[0].offset_to),
            ("ab", 0, 3)
        );
    }
}
