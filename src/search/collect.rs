//! One pass over the matches: total count, top hits after a cursor (by score or date,
//! ties broken by id), reprint groups collapsed to one hit, and facet counts.

use std::cmp::Ordering;
use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::schema::{GROUP, ID_HASH, PUBLISHED, SOURCE};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Sort {
    Relevance,
    Date,
}

/// Where a hit sorts: higher `key` first, then lower `id` (the id hash).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SortKey {
    pub key: f64,
    pub id: u64,
}

impl SortKey {
    /// `Less` when `self` comes first.
    pub fn order(&self, other: &SortKey) -> Ordering {
        other
            .key
            .partial_cmp(&self.key)
            .unwrap_or(Ordering::Equal)
            .then(self.id.cmp(&other.id))
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub sort: SortKey,
    pub score: Score,
    pub group: u64,
    pub address: DocAddress,
}

pub struct MatchCollector {
    pub sort: Sort,
    pub after: Option<SortKey>,
    pub limit: usize,
    pub collapse: bool,
    pub facets: bool,
}

#[derive(Debug, Default)]
pub struct Matches {
    pub total: u64,
    /// Number of distinct groups among the matches (= total without collapsing).
    pub groups: u64,
    pub top: Vec<Entry>,
    pub by_source: HashMap<String, u64>,
    pub by_year: HashMap<i32, u64>,
}

pub struct SegmentMatches {
    segment: SegmentOrdinal,
    sort: Sort,
    after: Option<SortKey>,
    limit: usize,
    collapse: bool,
    facets: bool,
    id: Column<u64>,
    group: Column<u64>,
    published: Column<tantivy::DateTime>,
    source: Option<StrColumn>,
    total: u64,
    entries: Vec<Entry>,
    best_of_group: HashMap<u64, Entry>,
    source_ords: HashMap<u64, u64>,
    by_year: HashMap<i32, u64>,
}

const BEIJING_SECS: i64 = 8 * 3600;

fn year_of(secs: i64) -> i32 {
    chrono::DateTime::from_timestamp(secs + BEIJING_SECS, 0)
        .map(|d| chrono::Datelike::year(&d))
        .unwrap_or(1970)
}

impl Collector for MatchCollector {
    type Fruit = Matches;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        let ff = reader.fast_fields();
        Ok(SegmentMatches {
            segment,
            sort: self.sort,
            after: self.after,
            limit: self.limit,
            collapse: self.collapse,
            facets: self.facets,
            id: ff.u64(ID_HASH)?,
            group: ff.u64(GROUP)?,
            published: ff.date(PUBLISHED)?,
            source: if self.facets { ff.str(SOURCE)? } else { None },
            total: 0,
            entries: Vec::new(),
            best_of_group: HashMap::new(),
            source_ords: HashMap::new(),
            by_year: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Matches> {
        let mut out = Matches::default();
        let mut best_of_group: HashMap<u64, Entry> = HashMap::new();
        let mut entries = Vec::new();
        for f in fruits {
            out.total += f.total;
            for (k, v) in f.by_source {
                *out.by_source.entry(k).or_default() += v;
            }
            for (k, v) in f.by_year {
                *out.by_year.entry(k).or_default() += v;
            }
            if self.collapse {
                for e in f.entries {
                    keep_best(&mut best_of_group, e);
                }
            } else {
                entries.extend(f.entries);
            }
        }
        if self.collapse {
            out.groups = best_of_group.len() as u64;
            entries = best_of_group.into_values().collect();
            if let Some(after) = self.after {
                entries.retain(|e| e.sort.order(&after) == Ordering::Greater);
            }
        } else {
            out.groups = out.total;
        }
        entries.sort_by(|a, b| a.sort.order(&b.sort));
        entries.truncate(self.limit);
        out.top = entries;
        Ok(out)
    }
}

fn keep_best(map: &mut HashMap<u64, Entry>, e: Entry) {
    map.entry(e.group)
        .and_modify(|old| {
            if e.sort.order(&old.sort) == Ordering::Less {
                *old = e;
            }
        })
        .or_insert(e);
}

pub struct SegmentFruit {
    total: u64,
    entries: Vec<Entry>,
    by_source: HashMap<String, u64>,
    by_year: HashMap<i32, u64>,
}

impl SegmentCollector for SegmentMatches {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        let id = self.id.first(doc).unwrap_or(0);
        let published = self.published.first(doc).map(|d| d.into_timestamp_secs());
        if self.facets {
            if let Some(src) = &self.source {
                if let Some(ord) = src.term_ords(doc).next() {
                    *self.source_ords.entry(ord).or_default() += 1;
                }
            }
            if let Some(p) = published {
                *self.by_year.entry(year_of(p)).or_default() += 1;
            }
        }
        let key = match self.sort {
            Sort::Relevance => score as f64,
            // Undated articles sort last.
            Sort::Date => published.map(|p| p as f64).unwrap_or(f64::MIN),
        };
        let entry = Entry {
            sort: SortKey { key, id },
            score,
            group: if self.collapse {
                self.group.first(doc).unwrap_or(id)
            } else {
                id
            },
            address: DocAddress::new(self.segment, doc),
        };
        if self.collapse {
            // Cursor applies after collapsing, in merge_fruits.
            keep_best(&mut self.best_of_group, entry);
            return;
        }
        if let Some(after) = self.after {
            if entry.sort.order(&after) != Ordering::Greater {
                return;
            }
        }
        self.entries.push(entry);
        // Keep memory bounded: trim to the best `limit` now and then.
        if self.entries.len() >= 4 * self.limit.max(64) {
            self.entries.sort_by(|a, b| a.sort.order(&b.sort));
            self.entries.truncate(self.limit);
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut entries = if self.collapse {
            self.best_of_group.into_values().collect()
        } else {
            self.entries
        };
        if !self.collapse {
            entries.sort_by(|a, b| a.sort.order(&b.sort));
            entries.truncate(self.limit);
        }
        let mut by_source = HashMap::new();
        if let Some(src) = &self.source {
            let mut s = String::new();
            for (ord, n) in self.source_ords {
                s.clear();
                if src.ord_to_str(ord, &mut s).unwrap_or(false) {
                    *by_source.entry(s.clone()).or_default() += n;
                }
            }
        }
        SegmentFruit {
            total: self.total,
            entries,
            by_source,
            by_year: self.by_year,
        }
    }
}
