//! Snippets: the window of the body (about 80 characters) with the most distinct query
//! terms, matches marked. Matching is done on normalized text, so 臺灣 highlights 台湾,
//! and offsets map back to the text as stored.

use crate::analyze::normalize::{normalize, normalize_char};

pub const WINDOW_CHARS: usize = 80;
const LEAD_CHARS: usize = 20;

/// Text pieces, each marked as a match or not.
pub type Fragments = Vec<(String, bool)>;

/// A text prepared for matching: its characters without whitespace, normalized, each
/// with its byte range in the text. Built once per text, whatever the number of terms
/// (a headline query has a dozen, and normalizing the body for each was most of a
/// result page's snippet time).
struct Haystack {
    /// Byte offsets as `u32`: a stored text is at most 16 MiB (`ingest::limits`), and the
    /// smaller entries keep the vector in cache.
    kept: Vec<(char, u32, u32)>,
}

impl Haystack {
    fn new(text: &str) -> Haystack {
        // Sized up front: growing by doubling moved the vector several times per body.
        let mut kept = Vec::with_capacity(text.len());
        kept.extend(
            text.char_indices()
                .map(|(i, c)| (normalize_char(c), i as u32, (i + c.len_utf8()) as u32))
                .filter(|(c, _, _)| !c.is_whitespace()),
        );
        Haystack { kept }
    }

    /// Byte ranges of the occurrences of `needle`, as [`find_exact`] gives them.
    fn find(&self, needle: &str) -> Vec<(usize, usize)> {
        let needle: Vec<char> = normalize(needle)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut out = Vec::new();
        let Some(&first) = needle.first() else {
            return out;
        };
        if self.kept.len() < needle.len() {
            return out;
        }
        for start in 0..=self.kept.len() - needle.len() {
            if self.kept[start].0 == first
                && self.kept[start + 1..start + needle.len()]
                    .iter()
                    .zip(&needle[1..])
                    .all(|((c, _, _), n)| c == n)
            {
                let end = self.kept[start + needle.len() - 1].2;
                out.push((self.kept[start].1 as usize, end as usize));
            }
        }
        out
    }
}

/// Where `needle` occurs in `text` as the exact view finds it: after normalization, with
/// whitespace ignored on both sides (Ctrl-F over the normalized text). Byte ranges of
/// `text`, from the first matched character to the end of the last.
pub fn find_exact(text: &str, needle: &str) -> Vec<(usize, usize)> {
    Haystack::new(text).find(needle)
}

