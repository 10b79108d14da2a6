//! The hand-off type between extraction and indexing.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};

/// One news article, as extracted from a page or read from an already-extracted record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable id: the record's own id, else a hash of the canonical URL, else of title+body.
    pub id: String,
    pub url: Option<String>,
    pub title: String,
    /// Publish time; pages without a zone are read as Beijing time (+08:00).
    pub published: Option<Published>,
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

/// Beijing's offset from UTC, in seconds.
pub const BEIJING_SECS: i32 = 8 * 3600;

/// Beijing time, the zone of every Chinese news page that does not say otherwise.
pub fn beijing() -> FixedOffset {
    // 8 hours is always a valid offset.
    FixedOffset::east_opt(BEIJING_SECS).expect("+08:00 is a valid offset")
}

/// When an article was published: a day, when that is all its source says, or a time of
/// day with its zone. A day stays a day until it is printed (`2020-03-05`, never a made-up
/// `00:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Published {
    Day(NaiveDate),
    At(DateTime<FixedOffset>),
}

impl Published {
    /// Seconds since the epoch; a day counts from its Beijing midnight.
    pub fn timestamp(self) -> i64 {
        match self {
            Published::At(t) => t.timestamp(),
            Published::Day(d) => beijing()
                .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                .single()
                .map_or(0, |t| t.timestamp()),
        }
    }

    /// The calendar day in Beijing.
    pub fn beijing_day(self) -> NaiveDate {
        match self {
            Published::Day(d) => d,
            Published::At(t) => t.with_timezone(&beijing()).date_naive(),
        }
    }

    pub fn has_time(self) -> bool {
        matches!(self, Published::At(_))
    }

    /// From seconds since the epoch, a day (Beijing) or a time shown in Beijing.
    pub fn from_secs(secs: i64, has_time: bool) -> Option<Published> {
        let t = DateTime::from_timestamp(secs, 0)?.with_timezone(&beijing());
        Some(if has_time {
            Published::At(t)
        } else {
            Published::Day(t.date_naive())
        })
    }
}

impl std::fmt::Display for Published {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Published::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Published::At(t) => f.write_str(&t.to_rfc3339()),
        }
    }
}

impl std::str::FromStr for Published {
    type Err = chrono::ParseError;
    fn from_str(s: &str) -> Result<Published, Self::Err> {
        match DateTime::parse_from_rfc3339(s) {
            Ok(t) => Ok(Published::At(t)),
            Err(_) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Published::Day),
        }
    }
}

impl Serialize for Published {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Published {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Published, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
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
    fn a_day_stays_a_day() {
        let day: Published = "2020-03-05".parse().expect("day");
        assert_eq!(day.to_string(), "2020-03-05");
        assert!(!day.has_time());
        assert_eq!(day.timestamp(), 1_583_337_600);
        let at: Published = "2020-03-05T19:30:00+08:00".parse().expect("time");
        assert_eq!(at.to_string(), "2020-03-05T19:30:00+08:00");
        assert_eq!(Published::from_secs(day.timestamp(), false), Some(day));
        assert_eq!(at.beijing_day(), day.beijing_day());
        let json = serde_json::to_string(&day).expect("json");
        assert_eq!(json, "\"2020-03-05\"");
    }

    #[test]
    fn ids_are_stable_and_depend_on_url_first() {
        let a = stable_id(Some("https://x.cn/1.html"), "t", "b");
        assert_eq!(a, stable_id(Some("https://x.cn/1.html"), "other", "other"));
        assert_ne!(a, stable_id(Some("https://x.cn/2.html"), "t", "b"));
        assert_eq!(stable_id(None, "t", "b"), stable_id(Some(""), "t", "b"));
        assert_eq!(a.len(), 16);
    }
}
