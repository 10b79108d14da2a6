//! Publish times in the forms Chinese news pages write them: `2020-10-28 16:33:31`,
//! `2020年10月28日 16:33`, `2020/10/28`, ISO 8601 with or without a zone, epoch numbers, and
//! dates inside URLs. Times without a zone are Beijing time.

use std::sync::LazyLock;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};
use regex::Regex;

use crate::article::beijing;

/// A date, with a time of day when the text gave one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    pub time: DateTime<FixedOffset>,
    pub has_time: bool,
    /// The value named its zone (`Z`, `+01:00`, `GMT`), so `time` is in that zone, not
    /// assumed Beijing time.
    pub zoned: bool,
}

/// Zone names written before the time of day: `2012年12月10日, 格林尼治标准时间10:41`.
const ZONE_WORDS: &str =
    "格林尼治标准时间|格林威治标准时间|格林尼治时间|格林威治时间|北京时间|GMT|UTC";

static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        &r"(?x)
        (?P<y>(?:19|20)\d{2}) \s* [-/.年] \s* (?P<m>\d{1,2}) \s* [-/.月] \s* (?P<d>\d{1,2}) (?:\s*日)?
        (?: (?:T|\s*) (?:[,，]\s*)? (?:(?P<zword>{ZONE_WORDS})\s*)?
            (?P<H>\d{1,2}) \s* [:：时] \s* (?P<M>\d{2}) (?: \s* [:：分] \s* (?P<S>\d{2}) )? )?
        (?P<frac>\.\d+)?
        (?P<zone> Z | [+-]\d{2}:?\d{2} | \s*(?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)? )?"
            .replace("{ZONE_WORDS}", ZONE_WORDS),
    )
    .expect("date regex compiles")
});

/// Two-digit years, only with a time of day after them (`18-03-08 23:16`): without the time
/// the form is too close to phone and serial numbers.
static SHORT_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d\-/.:])(?P<y>\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?")
        .expect("short year regex compiles")
});

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[/_\-t])(?P<y>20\d{2}|19\d{2})[-/_]?(?P<m>[01]\d)[-/_]?(?P<d>[0-3]\d)(?:[/_\-.]|\d{2,}|$)")
        .expect("url date regex compiles")
});

/// English month names, as Chinese pages on English-language platforms and feeds write
/// dates: `Oct 28, 2020`, `28 October 2020`, `Sat, 28 Dec 2013 00:28:00 +0000`, and blog
/// themes' `Dec 28 Sat 2013 00:28`. Looked for only where no numeric date is written.
static ENGLISH: LazyLock<Regex> = LazyLock::new(|| {
    let month = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";
    let weekday = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?";
    Regex::new(
        &r"(?ix)
        (?:^|[^a-z0-9])
        (?P<all>
            (?:WEEKDAY ,? \s+)?
            (?: (?P<mon1>MONTH) \s* (?P<d1>\d{1,2}) (?:st|nd|rd|th)? ,? (?:\s+ WEEKDAY ,?)? \s+ (?P<y1>(?:19|20)\d{2})
              | (?P<d2>\d{1,2}) (?:st|nd|rd|th)? \s+ (?P<mon2>MONTH) ,? \s+ (?P<y2>(?:19|20)\d{2}) )
            (?: ,? \s* (?:at \s+)? (?P<H>\d{1,2}) : (?P<M>\d{2}) (?: : (?P<S>\d{2}) )?
                (?: \s* (?P<ampm>[ap]) \.? m \.? )? )?
            (?P<zone> \s* (?: Z | [+-]\d{2}:?\d{2} | (?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)? ) )?
        )
        (?:[^a-z0-9]|$)"
            .replace("MONTH", month)
            .replace("WEEKDAY", weekday),
    )
    .expect("english date regex compiles")
});

fn month_number(name: &str) -> Option<u32> {
    let key = name.get(..3)?.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let i = months.iter().position(|m| *m == key)?;
    u32::try_from(i + 1).ok()
}

