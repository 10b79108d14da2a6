//! Publish times in the forms Chinese news pages write them: `2020-10-28 16:33:31`,
//! `2020年10月28日 16:33`, `2020/10/28`, ISO 8601 with or without a zone, epoch numbers, and
//! dates inside URLs. Times without a zone are Beijing time.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::Regex;

use crate::article::beijing;

/// A date, with a time of day when the text gave one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    pub time: DateTime<FixedOffset>,
    pub has_time: bool,
}

static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<y>(?:19|20)\d{2}) \s* [-/.年] \s* (?P<m>\d{1,2}) \s* [-/.月] \s* (?P<d>\d{1,2}) (?:\s*日)?
        (?: (?:T|\s*) (?P<H>\d{1,2}) \s* [:：时] \s* (?P<M>\d{2}) (?: \s* [:：分] \s* (?P<S>\d{2}) )? )?
        (?P<frac>\.\d+)?
        (?P<zone> Z | [+-]\d{2}:?\d{2} )?",
    )
    .expect("date regex compiles")
});

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[/_\-t])(?P<y>20\d{2}|19\d{2})[-/_]?(?P<m>[01]\d)[-/_]?(?P<d>[0-3]\d)(?:[/_\-.]|\d{2,}|$)")
        .expect("url date regex compiles")
});

fn build(
    y: i32,
    m: u32,
    d: u32,
    hms: Option<(u32, u32, u32)>,
    zone: Option<&str>,
) -> Option<Found> {
    if !(1990..=2100).contains(&y) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    let (time, has_time) = match hms {
        Some((h, mi, s)) => (NaiveTime::from_hms_opt(h, mi, s)?, true),
        None => (NaiveTime::MIN, false),
    };
    let naive = NaiveDateTime::new(date, time);
    let local = match zone {
        Some(z) => {
            let offset = parse_zone(z)?;
            let instant = offset.from_local_datetime(&naive).single()?;
            // Shown in Beijing time, as readers of the page saw it.
            instant.with_timezone(&beijing())
        }
        None => beijing().from_local_datetime(&naive).single()?,
    };
    Some(Found {
        time: local,
        has_time,
    })
}

fn parse_zone(z: &str) -> Option<FixedOffset> {
    if z == "Z" {
        return FixedOffset::east_opt(0);
    }
    let sign = if z.starts_with('-') { -1 } else { 1 };
    let digits: String = z.chars().filter(char::is_ascii_digit).collect();
    let h: i32 = digits.get(0..2)?.parse().ok()?;
    let m: i32 = digits.get(2..4)?.parse().ok()?;
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn from_captures(c: &regex::Captures) -> Option<Found> {
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let y = c.name("y")?.as_str().parse::<i32>().ok()?;
    let hms = match (num("H"), num("M")) {
        (Some(h), Some(mi)) => Some((h, mi, num("S").unwrap_or(0))),
        _ => None,
    };
    build(
        y,
        num("m")?,
        num("d")?,
        hms,
        c.name("zone").map(|z| z.as_str()),
    )
}

/// Every date in `text`, in order.
pub fn find_all(text: &str) -> impl Iterator<Item = Found> + '_ {
    DATE_TIME
        .captures_iter(text)
        .filter_map(|c| from_captures(&c))
}

/// The byte offset just after the last date written in `text`, if any.
pub fn span_end(text: &str) -> Option<usize> {
    DATE_TIME.find_iter(text).last().map(|m| m.end())
}

/// The first date in `text`.
pub fn find_first(text: &str) -> Option<Found> {
    find_all(text).next()
}

static MONTH_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?P<next>.?)")
        .expect("month regex compiles")
});

/// A month with no day, as magazines and reports date themselves: `1996年6月号`, `2003年5月`.
/// The first of the month stands for it.
pub fn find_month(text: &str) -> Option<Found> {
    MONTH_ONLY.captures_iter(text).find_map(|c| {
        let next = c.name("next").map(|m| m.as_str()).unwrap_or_default();
        if next.chars().next().is_some_and(|n| n.is_ascii_digit()) {
            return None;
        }
        let y = c.name("y")?.as_str().parse().ok()?;
        let m = c.name("m")?.as_str().parse().ok()?;
        build(y, m, 1, None, None)
    })
}

