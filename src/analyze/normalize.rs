//! Normalization applied at index and query time alike: full-width to half-width, the
//! ideographic space to a space, lowercase, and traditional to simplified character by
//! character (table from the MIT-licensed `fast2s` crate, applied without context so a
//! character always maps the same way and a query string maps like the text it is in).

use std::collections::HashMap;
use std::sync::LazyLock;

/// `c.is_alphanumeric()`, answered without a table lookup for the common CJK block (all
/// letters): the lookup was 1.5% of indexing time, called for every character.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF) || c.is_alphanumeric()
}

/// The characters the table covers: CJK extension A to the compatibility ideographs.
const T2S_FIRST: u32 = 0x3400;
const T2S_LAST: u32 = 0xFAFF;

/// Every character from [`T2S_FIRST`] to [`T2S_LAST`] mapped to its simplified form (or
/// itself): one index per character, where a hash map lookup cost ~3% of indexing.
static T2S: LazyLock<T2s> = LazyLock::new(|| {
    let changes = build_t2s_changes();
    let to: Vec<char> = (T2S_FIRST..=T2S_LAST)
        .map(|u| {
            let c = char::from_u32(u).unwrap_or(' ');
            changes.get(&c).copied().unwrap_or(c)
        })
        .collect();
    let mut changed = vec![0u64; to.len().div_ceil(64)];
    for (i, (u, to)) in (T2S_FIRST..=T2S_LAST).zip(&to).enumerate() {
        if *to as u32 != u {
            changed[i / 64] |= 1 << (i % 64);
        }
    }
    T2s { changed, to }
});

/// The table, and a bit per character saying whether it changes at all: the bits (6 KB)
/// stay in the fastest cache while the table (200 KB) does not, and most characters of a
/// text do not change.
struct T2s {
    changed: Vec<u64>,
    to: Vec<char>,
}

impl T2s {
    #[inline]
    fn simplified(&self, c: char) -> char {
        let i = (c as u32).wrapping_sub(T2S_FIRST) as usize;
        match self.changed.get(i / 64) {
            Some(bits) if bits & (1 << (i % 64)) != 0 => self.to.get(i).copied().unwrap_or(c),
            _ => c,
        }
    }
}

/// Runs fast2s once over every CJK character, each between spaces so its context rules
/// never fire, and keeps the characters it changes.
fn build_t2s_changes() -> HashMap<char, char> {
    let ranges = [0x3400u32..=0x4DBF, 0x4E00..=0x9FFF, 0xF900..=0xFAFF];
    let chars: Vec<char> = ranges
        .iter()
        .flat_map(|r| r.clone())
        .filter_map(char::from_u32)
        .collect();
    let mut spaced = String::with_capacity(chars.len() * 4);
    for c in &chars {
        spaced.push(*c);
        spaced.push(' ');
    }
    let converted = fast2s::convert(&spaced);
    chars
        .iter()
        .zip(converted.split(' '))
        .filter_map(|(from, to)| {
            let mut it = to.chars();
            match (it.next(), it.next()) {
                (Some(t), None) if t != *from => Some((*from, t)),
                _ => None,
            }
        })
        .collect()
}

/// Forces the traditional→simplified table to be built (useful before timing a query).
pub fn warm_up() {
    LazyLock::force(&T2S);
}

/// Normalizes one character. Never returns more than one character, so text lengths in
/// characters are kept.
#[inline]
pub fn normalize_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => {
            let half = char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c);
            half.to_ascii_lowercase()
        }
        'A'..='Z' => c.to_ascii_lowercase(),
        c if c.is_ascii() => c,
        c if (T2S_FIRST..=T2S_LAST).contains(&(c as u32)) => T2S.simplified(c),
        // Punctuation and symbols without case (、。“”— in Chinese text): no table to search.
        c if matches!(c as u32, 0x2000..=0x20FF | 0x3000..=0x303F) => c,
        c => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        }
    }
}

/// Text after normalization, with a map from each of its byte offsets back to the text
/// it came from.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    /// `orig[i]` = byte offset in the original text of normalized byte `i`; one extra entry
    /// at the end for the end of text. Only entries at char boundaries are meaningful.
    orig: Vec<u32>,
}

impl Normalized {
    pub fn new(input: &str) -> Self {
        let mut text = String::with_capacity(input.len());
        let mut orig = Vec::with_capacity(input.len() + 1);
        for (pos, c) in input.char_indices() {
            let n = normalize_char(c);
            for _ in 0..n.len_utf8() {
                orig.push(pos as u32);
            }
            text.push(n);
        }
        orig.push(input.len() as u32);
        Normalized { text, orig }
    }

    /// The original byte offset of normalized byte offset `i`.
    #[inline]
    pub fn original_offset(&self, i: usize) -> usize {
        self.orig
            .get(i)
            .copied()
            .unwrap_or_else(|| self.orig.last().copied().unwrap_or(0)) as usize
    }
}

/// Normalizes a string (no offset map), for query terms and keyword values.
pub fn normalize(s: &str) -> String {
    s.chars().map(normalize_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_alphanumeric_test_agrees_with_std_on_every_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    /// The mapping as it reads without the fast paths: every character of the range
    /// through the table, every other one through `to_lowercase`.
    fn plain_normalize_char(c: char) -> char {
        match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21)
                .unwrap_or(c)
                .to_ascii_lowercase(),
            c if c.is_ascii() => c.to_ascii_lowercase(),
            c if (T2S_FIRST..=T2S_LAST).contains(&(c as u32)) => T2S
                .to
                .get((c as u32 - T2S_FIRST) as usize)
                .copied()
                .unwrap_or(c),
            c => {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => l,
                    _ => c,
                }
            }
        }
    }

    #[test]
    fn the_fast_paths_agree_with_the_plain_mapping_on_every_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(normalize_char(c), plain_normalize_char(c), "{c:?}");
        }
    }

    #[test]
    fn table_cases() {
        let cases = [
            ("ＡＢＣ１２３", "abc123"),
            ("北京\u{3000}新规", "北京 新规"),
            ("臺灣經濟", "台湾经济"),
            ("iPhone 12", "iphone 12"),
            ("COVID-19", "covid-19"),
            ("乾隆", "干隆"),
            ("中国人民银行", "中国人民银行"),
            ("，。", ",。"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "input {input}");
        }
    }

    #[test]
    fn offsets_map_back_to_original_chars() {
        let input = "Ａ臺\u{3000}b";
        let n = Normalized::new(input);
        assert_eq!(n.text, "a台 b");
        // 'a' is 1 byte now, 3 before.
        assert_eq!(n.original_offset(0), 0);
        assert_eq!(n.original_offset(1), 3);
        assert_eq!(n.original_offset(4), 6);
        assert_eq!(n.original_offset(5), 9);
        assert_eq!(n.original_offset(n.text.len()), input.len());
    }

    #[test]
    fn normalization_keeps_char_count() {
        let s = "ＡＢ臺灣經濟 Hello\u{3000}世界！ΣΑΣ İ";
        assert_eq!(normalize(s).chars().count(), s.chars().count());
    }
}