fn from_english(c: &regex::Captures) -> Option<Found> {
    let group = |a: &str, b: &str| c.name(a).or_else(|| c.name(b)).map(|m| m.as_str());
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let y = group("y1", "y2")?.parse::<i32>().ok()?;
    let m = month_number(group("mon1", "mon2")?)?;
    let d = group("d1", "d2")?.parse::<u32>().ok()?;
    let hms = match (num("H"), num("M")) {
        (Some(h), Some(mi)) => {
            // `12:05 am` is five past midnight, `12:05 pm` five past noon; `18:05 pm` is
            // already on a 24-hour clock.
            let h = match c.name("ampm").map(|a| a.as_str().eq_ignore_ascii_case("p")) {
                Some(_) if h == 0 || h > 12 => h,
                Some(true) => h % 12 + 12,
                Some(false) => h % 12,
                None => h,
            };
            Some((h, mi, num("S").unwrap_or(0)))
        }
        _ => None,
    };
    let zone = c
        .name("zone")
        .map(|z| z.as_str())
        .filter(|z| !z.trim().is_empty());
    build(y, m, d, hms, zone)
}

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
    // A named zone is kept as written: the page's clock is what its readers saw. Callers
    // that prefer Beijing time for machine-readable values convert with `in_beijing`.
    let offset = match zone {
        Some(z) => parse_zone(z)?,
        None => beijing(),
    };
    Some(Found {
        time: offset.from_local_datetime(&naive).single()?,
        has_time,
        zoned: zone.is_some(),
    })
}

fn parse_zone(z: &str) -> Option<FixedOffset> {
    let z = z.trim();
    if z == "Z" {
        return FixedOffset::east_opt(0);
    }
    if z == "北京时间" {
        return Some(beijing());
    }
    // `GMT`, `UTC`, `GMT+8`, `UTC+08:00`, `格林尼治标准时间`.
    let z = z.trim_start_matches(|c: char| !matches!(c, '+' | '-'));
    if z.is_empty() {
        return FixedOffset::east_opt(0);
    }
    let sign = if z.starts_with('-') { -1 } else { 1 };
    let digits: String = z.chars().filter(char::is_ascii_digit).collect();
    let (h, m): (i32, i32) = match digits.len() {
        1 | 2 => (digits.parse().ok()?, 0),
        _ => (
            digits.get(0..2)?.parse().ok()?,
            digits.get(2..4)?.parse().ok()?,
        ),
    };
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

impl Found {
    /// The same instant on Beijing's clock.
    /// As an article's publish time: a day when no time of day was given.
    pub fn published(self) -> crate::article::Published {
        if self.has_time {
            crate::article::Published::At(self.time)
        } else {
            crate::article::Published::Day(self.time.date_naive())
        }
    }

    pub fn in_beijing(self) -> Found {
        Found {
            time: self.time.with_timezone(&beijing()),
            ..self
        }
    }
}

fn from_captures(c: &regex::Captures) -> Option<Found> {
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let y = c.name("y")?.as_str().parse::<i32>().ok()?;
    let hms = match (num("H"), num("M")) {
        (Some(h), Some(mi)) => Some((h, mi, num("S").unwrap_or(0))),
        _ => None,
    };
    let y = match y {
        0..=49 => 2000 + y,
        50..=99 => 1900 + y,
        _ => y,
    };
    let zone = c
        .name("zone")
        .map(|z| z.as_str())
        .filter(|z| !z.trim().is_empty())
        .or_else(|| c.name("zword").map(|z| z.as_str()));
    build(y, num("m")?, num("d")?, hms, zone)
}

/// Every date in `text`, in order, with the byte range each was written in. Two-digit years
/// are looked for only where no four-digit one is written: they are rare, and the scan costs.
fn spans(text: &str) -> Vec<(usize, usize, Found)> {
    let found: Vec<(usize, usize, Found)> = DATE_TIME
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            Some((m.start(), m.end(), from_captures(&c)?))
        })
        .collect();
    if !found.is_empty() {
        return found;
    }
    if text.contains('-') {
        let short: Vec<(usize, usize, Found)> = SHORT_YEAR
            .captures_iter(text)
            .filter_map(|c| {
                let (y, m) = (c.name("y")?, c.get(0)?);
                Some((y.start(), m.end(), from_captures(&c)?))
            })
            .collect();
        if !short.is_empty() {
            return short;
        }
    }
    ENGLISH
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.name("all")?;
            Some((m.start(), m.end(), from_english(&c)?))
        })
        .collect()
}

