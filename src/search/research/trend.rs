//! Trends: matching articles per calendar bucket (day, ISO week, month, year) in Beijing
//! time, several queries side by side, optionally with the count of all articles per
//! bucket and each query's share of it.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::error::{Error, Result};
use crate::index::schema::PUBLISHED;
use crate::search::request::{Deadline, Filters, Syntax};
use crate::search::{finished, with_deadline, Engine};

pub const MAX_SERIES: usize = 8;
/// Most buckets a trend may hold (100 years of weeks would be 5,218).
pub const MAX_BUCKETS: usize = 100_000;

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

/// What a trend is asked: one series per query, within the filters.
#[derive(Debug, Clone)]
pub struct TrendRequest {
    pub queries: Vec<String>,
    pub syntax: Syntax,
    pub interval: Interval,
    /// Also count all articles per bucket (within the filters), and each query's share.
    pub normalize: bool,
    pub filters: Filters,
    pub deadline: Option<Deadline>,
}

impl TrendRequest {
    pub fn new(queries: Vec<String>) -> Self {
        TrendRequest {
            queries,
            syntax: Syntax::Lenient,
            interval: Interval::Month,
            normalize: false,
            filters: Filters::default(),
            deadline: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    pub start: String,
    pub count: u64,
    /// All articles in the bucket (with `normalize`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
    /// `count / total` (with `normalize`; 0 for an empty bucket).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub query: String,
    /// The query as it was read.
    pub interpreted_as: String,
    /// Matching articles in all buckets together.
    pub total: u64,
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
    fn day_counts(
        &self,
        query: &dyn Query,
        deadline: &Option<Deadline>,
    ) -> Result<BTreeMap<NaiveDate, u64>> {
        let query = with_deadline(query.box_clone(), deadline);
        let counts = self.searcher().search(&*query, &DayCounts)?;
        finished(deadline)?;
        Ok(counts)
    }

    /// Article counts per bucket for each query. With `from` or `to`, buckets run from
    /// the bucket of `from` to that of `to`, empty ones included; an open end stops at
    /// the first or last non-empty bucket of any series. Undated articles are in no bucket.
    pub fn trend(&self, req: &TrendRequest) -> Result<Trend> {
        if req.queries.is_empty() || req.queries.len() > MAX_SERIES {
            return Err(Error::BadRequest(format!("give 1 to {MAX_SERIES} queries")));
        }
        let mut days = Vec::new();
        for q in &req.queries {
            let (query, parsed) = self.compile_as(q, req.syntax, &req.filters)?;
            days.push((
                self.day_counts(&*query, &req.deadline)?,
                parsed.interpreted_as(),
            ));
        }
        let totals = if req.normalize {
            let (all, _) = self.compile_as("*", Syntax::Lenient, &req.filters)?;
            Some(self.day_counts(&*all, &req.deadline)?)
        } else {
            None
        };
        assemble(req, days, totals)
    }
}

/// A trend from each query's counts per Beijing day (and its reading), and the counts of
/// all articles per day when normalizing: the buckets, empty ones included.
pub fn assemble(
    req: &TrendRequest,
    days: Vec<(BTreeMap<NaiveDate, u64>, String)>,
    all_days: Option<BTreeMap<NaiveDate, u64>>,
) -> Result<Trend> {
    let interval = req.interval;
    let mut per_query = Vec::new();
    let mut read = Vec::new();
    for (counts, interpreted_as) in days {
        let mut buckets: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        for (day, n) in counts {
            *buckets.entry(interval.bucket(day)).or_default() += n;
        }
        per_query.push(buckets);
        read.push(interpreted_as);
    }
    let totals = all_days.map(|days| {
        let mut t: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        for (day, n) in days {
            *t.entry(interval.bucket(day)).or_default() += n;
        }
        t
    });
    let first = req.filters.from.map(|d| interval.bucket(d)).or_else(|| {
        per_query
            .iter()
            .filter_map(|b| b.keys().next())
            .min()
            .copied()
    });
    let last = req.filters.to.map(|d| interval.bucket(d)).or_else(|| {
        per_query
            .iter()
            .filter_map(|b| b.keys().next_back())
            .max()
            .copied()
    });
    let mut starts = Vec::new();
    if let (Some(mut d), Some(last)) = (first, last) {
        while d <= last {
            if starts.len() == MAX_BUCKETS {
                return Err(Error::BadRequest(format!(
                    "more than {MAX_BUCKETS} buckets; narrow the dates or use a longer interval"
                )));
            }
            starts.push(d);
            let next = interval.next(d);
            if next <= d {
                break;
            }
            d = next;
        }
    }
    let series = req
        .queries
        .iter()
        .zip(per_query)
        .zip(read)
        .map(|((q, counts), interpreted_as)| Series {
            query: q.clone(),
            interpreted_as,
            total: counts.values().sum(),
            buckets: starts
                .iter()
                .map(|s| {
                    let count = counts.get(s).copied().unwrap_or(0);
                    let total = totals.as_ref().map(|t| t.get(s).copied().unwrap_or(0));
                    Bucket {
                        start: s.to_string(),
                        count,
                        total,
                        share: total.map(|t| if t == 0 { 0.0 } else { count as f64 / t as f64 }),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Trend {
        interval,
        normalized: req.normalize,
        series,
    })
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
