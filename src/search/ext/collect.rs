//! One pass over the matches: total count, top hits after a cursor (by score or date,
//! ties broken by id), reprint groups collapsed to one hit, and facet counts.
//!
//! Memory and time stay proportional to the page, not to the matches: candidates are
//! trimmed to the best `limit` (best `limit` groups when collapsing) whenever the buffer
//! fills. Only a collapsed search after a cursor must remember every group, to know which
//! groups earlier pages already showed.

use std::cmp::Ordering;
use std::collections::HashMap;

use rustc_hash::FxHashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::index::schema::{GROUP, ID_HASH, ORG, PERSON, PLACE, PUBLISHED, SOURCE};
use crate::search::request::FacetCount;

/// The keyword fields counted for facets, in the order of `Matches::by_value`.
pub const FACET_FIELDS: [&str; 4] = [SOURCE, PERSON, PLACE, ORG];

/// Values listed per entity facet: an article can name dozens of people, and a facet is
/// for seeing who a story is about, not for listing everyone.
pub const ENTITY_FACET_TOP: usize = 20;

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

impl MatchCollector {
    /// Every match of `searcher`'s index in `sort` order, each article on its own.
    pub fn every(searcher: &tantivy::Searcher, sort: Sort) -> MatchCollector {
        MatchCollector {
            sort,
            after: None,
            limit: (searcher.num_docs() as usize).max(1),
            collapse: false,
            facets: false,
        }
    }
}

#[derive(Debug, Default)]
pub struct Matches {
    pub total: u64,
    /// Distinct reprint groups among the matches (when collapsing).
    pub groups: u64,
    pub top: Vec<Entry>,
    /// Articles per value of each of [`FACET_FIELDS`].
    pub by_value: [HashMap<String, u64>; 4],
    pub by_year: HashMap<i32, u64>,
}

/// The `top` values counted most, most first, then by value: how every facet and entity
/// list is ordered, on a local index and on a cluster.
pub fn ranked(counts: &HashMap<String, u64>, top: usize) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> = counts
        .iter()
        .map(|(k, v)| FacetCount {
            value: k.clone(),
            count: *v,
        })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
    list.truncate(top);
    list
}

impl Matches {
    /// Counts by source and entity (most first) and by year.
    pub fn facets(&self) -> crate::search::request::Facets {
        let mut year: Vec<FacetCount> = self
            .by_year
            .iter()
            .map(|(k, v)| FacetCount {
                value: k.to_string(),
                count: *v,
            })
            .collect();
        year.sort_by(|a, b| a.value.cmp(&b.value));
        let [source, person, place, org] = &self.by_value;
        crate::search::request::Facets {
            source: ranked(source, usize::MAX),
            year,
            person: ranked(person, ENTITY_FACET_TOP),
            place: ranked(place, ENTITY_FACET_TOP),
            org: ranked(org, ENTITY_FACET_TOP),
        }
    }
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
    /// The columns of [`FACET_FIELDS`] (when counting facets).
    facet_columns: Vec<Option<StrColumn>>,
    total: u64,
    entries: Vec<Entry>,
    /// Every group seen (when collapsing), to count stories.
    groups: rustc_hash::FxHashSet<u64>,
    /// Every group's best entry: only for a collapsed search after a cursor.
    best_of_group: FxHashMap<u64, Entry>,
    /// Articles per term ordinal, per facet column.
    facet_ords: Vec<FxHashMap<u64, u64>>,
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
            facet_columns: if self.facets {
                FACET_FIELDS
                    .iter()
                    .map(|f| ff.str(f))
                    .collect::<tantivy::Result<_>>()?
            } else {
                Vec::new()
            },
            total: 0,
            entries: Vec::new(),
            groups: Default::default(),
            best_of_group: FxHashMap::default(),
            facet_ords: vec![FxHashMap::default(); FACET_FIELDS.len()],
            by_year: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.sort == Sort::Relevance
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Matches> {
        let mut out = Matches::default();
        let mut entries = Vec::new();
        let mut groups: rustc_hash::FxHashSet<u64> = Default::default();
        for f in fruits {
            out.total += f.total;
            groups.extend(f.groups);
            for (mine, theirs) in out.by_value.iter_mut().zip(f.by_value) {
                for (k, v) in theirs {
                    *mine.entry(k).or_default() += v;
                }
            }
            for (k, v) in f.by_year {
                *out.by_year.entry(k).or_default() += v;
            }
            entries.extend(f.entries);
        }
        if self.collapse {
            // Copies of one story can sit in several segments.
            best_per_group(&mut entries);
            if let Some(after) = self.after {
                entries.retain(|e| e.sort.order(&after) == Ordering::Greater);
            }
        }
        keep_top(&mut entries, self.limit);
        out.top = entries;
        out.groups = groups.len() as u64;
        Ok(out)
    }
}