/// Every date in `text`, in order.
pub fn find_all(text: &str) -> impl Iterator<Item = Found> {
    spans(text).into_iter().map(|(_, _, f)| f)
}

/// Words that label a stamp as a later revision, not the first publication.
const UPDATE_WORDS: &[&str] = &[
    "更新",
    "修改",
    "修订",
    "最后编辑",
    "编辑于",
    "updated",
    "Updated",
    "UPDATED",
    "modified",
    "Modified",
    "Last edited",
];

/// The dates in `text` that may be its publish time, in order: an "updated" stamp
/// (`更新时间：…`, `Updated …`) comes only after every other date.
pub fn publish_stamps(text: &str) -> Vec<Found> {
    let found = spans(text);
    let (mut first, mut updates) = (Vec::new(), Vec::new());
    for (start, _, f) in found {
        // The label sits just before the date, on the same line.
        let before = &text[..start];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let label: String = before[line_start..]
            .chars()
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if UPDATE_WORDS.iter().any(|w| label.contains(w)) {
            updates.push(f);
        } else {
            first.push(f);
        }
    }
    first.extend(updates);
    first
}

/// The byte offset just after the last date written in `text`, if any.
pub fn span_end(text: &str) -> Option<usize> {
    spans(text).last().map(|(_, e, _)| *e)
}

/// True when `text` opens with a date (`2024年01月25日 18:03:35 来自某地`).
pub fn starts_with_date(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with(|c: char| c.is_ascii_digit())
        && spans(t).first().is_some_and(|(start, _, _)| *start == 0)
}

/// True when `text` is a date and nothing else (an entry's time stamp, not prose).
pub fn is_date_only(text: &str) -> bool {
    let t = text.trim();
    // The longest stamp, `2020年10月28日 16时33分55秒 星期三`, is well under 40 characters.
    if t.len() > 60 || !t.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return false;
    }
    let s = spans(t);
    s.len() == 1
        && s.first().is_some_and(|(start, end, _)| {
            t[..*start].trim().is_empty()
                && t[*end..]
                    .trim_matches(|c: char| c.is_whitespace() || "()（）[]【】|".contains(c))
                    .chars()
                    .all(|c| "星期周一二三四五六日天".contains(c))
        })
}

/// The page's own clock for an instant it also prints: `<time datetime="…T12:48+00:00">
/// 06/02/2022 - 13:48</time>` was shown at 13:48, so the offset is +01:00. The printed text
/// must carry the same minute, the year, and the local day, and the offset must be a real one.
pub fn as_printed(found: Found, printed: &str) -> Option<Found> {
    if !found.has_time {
        return None;
    }
    let utc = found.time.naive_utc();
    let clock = CLOCK.captures_iter(printed).last()?;
    let h: i64 = clock.get(1)?.as_str().parse().ok()?;
    let m: i64 = clock.get(2)?.as_str().parse().ok()?;
    let shown = h * 60 + m;
    let at = i64::from(utc.hour()) * 60 + i64::from(utc.minute());
    let mut diff = (shown - at).rem_euclid(24 * 60);
    if diff > 14 * 60 {
        diff -= 24 * 60;
    }
    if diff % 15 != 0 {
        return None;
    }
    let offset = FixedOffset::east_opt(i32::try_from(diff * 60).ok()?)?;
    let local = found.time.with_timezone(&offset);
    let numbers: Vec<u32> = NUMBER
        .find_iter(printed)
        .filter_map(|n| n.as_str().parse().ok())
        .collect();
    let year_ok = numbers.contains(&local.year().unsigned_abs());
    let day_ok = numbers.contains(&local.day());
    (year_ok && day_ok).then_some(Found {
        time: local,
        has_time: true,
        zoned: true,
    })
}

static CLOCK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,2})[:：](\d{2})").expect("clock regex compiles"));
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+").expect("number regex compiles"));

