//! The exact view's terms for a string: what a quoted string or a proximity search looks
//! up. Used by the query language and the ranking alike, so it lives with the analyzers.

use super::bigram::BigramTokenizer;

/// The terms of a proximity search: each whitespace-separated part's exact terms, the
/// parts placed one after another (no bigram spans two parts, so the slop measures the
/// gap between them).
pub fn proximity_terms(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in text.split_whitespace() {
        out.extend(exact_terms(part).into_iter().map(|(p, t)| (p + offset, t)));
        offset += part.chars().count();
    }
    out
}

/// Terms of the exact view for a string, each with its position relative to the first:
/// its bigrams, or the one character of a one-character string (the view's last token
/// repeats the last character of a bigram, so it adds nothing to a longer string).
pub fn exact_terms(text: &str) -> Vec<(usize, String)> {
    let tokens = BigramTokenizer.tokens(text);
    if tokens.len() == 1 {
        return tokens.into_iter().map(|t| (0, t.text)).collect();
    }
    tokens
        .into_iter()
        .filter(|t| t.text.chars().nth(1).is_some())
        .map(|t| (t.position, t.text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_terms_cover_the_string_once() {
        assert_eq!(exact_terms("银"), vec![(0, "银".to_string())]);
        assert_eq!(
            exact_terms("人民银行"),
            vec![(0, "人民".into()), (1, "民银".into()), (2, "银行".into())]
        );
        assert_eq!(
            exact_terms("北京 新规"),
            vec![(0, "北京".into()), (1, "京新".into()), (2, "新规".into())]
        );
        assert_eq!(
            exact_terms("在5G基站"),
            vec![
                (0, "在5".into()),
                (1, "5g".into()),
                (2, "g基".into()),
                (3, "基站".into())
            ]
        );
        assert_eq!(
            exact_terms("，银行"),
            vec![(0, ",银".into()), (1, "银行".into())]
        );
        assert_eq!(exact_terms(" a "), vec![(0, "a".to_string())]);
        assert!(exact_terms("  ").is_empty());
    }
}
