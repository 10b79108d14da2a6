//! The hand-off type between extraction and indexing.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// One news article, as extracted from a page or read from an already-extracted record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: the record's own id, else a hash of the canonical URL, else of title+body.
    pub id: String,
    pub url: Option<String>,
    pub title: String,
    /// Publish time; pages without a zone are read as Beijing time (+08:00).
    pub published: Option<DateTime<FixedOffset>>,
    /// The 来源 media line.
    pub source: Option<String>,
    /// Writers (记者/作者), never the 责任编辑.
    pub author: Option<String>,
    /// The 责任编辑 (editor), kept apart from the author.
    pub editor: Option<String>,
    /// Section from the breadcrumb or meta tags (e.g. 国内新闻).
    pub section: Option<String>,
    pub keywords: Vec<String>,
    /// Paragraphs separated by `\n`.
    pub body: String,
}

/// Beijing time, the zone of every Chinese news page that does not say otherwise.
pub fn beijing() -> FixedOffset {
    // 8 hours is always a valid offset.
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// An id from a URL or, without one, from the text: the first 16 hex digits of BLAKE3.
pub fn stable_id(url: Option<&str>, title: &str, body: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    match url {
        Some(u) if !u.is_empty() => {
            hasher.update(b"url\0");
            hasher.update(u.trim().as_bytes());
        }
        _ => {
            hasher.update(b"text\0");
            hasher.update(title.as_bytes());
            hasher.update(b"\0");
            hasher.update(body.as_bytes());
        }
    }
    hasher.finalize().to_hex()[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_depend_on_url_first() {
        let a = stable_id(Some("https://x.cn/1.html"), "t", "b");
        assert_eq!(a, stable_id(Some("https://x.cn/1.html"), "other", "other"));
        assert_ne!(a, stable_id(Some("https://x.cn/2.html"), "t", "b"));
        assert_eq!(stable_id(None, "t", "b"), stable_id(Some(""), "t", "b"));
        assert_eq!(a.len(), 16);
    }
}