/// The first date in `text`.
pub fn find_first(text: &str) -> Option<Found> {
    DATE_TIME
        .captures_iter(text)
        .find_map(|c| from_captures(&c))
        .or_else(|| {
            text.contains('-')
                .then(|| {
                    SHORT_YEAR
                        .captures_iter(text)
                        .find_map(|c| from_captures(&c))
                })
                .flatten()
        })
        .or_else(|| ENGLISH.captures_iter(text).find_map(|c| from_english(&c)))
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

/// Brackets and spaces a dateline may be wrapped in: `（2003年5月）`, `[2003-07-24]`.
const DATELINE_WRAP: &[char] = &[
    '(', ')', '（', '）', '[', ']', '【', '】', '〔', '〕', ' ', '\u{3000}',
];

/// A line that is a story's own date: it opens with a date or a bare month, and at most a
/// short name (the paper it ran in) or a weekday follows (`2003-7-24 某某晚报`, `（2003年5月）`).
/// A label before the date (`注册时间：2003-5-1`) makes it some other date, and digits or a
/// colon after it make it a range or a field list, so those are not datelines.
pub fn dateline(text: &str) -> Option<Found> {
    let t = text.trim_matches(DATELINE_WRAP);
    if t.len() > 80 || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (found, end) = match DATE_TIME.captures(t) {
        Some(c) if c.get(0)?.start() == 0 => (from_captures(&c)?, c.get(0)?.end()),
        _ => {
            let c = MONTH_ONLY.captures(t).filter(|c| {
                c.get(0).is_some_and(|m| m.start() == 0)
                    && !c
                        .name("next")
                        .is_some_and(|n| n.as_str().starts_with(|d: char| d.is_ascii_digit()))
            })?;
            let end = c.name("next").map_or(t.len(), |n| n.start());
            let y = c.name("y")?.as_str().parse().ok()?;
            let m = c.name("m")?.as_str().parse().ok()?;
            (build(y, m, 1, None, None)?, end)
        }
    };
    let rest = t.get(end..)?.trim_matches(DATELINE_WRAP);
    let plain = rest.chars().count() <= 12
        && !rest
            .chars()
            .any(|c| c.is_numeric() || ":：,，。;；".contains(c));
    plain.then_some(found)
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
            zoned: true,
        });
    }
    find_first(v)
}

/// Stamps that count back from when the page was read: `3小时前`, `昨天 12:30`, `10-08 12:00`
/// (no year), `2 hours ago`.
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<n>\d{1,3}) \s* (?P<unit>分钟|分鐘|小时|小時|天|minutes?|mins?|hours?|days?) \s* (?:前|ago)
      | (?P<day>刚刚|剛剛|今天|昨天|前天|just\ now|yesterday) (?: \s* (?P<H>\d{1,2}) [:：] (?P<M>\d{2}) )?
      | (?:^|[^\d\-/.年]) (?P<mo>\d{1,2}) (?:-|/|月) (?P<d>\d{1,2}) 日? \s+ (?P<H2>\d{1,2}) [:：] (?P<M2>\d{2})",
    )
    .expect("relative date regex compiles")
});