/// Parses a value that should be a date: any form above, or epoch seconds/milliseconds.
pub fn parse(value: &str) -> Option<Found> {
    let v = value.trim();
    if !v.is_empty() && v.len() <= 13 && v.chars().all(|c| c.is_ascii_digit()) && v.len() >= 9 {
        let n: i64 = v.parse().ok()?;
        let secs = if v.len() == 13 { n / 1000 } else { n };
        let t = DateTime::from_timestamp(secs, 0)?;
        // The same years as the written forms accept: a 12-digit number is not a date in
        // the year 33,000.
        if !(1990..=2100).contains(&t.with_timezone(&beijing()).year()) {
            return None;
        }
        return Some(Found {
            time: t.with_timezone(&beijing()),
            has_time: true,
        });
    }
    find_first(v)
}

/// A date written in a URL path (`/2021/0512/`, `/2021-05-12/`, `/20210512/`, `t20210512_`).
pub fn from_url(url: &str) -> Option<Found> {
    let path = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    URL_DATE.captures_iter(path).find_map(|c| {
        let y = c.name("y")?.as_str().parse().ok()?;
        let m = c.name("m")?.as_str().parse().ok()?;
        let d = c.name("d")?.as_str().parse().ok()?;
        build(y, m, d, None, None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(f: Option<Found>) -> String {
        match f {
            Some(f) if f.has_time => f.time.format("%Y-%m-%d %H:%M:%S%:z").to_string(),
            Some(f) => f.time.format("%Y-%m-%d").to_string(),
            None => "none".into(),
        }
    }

    #[test]
    fn epoch_numbers_only_in_plausible_years() {
        assert_eq!(show(parse("1603873980")), "2020-10-28 16:33:00+08:00");
        assert_eq!(show(parse("1603873980000")), "2020-10-28 16:33:00+08:00");
        // Year 33,658: once indexed as a tantivy date it overflowed the nanosecond count.
        assert_eq!(show(parse("999999999999")), "none");
        assert_eq!(show(parse("100000000")), "none");
    }

    #[test]
    fn month_only_dates() {
        let f = find_month("——《北京之春》1996年6月号").expect("month");
        assert_eq!(f.time.format("%Y-%m-%d").to_string(), "1996-06-01");
        assert!(!f.has_time);
        assert!(find_month("2003年5月").is_some());
        assert!(find_month("2003年5月12日").is_none());
        assert!(find_month("没有日期").is_none());
    }

    #[test]
    fn forms_in_text() {
        let cases = [
            (
                "2020-10-28 16:33:31　来源：新华网",
                "2020-10-28 16:33:31+08:00",
            ),
            (
                "发布时间：2020年10月28日 16:33",
                "2020-10-28 16:33:00+08:00",
            ),
            ("2020年10月28日16:33", "2020-10-28 16:33:00+08:00"),
            ("2004/06/15", "2004-06-15"),
            ("2020.10.28", "2020-10-28"),
            ("2021年3月5日", "2021-03-05"),
            ("2020-10-28T08:33:31Z", "2020-10-28 16:33:31+08:00"),
            ("2020-10-28T16:33:31+08:00", "2020-10-28 16:33:31+08:00"),
            ("2020-10-28T16:33:31.000+0800", "2020-10-28 16:33:31+08:00"),
            ("2020年10月28日 16时33分", "2020-10-28 16:33:00+08:00"),
            ("版权所有 1999-2024", "none"),
            ("2020-13-45", "none"),
            ("电话 010-12345678", "none"),
        ];
        for (input, want) in cases {
            assert_eq!(show(parse(input)), want, "input {input:?}");
        }
    }

    #[test]
    fn epoch_numbers() {
        assert_eq!(show(parse("1603874011")), "2020-10-28 16:33:31+08:00");
        assert_eq!(show(parse("1603874011000")), "2020-10-28 16:33:31+08:00");
    }

    #[test]
    fn dates_in_urls() {
        let cases = [
            (
                "https://finance.x.cn/2021/0512/c1004-3325.html",
                "2021-05-12",
            ),
            ("http://news.x.cn/2020-10-28/doc-1.shtml", "2020-10-28"),
            (
                "http://www.x.gov.cn/xw/202010/t20201028_123.html",
                "2020-10-28",
            ),
            ("http://x.cn/a/20201028/123.htm", "2020-10-28"),
            ("http://x.cn/a/123456.htm", "none"),
        ];
        for (url, want) in cases {
            assert_eq!(show(from_url(url)), want, "{url}");
        }
    }
}
