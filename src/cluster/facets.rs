//! Facets and entity lists on a cluster: sources and years (`GROUP BY source`,
//! `GROUP BY pub_year`) and the people, places and organisations the matches name
//! (`GROUP BY person_ids`, … over the hashes of the values, each group's name read from
//! the text attribute of the article that represents it). Counted on the nodes for a
//! query they answer exactly, and in zhnews from the checked matches otherwise; ordered
//! as locally (most first, then by value).

use std::collections::HashMap;

use super::client::{Answer, Rows};
use super::layout::{self, entity_columns, entity_key, split_list};
use super::search::Candidate;
use super::Cluster;
use crate::analyze::entities::EntityKind;
use crate::error::{Error, Result};
use crate::search::collect::{ranked, ENTITY_FACET_TOP};
use crate::search::entities::{EntitiesRequest, EntityList};
use crate::search::query;
use crate::search::{FacetCount, Facets, Sort};

/// The most distinct values of one facet counted: past it a count could be cut short by
/// the nodes' group-by limit, so the query is refused rather than answered in part.
pub const MAX_FACET_VALUES: u64 = 100_000;

/// What facets count, before they are ordered.
#[derive(Debug, Default)]
pub(super) struct FacetCounts {
    pub source: HashMap<String, u64>,
    pub year: HashMap<u32, u64>,
    /// Per kind, in the order of [`EntityKind::ALL`].
    pub entities: [HashMap<String, u64>; 3],
}

impl FacetCounts {
    /// Counts the facets of checked matches (fetched with their entities).
    pub fn of_candidates(candidates: &[Candidate]) -> FacetCounts {
        let mut c = FacetCounts::default();
        for m in candidates {
            *c.source.entry(m.source.clone()).or_default() += 1;
            *c.year.entry(m.year).or_default() += 1;
            for (counts, values) in c.entities.iter_mut().zip(&m.entities) {
                for v in values {
                    *counts.entry(v.clone()).or_default() += 1;
                }
            }
        }
        c
    }

    /// Sources and entities most first, then by value; years in order.
    pub fn facets(mut self) -> Facets {
        self.source.remove("");
        let mut year: Vec<FacetCount> = self
            .year
            .into_iter()
            .filter(|(k, _)| *k > 0)
            .map(|(k, count)| FacetCount {
                value: k.to_string(),
                count,
            })
            .collect();
        year.sort_by(|a, b| a.value.cmp(&b.value));
        let [person, place, org] = &self.entities;
        Facets {
            source: ranked(&self.source, usize::MAX),
            year,
            person: ranked(person, ENTITY_FACET_TOP),
            place: ranked(place, ENTITY_FACET_TOP),
            org: ranked(org, ENTITY_FACET_TOP),
        }
    }
}

/// The statements that count every facet of the matches of `within`: source, year, then
/// each kind of entity.
pub(super) fn facet_selects(index: &str, within: &str) -> Vec<String> {
    let mut out = Vec::new();
    for col in [layout::SOURCE, layout::YEAR] {
        out.push(format!(
            "SELECT {col}, COUNT(*) AS n FROM {index} WHERE {within} GROUP BY {col} \
             ORDER BY n DESC LIMIT 0, {MAX_FACET_VALUES} OPTION \
             max_matches={MAX_FACET_VALUES}, ranker=none"
        ));
    }
    out.extend(entity_selects(index, within));
    out
}

/// The statements that count each kind of entity among the matches of `within`.
pub(super) fn entity_selects(index: &str, within: &str) -> Vec<String> {
    EntityKind::ALL
        .into_iter()
        .map(|kind| {
            let (text, keys, _) = entity_columns(kind);
            format!(
                "SELECT GROUPBY() AS k, COUNT(*) AS n, {text} FROM {index} WHERE {within} \
                 GROUP BY {keys} ORDER BY n DESC LIMIT 0, {MAX_FACET_VALUES} OPTION \
                 max_matches={MAX_FACET_VALUES}, ranker=none"
            )
        })
        .collect()
}