/// The first stamp in `text` that counts back from `anchor` (when the page was fetched),
/// on Beijing's clock. A month and day without a year is the latest such day not after
/// the anchor.
pub fn relative(text: &str, anchor: DateTime<FixedOffset>) -> Option<Found> {
    let now = anchor.with_timezone(&beijing());
    let c = RELATIVE.captures(text)?;
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i64>().ok());
    let at = |day: chrono::NaiveDate, h: Option<i64>, m: Option<i64>| {
        let (has_time, h, m) = match (h, m) {
            (Some(h), Some(m)) => (true, h, m),
            _ => (false, 0, 0),
        };
        let time = NaiveTime::from_hms_opt(u32::try_from(h).ok()?, u32::try_from(m).ok()?, 0)?;
        let t = beijing()
            .from_local_datetime(&NaiveDateTime::new(day, time))
            .single()?;
        Some(Found {
            time: t,
            has_time,
            zoned: false,
        })
    };
    if let (Some(n), Some(unit)) = (num("n"), c.name("unit")) {
        let u = unit.as_str();
        let back = if u.starts_with('分') || u.starts_with("min") {
            chrono::Duration::minutes(n)
        } else if u.starts_with('小') || u.starts_with("hour") {
            chrono::Duration::hours(n)
        } else {
            chrono::Duration::days(n)
        };
        let t = now.checked_sub_signed(back)?;
        // Minutes and hours ago give the time of day; days ago only the day.
        let has_time = !(u == "天" || u.starts_with("day"));
        let t = if has_time {
            t.with_second(0)?.with_nanosecond(0)?
        } else {
            t.with_hour(0)?
                .with_minute(0)?
                .with_second(0)?
                .with_nanosecond(0)?
        };
        return Some(Found {
            time: t,
            has_time,
            zoned: false,
        });
    }
    if let Some(day) = c.name("day") {
        let back = match day.as_str() {
            "昨天" | "yesterday" => 1,
            "前天" => 2,
            _ => 0,
        };
        if back == 0 && num("H").is_none() && day.as_str() != "今天" {
            // `刚刚`: the fetch time itself.
            return Some(Found {
                time: now.with_second(0)?.with_nanosecond(0)?,
                has_time: true,
                zoned: false,
            });
        }
        let d = now.date_naive().checked_sub_days(chrono::Days::new(back))?;
        return at(d, num("H"), num("M"));
    }
    let (mo, d) = (num("mo")?, num("d")?);
    let (mo, d) = (u32::try_from(mo).ok()?, u32::try_from(d).ok()?);
    let this_year = NaiveDate::from_ymd_opt(now.year(), mo, d)?;
    let day = if this_year > now.date_naive() {
        NaiveDate::from_ymd_opt(now.year() - 1, mo, d)?
    } else {
        this_year
    };
    at(day, num("H2"), num("M2"))
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
            ("2020-10-28T08:33:31Z", "2020-10-28 08:33:31+00:00"),
            ("2020-10-28T16:33:31+08:00", "2020-10-28 16:33:31+08:00"),
            ("2020-10-28T16:33:31.000+0800", "2020-10-28 16:33:31+08:00"),
            ("2020年10月28日 16时33分", "2020-10-28 16:33:00+08:00"),
            ("版权所有 1999-2024", "none"),
            ("2020-13-45", "none"),
            ("电话 010-12345678", "none"),
            // Zones named in words keep the page's clock.
            (
                "更新时间 2012年3月4日, 格林尼治标准时间09:15",
                "2012-03-04 09:15:00+00:00",
            ),
            ("2012-03-04 09:15 GMT", "2012-03-04 09:15:00+00:00"),
            ("2012-03-04 09:15 GMT+8", "2012-03-04 09:15:00+08:00"),
            (
                "北京时间2012年3月4日 北京时间09:15",
                "2012-03-04 09:15:00+08:00",
            ),
            // Two-digit years only with a time of day.
            ("发表于 18-03-08 23:16", "2018-03-08 23:16:00+08:00"),
            ("编号 18-03-08", "none"),
            ("2012-03-04, 09:15", "2012-03-04 09:15:00+08:00"),
        ];
        for (input, want) in cases {
            assert_eq!(show(parse(input)), want, "input {input:?}");
        }
    }

    #[test]
    fn english_month_names() {
        let cases = [
            ("Posted on Oct 28, 2020", "2020-10-28"),
            ("October 28, 2020 4:33 PM", "2020-10-28 16:33:00+08:00"),
            ("Oct. 3rd, 2021 at 12:05 am", "2021-10-03 00:05:00+08:00"),
            ("28 October 2020", "2020-10-28"),
            ("发表于 28 Oct 2020 09:15", "2020-10-28 09:15:00+08:00"),
            (
                "Sat, 28 Dec 2013 00:28:00 +0000",
                "2013-12-28 00:28:00+00:00",
            ),
            ("Dec 28 Sat 2013 00:28", "2013-12-28 00:28:00+08:00"),
            ("Monday, March 4, 2019", "2019-03-04"),
            ("Sept 9, 2019 18:05 pm", "2019-09-09 18:05:00+08:00"),
            // A numeric date in the same text is preferred.
            (
                "Updated Oct 28, 2020; 2020-10-29 08:00",
                "2020-10-29 08:00:00+08:00",
            ),
            // No day, no year, or a word that only starts like a month: not dates.
            ("in May 2020", "none"),
            ("Mar 5", "none"),
            ("Decent 28, 2020", "none"),
            ("Feb 30, 2020", "none"),
            ("mayor 28 2020", "none"),
        ];
        for (input, want) in cases {
            assert_eq!(show(parse(input)), want, "input {input:?}");
        }
    }

    #[test]
    fn datelines() {
        let cases = [
            ("2003-7-24 某某晚报", "2003-07-24"),
            ("（2019年3月5日）", "2019-03-05"),
            ("2018年5月", "2018-05-01"),
            ("【2017年11月号】", "2017-11-01"),
            ("2016年4月8日 星期五", "2016-04-08"),
            ("2016-04-08 09:30", "2016-04-08 09:30:00+08:00"),
            // A label before the date, or fields, ranges and prose after it.
            ("注册时间：2003-5-1", "none"),
            ("2019-09-07 来源：某某网", "none"),
            ("2003年5月—2004年6月", "none"),
            ("2019年3月5日，记者来到了这个村子采访", "none"),
            ("2018年5月12日下午两点半左右发生了一起事故", "none"),
            ("某某日报", "none"),
        ];
        for (input, want) in cases {
            assert_eq!(show(dateline(input)), want, "input {input:?}");
        }
    }

    #[test]
    fn relative_stamps() {
        let anchor = DateTime::parse_from_rfc3339("2021-03-05T02:00:00+00:00").expect("anchor");
        // 10:00 on 5 March in Beijing.
        let cases = [
            ("3小时前", Some("2021-03-05 07:00")),
            ("发布于 25分钟前", Some("2021-03-05 09:35")),
            ("昨天 23:15", Some("2021-03-04 23:15")),
            ("前天", Some("2021-03-03 00:00")),
            ("发布时间：03-04 12:00", Some("2021-03-04 12:00")),
            ("发布时间：12-30 08:00", Some("2020-12-30 08:00")),
            ("2 hours ago", Some("2021-03-05 08:00")),
            ("刚刚", Some("2021-03-05 10:00")),
            ("共3篇", None),
        ];
        for (text, want) in cases {
            let got = relative(text, anchor).map(|f| f.time.format("%Y-%m-%d %H:%M").to_string());
            assert_eq!(got.as_deref(), want, "{text}");
        }
    }

    #[test]
    fn update_stamps_come_last() {
        let text = "更新时间：2021-03-06 10:00 发布时间：2021-03-05 09:12";
        let got: Vec<String> = publish_stamps(text)
            .iter()
            .map(|f| f.time.format("%Y-%m-%d %H:%M").to_string())
            .collect();
        assert_eq!(got, ["2021-03-05 09:12", "2021-03-06 10:00"]);
        let only = publish_stamps("Updated: 2021-03-06 10:00");
        assert_eq!(only.len(), 1);
    }

    #[test]
    fn date_only_lines() {
        assert!(is_date_only("2005-06-14 03:25:55"));
        assert!(is_date_only(" 2021年3月5日 星期五 "));
        assert!(!is_date_only("2021年3月5日，我们出发了"));
        assert!(!is_date_only("2021-03-05 来源：某报"));
        assert!(is_date_only("Tue, Mar 9 2021 10:40"));
        assert!(!is_date_only("Posted on Mar 9, 2021"));
    }

    #[test]
    fn printed_clock_gives_the_offset() {
        let iso = parse("2022-02-06T12:48:06+00:00").expect("iso");
        let shown = as_printed(iso, "06/02/2022 - 13:48").expect("printed");
        assert_eq!(
            shown.time.format("%Y-%m-%d %H:%M%:z").to_string(),
            "2022-02-06 13:48+01:00"
        );
        // A different minute is another time, not another zone.
        assert!(as_printed(iso, "06/02/2022 - 13:41").is_none());
        // The local day must be printed too.
        assert!(as_printed(iso, "09/03/2022 - 13:48").is_none());
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
