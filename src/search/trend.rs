//! Trends: matching articles per calendar bucket (day, ISO week, month, year) in Beijing
//! time, several queries side by side, optionally with the count of all articles per bucket.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{AllQuery, Query};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::Engine;
use crate::error::{Error, Result};
use crate::index::schema::PUBLISHED;

pub const MAX_SERIES: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Day,
    Week,
    Month,
    Year,
}

impl std::str::FromStr for Interval {
    type Err = Error;
    fn from_str(s: &str) -> Result<Interval> {
        match s {
            "day" => Ok(Interval::Day),
            "week" => Ok(Interval::Week),
            "month" => Ok(Interval::Month),
            "year" => Ok(Interval::Year),
            other => Err(Error::BadRequest(format!(
                "interval {other:?} is not day, week, month or year"
            ))),
        }
    }
}

impl Interval {
    /// The first day of the bucket holding `d`.
    pub fn bucket(self, d: NaiveDate) -> NaiveDate {
        match self {
            Interval::Day => d,
            Interval::Week => {
                d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
            }
            Interval::Month => d.with_day(1).unwrap_or(d),
            Interval::Year => NaiveDate::from_ymd_opt(d.year(), 1, 1).unwrap_or(d),
        }
    }

    pub fn next(self, d: NaiveDate) -> NaiveDate {
        match self {
            Interval::Day => d + chrono::Duration::days(1),
            Interval::Week => d + chrono::Duration::days(7),
            Interval::Month => d.checked_add_months(Months::new(1)).unwrap_or(d),
            Interval::Year => d.checked_add_months(Months::new(12)).unwrap_or(d),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    pub start: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub query: String,
    pub buckets: Vec<Bucket>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub interval: Interval,
    pub normalized: bool,
    pub series: Vec<Series>,
}

/// Counts of matching documents per Beijing calendar day.
struct DayCounts;

struct SegmentDayCounts {
    published: Column<tantivy::DateTime>,
    days: BTreeMap<NaiveDate, u64>,
}

const BEIJING_SECS: i64 = 8 * 3600;

impl Collector for DayCounts {
    type Fruit = BTreeMap<NaiveDate, u64>;
    type Child = SegmentDayCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentDayCounts> {
        Ok(SegmentDayCounts {
            published: reader.fast_fields().date(PUBLISHED)?,
            days: BTreeMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<BTreeMap<NaiveDate, u64>>) -> tantivy::Result<Self::Fruit> {
        let mut out = BTreeMap::new();
        for f in fruits {
            for (k, v) in f {
                *out.entry(k).or_default() += v;
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for SegmentDayCounts {
    type Fruit = BTreeMap<NaiveDate, u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(d) = self.published.first(doc) {
            if let Some(t) =
                chrono::DateTime::from_timestamp(d.into_timestamp_secs() + BEIJING_SECS, 0)
            {
                *self.days.entry(t.date_naive()).or_default() += 1;
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.days
    }
}

impl Engine {
    fn day_counts(&self, query: &dyn Query) -> Result<BTreeMap<NaiveDate, u64>> {
        Ok(self.searcher().search(query, &DayCounts)?)
    }

    /// Article counts per bucket for each query; buckets run from the first to the last
    /// non-empty one across all series (empty buckets in between are listed with 0).
    pub fn trend(
        &self,
        queries: &[String],
        interval: Interval,
        with_totals: bool,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Trend> {
        if queries.is_empty() || queries.len() > MAX_SERIES {
            return Err(Error::BadRequest(format!("give 1 to {MAX_SERIES} queries")));
        }
        let mut per_query = Vec::new();
        for q in queries {
            let (query, _) = self.compile(q, from, to, None)?;
            let mut buckets: BTreeMap<NaiveDate, u64> = BTreeMap::new();
            for (day, n) in self.day_counts(&*query)? {
                *buckets.entry(interval.bucket(day)).or_default() += n;
            }
            per_query.push(buckets);
        }
        let totals = if with_totals {
            let mut t: BTreeMap<NaiveDate, u64> = BTreeMap::new();
            for (day, n) in self.day_counts(&AllQuery)? {
                *t.entry(interval.bucket(day)).or_default() += n;
            }
            Some(t)
        } else {
            None
        };
        let first = per_query
            .iter()
            .filter_map(|b| b.keys().next())
            .min()
            .copied();
        let last = per_query
            .iter()
            .filter_map(|b| b.keys().next_back())
            .max()
            .copied();
        let mut starts = Vec::new();
        if let (Some(mut d), Some(last)) = (first, last) {
            while d <= last && starts.len() < 100_000 {
                starts.push(d);
                d = interval.next(d);
            }
        }
        let series = queries
            .iter()
            .zip(per_query)
            .map(|(q, counts)| Series {
                query: q.clone(),
                buckets: starts
                    .iter()
                    .map(|s| Bucket {
                        start: s.to_string(),
                        count: counts.get(s).copied().unwrap_or(0),
                        total: totals.as_ref().map(|t| t.get(s).copied().unwrap_or(0)),
                    })
                    .collect(),
            })
            .collect();
        Ok(Trend {
            interval,
            normalized: with_totals,
            series,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_buckets() {
        let d = NaiveDate::from_ymd_opt(2020, 10, 28).expect("date");
        assert_eq!(Interval::Week.bucket(d).to_string(), "2020-10-26");
        assert_eq!(Interval::Month.bucket(d).to_string(), "2020-10-01");
        assert_eq!(Interval::Year.bucket(d).to_string(), "2020-01-01");
        assert_eq!(
            Interval::Month.next(Interval::Month.bucket(d)).to_string(),
            "2020-11-01"
        );
        assert!("hour".parse::<Interval>().is_err());
    }
}