/// The occurrences of any of `terms` in `text`, as keyword-in-context lists them: each
/// term's occurrences left to right without overlap (as "find next" steps through them),
/// then those of different terms that overlap merged. Byte ranges, sorted.
pub fn occurrences(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let haystack = Haystack::new(text);
    let mut ranges = Vec::new();
    for t in terms {
        let mut end = 0;
        for (a, b) in haystack.find(t) {
            if a >= end {
                ranges.push((a, b));
                end = b;
            }
        }
    }
    ranges.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Match ranges (byte offsets into `text`) of any of `terms`, merged where they overlap or
/// touch (for highlighting) and sorted.
pub fn match_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let haystack = Haystack::new(text);
    let mut ranges: Vec<(usize, usize)> = terms.iter().flat_map(|t| haystack.find(t)).collect();
    ranges.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

pub fn snippet(text: &str, terms: &[String]) -> Fragments {
    let ranges = match_ranges(text, terms);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    if chars.is_empty() {
        return Vec::new();
    }
    let char_at = |byte: usize| chars.partition_point(|(b, _)| *b < byte);
    // Each matched string as a number, equal for equal normalized strings, so windows
    // count distinct strings without normalizing them again for every window.
    let mut names: Vec<String> = Vec::new();
    let ids: Vec<usize> = ranges
        .iter()
        .map(|&(a, b)| {
            let name = normalize(&text[a..b]);
            match names.iter().position(|n| *n == name) {
                Some(i) => i,
                None => {
                    names.push(name);
                    names.len() - 1
                }
            }
        })
        .collect();
    // Pick the window start (in chars) covering the most distinct matched strings.
    let mut best = (0usize, 0usize);
    let mut seen = vec![false; names.len()];
    for &(s, _) in &ranges {
        let start = char_at(s).saturating_sub(LEAD_CHARS);
        let end_byte = chars
            .get(start + WINDOW_CHARS)
            .map(|c| c.0)
            .unwrap_or(text.len());
        let start_byte = chars[start].0;
        seen.iter_mut().for_each(|s| *s = false);
        let mut distinct = 0;
        for (&(a, b), &id) in ranges.iter().zip(&ids) {
            if a >= start_byte && b <= end_byte && !seen[id] {
                seen[id] = true;
                distinct += 1;
            }
        }
        if distinct > best.1 {
            best = (start, distinct);
        }
    }
    let start = best.0;
    let start_byte = chars[start].0;
    let end_byte = chars
        .get(start + WINDOW_CHARS)
        .map(|c| c.0)
        .unwrap_or(text.len());
    let mut out = Vec::new();
    let mut pos = start_byte;
    if start > 0 {
        out.push(("…".to_string(), false));
    }
    for &(a, b) in &ranges {
        if b <= start_byte || a >= end_byte {
            continue;
        }
        let a = a.max(start_byte);
        let b = b.min(end_byte);
        if a > pos {
            out.push((text[pos..a].replace('\n', " "), false));
        }
        out.push((text[a..b].to_string(), true));
        pos = b;
    }
    if pos < end_byte {
        out.push((text[pos..end_byte].replace('\n', " "), false));
    }
    if end_byte < text.len() {
        out.push(("…".to_string(), false));
    }
    out
}

/// HTML with matches in `<em>`; everything else escaped.
pub fn to_html(f: &Fragments) -> String {
    f.iter()
        .map(|(t, m)| {
            let e = html_escape::encode_text(t);
            if *m {
                format!("<em>{e}</em>")
            } else {
                e.into_owned()
            }
        })
        .collect()
}

/// Terminal text with matches in bold red.
pub fn to_ansi(f: &Fragments) -> String {
    f.iter()
        .map(|(t, m)| {
            if *m {
                format!("\x1b[1;31m{t}\x1b[0m")
            } else {
                t.clone()
            }
        })
        .collect()
}

pub fn to_plain(f: &Fragments) -> String {
    f.iter().map(|(t, _)| t.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_across_forms_and_escapes() {
        let text = "<script>x</script>臺灣經濟持續成長，台湾经济";
        let f = snippet(text, &["台湾经济".to_string()]);
        let html = to_html(&f);
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert_eq!(html.matches("<em>").count(), 2, "{html}");
        assert!(html.contains("<em>臺灣經濟</em>"), "{html}");
    }

    #[test]
    fn window_prefers_more_distinct_terms() {
        let filler = "无关内容。".repeat(40);
        let text = format!("援疆{filler}援疆干部支持新疆教育发展{filler}");
        let f = snippet(&text, &["援疆".into(), "教育".into()]);
        let plain = to_plain(&f);
        assert!(plain.contains("援疆干部支持新疆教育"), "{plain}");
        assert!(plain.chars().count() <= WINDOW_CHARS + 2);
    }

    #[test]
    fn exact_matches_ignore_whitespace_and_keep_punctuation() {
        let text = "北京 新规\n明日起，iPhone4上市";
        let found = |n: &str| -> Vec<&str> {
            find_exact(text, n)
                .into_iter()
                .map(|(a, b)| &text[a..b])
                .collect()
        };
        assert_eq!(found("北京新规"), vec!["北京 新规"]);
        assert_eq!(found("规明日"), vec!["规\n明日"]);
        assert_eq!(found("iphone"), vec!["iPhone"]);
        assert_eq!(found("起,i"), vec!["起，i"]);
        assert!(found("起。i").is_empty());
        assert!(found(" ").is_empty());
    }

    /// The reference: every start position of the text tried in turn.
    fn naive_find(text: &str, needle: &str) -> Vec<(usize, usize)> {
        let needle: Vec<char> = normalize(needle)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let kept: Vec<(char, usize, usize)> = text
            .char_indices()
            .map(|(i, c)| (normalize_char(c), i, i + c.len_utf8()))
            .filter(|(c, _, _)| !c.is_whitespace())
            .collect();
        let mut out = Vec::new();
        if needle.is_empty() || kept.len() < needle.len() {
            return out;
        }
        for start in 0..=kept.len() - needle.len() {
            if kept[start..start + needle.len()]
                .iter()
                .zip(&needle)
                .all(|((c, _, _), n)| c == n)
            {
                out.push((kept[start].1, kept[start + needle.len() - 1].2));
            }
        }
        out
    }

    #[test]
    fn one_haystack_finds_what_a_scan_per_term_finds() {
        let text = "臺灣 經濟\n持續成長，台湾经济增长经济 经济。ＡＢＣ abc经";
        let haystack = Haystack::new(text);
        for needle in [
            "经济",
            "台湾经济",
            "经",
            "abc",
            "ABC经",
            " ",
            "",
            "济增长经济经济",
            "。a",
        ] {
            assert_eq!(
                haystack.find(needle),
                naive_find(text, needle),
                "{needle:?}"
            );
        }
    }

    #[test]
    fn no_match_gives_the_start() {
        let f = snippet("一二三", &["四".into()]);
        assert_eq!(to_plain(&f), "一二三");
    }
}
