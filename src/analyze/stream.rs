//! Token streams for indexing. Tokens are found up front as spans of the normalized text;
//! the stream then fills one [`Token`] in turn, so indexing an article does not allocate
//! a `String` per token (1,600 of them for an average news-text article).

use tantivy::tokenizer::{Token, TokenStream};

/// A token as a byte range of the normalized text, with its place in the original.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub from: usize,
    pub to: usize,
    /// A piece of `from..to` that is not part of the token (the whitespace between the
    /// two characters of a bigram).
    pub skip: Option<(usize, usize)>,
    pub offset_from: usize,
    pub offset_to: usize,
    pub position: usize,
}

impl Span {
    pub fn token(&self, text: &str) -> Token {
        let mut out = String::new();
        self.write_text(text, &mut out);
        Token {
            offset_from: self.offset_from,
            offset_to: self.offset_to,
            position: self.position,
            text: out,
            position_length: 1,
        }
    }

    /// Appends the token's text to `out`.
    fn write_text(&self, text: &str, out: &mut String) {
        match self.skip {
            None => out.push_str(text.get(self.from..self.to).unwrap_or_default()),
            Some((a, b)) => {
                out.push_str(text.get(self.from..a).unwrap_or_default());
                out.push_str(text.get(b..self.to).unwrap_or_default());
            }
        }
    }
}

pub struct SpanTokenStream {
    text: String,
    spans: Vec<Span>,
    next: usize,
    token: Token,
}

impl SpanTokenStream {
    pub fn new(text: String, spans: Vec<Span>) -> Self {
        SpanTokenStream {
            text,
            spans,
            next: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for SpanTokenStream {
    fn advance(&mut self) -> bool {
        let Some(s) = self.spans.get(self.next) else {
            return false;
        };
        self.next += 1;
        self.token.offset_from = s.offset_from;
        self.token.offset_to = s.offset_to;
        self.token.position = s.position;
        self.token.position_length = 1;
        self.token.text.clear();
        s.write_text(&self.text, &mut self.token.text);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_gives_the_spans_in_order() {
        let text = "人民银行".to_string();
        let spans = vec![
            Span {
                from: 0,
                to: 6,
                skip: None,
                offset_from: 0,
                offset_to: 6,
                position: 0,
            },
            Span {
                from: 6,
                to: 12,
                skip: None,
                offset_from: 6,
                offset_to: 12,
                position: 2,
            },
        ];
        let mut s = SpanTokenStream::new(text, spans);
        let mut got = Vec::new();
        while s.advance() {
            got.push((s.token().text.clone(), s.token().position));
        }
        assert_eq!(got, vec![("人民".to_string(), 0), ("银行".to_string(), 2)]);
        assert!(!s.advance());
    }
}
