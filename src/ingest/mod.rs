//! Reading crawled input: files and folders (recursively), HTML (also gzipped), JSON Lines
//! (plain, gzip, zstd) of crawled pages or already-extracted articles, and WARC (plain or
//! gzip). Every problem becomes an error naming the file (and line or record) and the
//! reason; reading goes on with the rest.

mod files;
mod jsonl;
mod limits;
mod warc;

use serde::Deserialize;

pub use files::{input_bytes, read_paths, read_paths_counted, InputKind};
pub use limits::{MAX_LINE_BYTES, MAX_PAGE_BYTES};

/// Bytes of one crawled page, before any parsing.
#[derive(Debug, Clone)]
pub struct RawPage {
    /// Where it came from: a path, `path:line` or `path#record`.
    pub origin: String,
    pub url: Option<String>,
    pub bytes: Vec<u8>,
    /// Charset from an HTTP `Content-Type` header, when the crawl kept one.
    pub http_charset: Option<String>,
    pub fetched_at: Option<String>,
}

/// An article that was extracted before it reached us (a JSON Lines record).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ExtractedRecord {
    pub id: Option<StringOrNumber>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub published: Option<String>,
    pub time: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub section: Option<String>,
    pub tags: Option<StringOrList>,
    pub keywords: Option<StringOrList>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum StringOrNumber {
    String(String),
    Number(serde_json::Number),
}

impl std::fmt::Display for StringOrNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StringOrNumber::String(s) => f.write_str(s),
            StringOrNumber::Number(n) => write!(f, "{n}"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum StringOrList {
    String(String),
    List(Vec<String>),
}

impl StringOrList {
    /// Comma- or list-separated values, trimmed, empty ones dropped.
    pub fn values(&self) -> Vec<String> {
        let raw: Vec<&str> = match self {
            StringOrList::String(s) => s.split([',', '，', ';', '；']).collect(),
            StringOrList::List(v) => v.iter().map(String::as_str).collect(),
        };
        raw.into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }
}

/// What ingest hands to extraction.
#[derive(Debug, Clone)]
pub enum Item {
    Page(RawPage),
    Extracted {
        origin: String,
        record: Box<ExtractedRecord>,
    },
    /// A file in a folder that is not an input by its name (a stylesheet, a README): no
    /// error, but reported, so that no file goes unmentioned.
    Ignored {
        origin: String,
    },
}

impl Item {
    pub fn origin(&self) -> &str {
        match self {
            Item::Page(p) => &p.origin,
            Item::Extracted { origin, .. } | Item::Ignored { origin } => origin,
        }
    }
}