fn too_many() -> Error {
    Error::BadRequest(format!(
        "more than {MAX_FACET_VALUES} distinct values to count; facets are only given when \
         they can be counted exactly: narrow the query"
    ))
}

fn cell(row: &[Option<String>], i: usize) -> &str {
    row.get(i).and_then(|v| v.as_deref()).unwrap_or("")
}

/// The counts of one entity kind's `GROUP BY`: each group's key named by the value of the
/// representing article that hashes to it.
fn entity_counts(rows: &Rows, text: &str) -> Result<HashMap<String, u64>> {
    if rows.rows.len() as u64 >= MAX_FACET_VALUES {
        return Err(too_many());
    }
    let (ck, cn, ct) = (rows.column("k")?, rows.column("n")?, rows.column(text)?);
    let mut out = HashMap::new();
    for r in &rows.rows {
        let (Ok(key), Ok(n)) = (cell(r, ck).parse::<i64>(), cell(r, cn).parse::<u64>()) else {
            continue;
        };
        if let Some(name) = split_list(cell(r, ct))
            .into_iter()
            .find(|v| entity_key(v) == key)
        {
            *out.entry(name).or_default() += n;
        }
    }
    Ok(out)
}

/// The counts of [`facet_selects`]' answers.
pub(super) fn facet_counts(answers: &[Answer]) -> Result<FacetCounts> {
    let mut c = FacetCounts::default();
    let (Some(sources), Some(years)) = (answers.first(), answers.get(1)) else {
        return Err(Error::Internal("facets: answers missing".into()));
    };
    for (a, year) in [(sources, false), (years, true)] {
        if a.rows.rows.len() as u64 >= MAX_FACET_VALUES {
            return Err(too_many());
        }
        for r in &a.rows.rows {
            let n = cell(r, 1).parse::<u64>().unwrap_or(0);
            if year {
                *c.year
                    .entry(cell(r, 0).parse::<u32>().unwrap_or(0))
                    .or_default() += n;
            } else {
                *c.source.entry(cell(r, 0).to_string()).or_default() += n;
            }
        }
    }
    c.entities = entity_answers(&answers[2..])?;
    Ok(c)
}

/// The counts of [`entity_selects`]' answers.
fn entity_answers(answers: &[Answer]) -> Result<[HashMap<String, u64>; 3]> {
    let mut out: [HashMap<String, u64>; 3] = Default::default();
    for ((kind, a), counts) in EntityKind::ALL.into_iter().zip(answers).zip(&mut out) {
        *counts = entity_counts(&a.rows, entity_columns(kind).0)?;
    }
    Ok(out)
}

impl Cluster {
    /// The people, places and organisations most named by the matches, as
    /// `Engine::entities` lists them.
    pub fn entities(&self, req: &EntitiesRequest) -> Result<EntityList> {
        req.validate()?;
        let parsed = query::read(&req.query, req.syntax)?;
        let cond = self.compile(&parsed.node, req.syntax)?;
        let (total, counts) = if cond.exact() {
            match super::search::where_clause(&cond.superset(), &req.filters)? {
                None => (0, Default::default()),
                Some(within) => {
                    let index = self.index();
                    let mut selects = vec![format!(
                        "SELECT id FROM {index} WHERE {within} LIMIT 1 OPTION ranker=none"
                    )];
                    selects.extend(entity_selects(index, &within));
                    let answers = self.client.select(&selects)?;
                    (answers[0].total_found(), entity_answers(&answers[1..])?)
                }
            }
        } else {
            let matches = self.checked(&cond, &req.filters, Sort::Date, false, true)?;
            (
                matches.len() as u64,
                FacetCounts::of_candidates(&matches).entities,
            )
        };
        let [person, place, org] = &counts;
        Ok(EntityList {
            query: req.query.clone(),
            interpreted_as: parsed.interpreted_as(),
            warnings: parsed.warnings.clone(),
            total,
            person: ranked(person, req.limit),
            place: ranked(place, req.limit),
            org: ranked(org, req.limit),
        })
    }
}