/// Sorts `entries` and keeps the first `limit`, selecting before sorting.
fn keep_top(entries: &mut Vec<Entry>, limit: usize) {
    if entries.len() > limit && limit > 0 {
        entries.select_nth_unstable_by(limit - 1, |a, b| a.sort.order(&b.sort));
    }
    entries.truncate(limit);
    entries.sort_unstable_by(|a, b| a.sort.order(&b.sort));
}

/// Keeps each group's best entry, then the best `limit` of those. A group dropped here
/// ranked below `limit` other groups, which can only get better, so it cannot reach the
/// page unless a better copy comes later, and that copy is collected afresh.
pub(super) fn keep_top_groups(entries: &mut Vec<Entry>, limit: usize) {
    best_per_group(entries);
    keep_top(entries, limit);
}

/// Keeps only each group's best entry, in no particular order.
fn best_per_group(entries: &mut Vec<Entry>) {
    let mut best: FxHashMap<u64, Entry> = FxHashMap::default();
    for e in entries.drain(..) {
        keep_best(&mut best, e);
    }
    entries.extend(best.into_values());
}

fn keep_best(map: &mut FxHashMap<u64, Entry>, e: Entry) {
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
    groups: rustc_hash::FxHashSet<u64>,
    entries: Vec<Entry>,
    by_value: [HashMap<String, u64>; 4],
    by_year: HashMap<i32, u64>,
}

impl SegmentCollector for SegmentMatches {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        let id = self.id.first(doc).unwrap_or(0);
        let published = self.published.first(doc).map(|d| d.into_timestamp_secs());
        if self.facets {
            for (column, counts) in self.facet_columns.iter().zip(&mut self.facet_ords) {
                if let Some(column) = column {
                    // An article counts once per value (values are distinct per article).
                    for ord in column.term_ords(doc) {
                        *counts.entry(ord).or_default() += 1;
                    }
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
        let group = if self.collapse {
            let g = self.group.first(doc).unwrap_or(id);
            self.groups.insert(g);
            g
        } else {
            id
        };
        let entry = Entry {
            sort: SortKey { key, id },
            score,
            group,
            address: DocAddress::new(self.segment, doc),
        };
        if self.collapse && self.after.is_some() {
            // The cursor applies after collapsing, in merge_fruits.
            keep_best(&mut self.best_of_group, entry);
            return;
        }
        if let Some(after) = self.after {
            if entry.sort.order(&after) != Ordering::Greater {
                return;
            }
        }
        self.entries.push(entry);
        if self.entries.len() >= 4 * self.limit.max(64) {
            if self.collapse {
                keep_top_groups(&mut self.entries, self.limit);
            } else {
                keep_top(&mut self.entries, self.limit);
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut entries = self.entries;
        if self.collapse && self.after.is_some() {
            // Which groups earlier pages showed is known only across all segments.
            entries.extend(self.best_of_group.into_values());
        } else if self.collapse {
            keep_top_groups(&mut entries, self.limit);
        } else {
            keep_top(&mut entries, self.limit);
        }
        let mut by_value: [HashMap<String, u64>; 4] = Default::default();
        for ((column, ords), out) in self
            .facet_columns
            .iter()
            .zip(self.facet_ords)
            .zip(by_value.iter_mut())
        {
            let Some(column) = column else { continue };
            let mut s = String::new();
            for (ord, n) in ords {
                s.clear();
                if column.ord_to_str(ord, &mut s).unwrap_or(false) {
                    *out.entry(s.clone()).or_default() += n;
                }
            }
        }
        SegmentFruit {
            total: self.total,
            groups: self.groups,
            entries,
            by_value,
            by_year: self.by_year,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn entry(key: u8, id: usize, group: u8) -> Entry {
        Entry {
            sort: SortKey {
                key: key as f64,
                id: id as u64,
            },
            score: key as f32,
            group: group as u64,
            address: DocAddress::new(0, id as u32),
        }
    }

    proptest! {
        /// Trimming as matches stream in gives exactly the page a full collapse gives.
        #[test]
        fn streamed_trims_equal_a_full_collapse(
            raw in proptest::collection::vec((0u8..8, 0u8..40), 0..300),
            limit in 1usize..12,
            every in 2usize..40,
        ) {
            let all: Vec<Entry> = raw
                .iter()
                .enumerate()
                .map(|(i, &(key, group))| entry(key, i, group))
                .collect();
            let mut streamed = Vec::new();
            for e in &all {
                streamed.push(*e);
                if streamed.len() >= every {
                    keep_top_groups(&mut streamed, limit);
                }
            }
            keep_top_groups(&mut streamed, limit);

            let mut best: FxHashMap<u64, Entry> = FxHashMap::default();
            for e in &all {
                keep_best(&mut best, *e);
            }
            let mut full: Vec<Entry> = best.into_values().collect();
            full.sort_by(|a, b| a.sort.order(&b.sort));
            full.truncate(limit);
            let ids = |v: &[Entry]| v.iter().map(|e| (e.sort.id, e.group)).collect::<Vec<_>>();
            prop_assert_eq!(ids(&streamed), ids(&full));
        }
    }
}
