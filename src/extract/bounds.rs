//! Bounds on what a page may cost the HTML parser, from one quick pass over its tags.
//!
//! html5ever follows the HTML standard, and two of its rules cost more than linear time
//! on hostile input: formatting elements left open are re-opened in every following
//! block (3,000 unclosed `<b id=…>` across 3,000 paragraphs took 9.7 s and 1.7 GB), and
//! attributes are checked for duplicates one against another (700,000 on one element ran
//! for minutes). Scripts and styles are skipped: their `<` starts no tag. Formatting tags carry no text, so where many are left open they are
//! taken out before parsing; an element with thousands of attributes is no article, and
//! the page is refused.

/// Elements the parser re-opens when they are left open (the standard's "formatting
/// elements").
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Most attributes on one element.
pub const MAX_ATTRIBUTES: usize = 10_000;
/// Formatting elements left open beyond which they are taken out before parsing.
pub const MAX_UNCLOSED_FORMATTING: usize = 500;

#[derive(Debug, Default, PartialEq)]
pub struct TagScan {
    pub tags: usize,
    /// The most attributes found on one element.
    pub max_attributes: usize,
    /// Formatting start tags less their end tags.
    pub unclosed_formatting: usize,
}

/// A tag found by [`tags`]: its name (lowercase), whether it ends an element, its
/// attribute count and where it lies in the text.
struct Tag {
    name: String,
    end: bool,
    attributes: usize,
    from: usize,
    to: usize,
}

/// The tags of `html`, in order; comments and what cannot be a tag are passed over.
fn tags(html: &str) -> impl Iterator<Item = Tag> + '_ {
    let b = html.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() {
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            let from = i;
            if b[i..].starts_with(b"<!--") {
                i = match html[i + 4..].find("-->") {
                    Some(n) => i + 4 + n + 3,
                    None => b.len(),
                };
                continue;
            }
            let mut j = i + 1;
            let end = b.get(j) == Some(&b'/');
            if end {
                j += 1;
            }
            let name_start = j;
            while j < b.len() && b[j].is_ascii_alphanumeric() {
                j += 1;
            }
            if j == name_start || !b[name_start].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let name = html[name_start..j].to_ascii_lowercase();
            // Attributes: names start after whitespace; quoted values are skipped whole.
            let mut attributes = 0;
            let mut after_space = false;
            while j < b.len() && b[j] != b'>' {
                match b[j] {
                    b'"' | b'\'' => {
                        let q = b[j];
                        j += 1;
                        while j < b.len() && b[j] != q {
                            j += 1;
                        }
                        after_space = false;
                    }
                    c if c.is_ascii_whitespace() => after_space = true,
                    b'=' | b'/' => after_space = false,
                    _ => {
                        if after_space {
                            attributes += 1;
                        }
                        after_space = false;
                    }
                }
                j += 1;
            }
            i = (j + 1).min(b.len());
            // A script or style is text to the parser: `a <b c` in it is no tag.
            if !end && (name == "script" || name == "style") {
                let mut k = i;
                while let Some(n) = html[k..].find("</") {
                    k += n;
                    let rest = &b[k + 2..];
                    if rest.len() >= name.len()
                        && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
                    {
                        break;
                    }
                    k += 2;
                }
                i = k.min(b.len());
            }
            return Some(Tag {
                name,
                end,
                attributes,
                from,
                to: i,
            });
        }
        None
    })
}

pub fn scan(html: &str) -> TagScan {
    let mut out = TagScan::default();
    let mut open = 0isize;
    for t in tags(html) {
        out.tags += 1;
        out.max_attributes = out.max_attributes.max(t.attributes);
        if FORMATTING.contains(&t.name.as_str()) {
            open += if t.end { -1 } else { 1 };
        }
    }
    out.unclosed_formatting = open.max(0) as usize;
    out
}

/// `html` without its formatting tags (their text stays).
pub fn strip_formatting(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for t in tags(html) {
        if FORMATTING.contains(&t.name.as_str()) {
            out.push_str(&html[last..t.from]);
            last = t.to;
        }
    }
    out.push_str(&html[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_tags_attributes_and_open_formatting() {
        let s = scan(
            "<p class=\"a b\" id='x' hidden><b id=1>粗<i>斜</i></b><b id=2>再</p><!-- <b> -->",
        );
        assert_eq!(s.max_attributes, 3);
        assert_eq!(s.unclosed_formatting, 1);
        assert_eq!(s.tags, 7);
        assert_eq!(
            strip_formatting("<p><b id=\"1\">粗<a href='/x>'>链</a></b>文</p>"),
            "<p>粗链文</p>"
        );
        assert_eq!(scan("a < b and <3").tags, 0);
        let script = scan("<script>if (a <b && c <i) { x = '<u'; }</script><p>文</p>");
        assert_eq!((script.tags, script.unclosed_formatting), (4, 0));
    }
}
