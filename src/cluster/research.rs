//! The research tools on a cluster: trend, keyword in context, export, and one article by
//! id. Each answers as the local tool does; counts come from the nodes (`GROUP BY pub_day`)
//! or, for a query zhnews must check itself, from the checked matches. Related stories are
//! refused: they rank by the local index's scores of weighted keys.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use chrono::{Duration, NaiveDate};

use super::layout::{self, doc_id, UNDATED};
use super::search::{article_of, entities_of, where_clause, ARTICLE_COLUMNS, ENTITY_COLUMNS};
use super::Cluster;
use crate::analyze::entities::Entities;
use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::schema::id_hash;
use crate::search::export::{ExportRequest, ExportWriter};
use crate::search::kwic::{terms_by_field, Kwic, KwicRequest, Lines};
use crate::search::query::{self, Node};
use crate::search::related::{Related, RelatedRequest};
use crate::search::trend::{assemble, Trend, TrendRequest, MAX_BUCKETS, MAX_SERIES};
use crate::search::{FacetCount, Filters, Sort, Stats, Syntax, TOP_SOURCES};

/// Articles read back per round trip when their text is needed.
const CHUNK: usize = 200;

fn day_of(n: i64) -> Option<NaiveDate> {
    NaiveDate::default().checked_add_signed(Duration::days(n))
}

impl Cluster {
    /// Matching articles per Beijing day.
    fn day_counts(
        &self,
        node: &Node,
        syntax: Syntax,
        filters: &Filters,
    ) -> Result<BTreeMap<NaiveDate, u64>> {
        let cond = self.compile(node, syntax)?;
        let mut out = BTreeMap::new();
        if !cond.exact() {
            for c in self.checked(&cond, filters, Sort::Date, false, false)? {
                if c.found.published != UNDATED {
                    if let Some(d) = day_of(c.day) {
                        *out.entry(d).or_default() += 1;
                    }
                }
            }
            return Ok(out);
        }
        let Some(within) = where_clause(&cond.superset(), filters)? else {
            return Ok(out);
        };
        let max = MAX_BUCKETS;
        let a = self.client.select_one(format!(
            "SELECT {d}, COUNT(*) AS n FROM {} WHERE {within} AND {p} > {UNDATED} GROUP BY {d} \
             LIMIT 0, {max} OPTION max_matches={max}, ranker=none",
            self.index(),
            d = layout::DAY,
            p = layout::PUBLISHED,
        ))?;
        if a.rows.rows.len() >= max {
            return Err(Error::BadRequest(format!(
                "more than {max} days to count; narrow the dates"
            )));
        }
        for r in &a.rows.rows {
            let cell = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
            let (Ok(day), Ok(n)) = (cell(0).parse::<i64>(), cell(1).parse::<u64>()) else {
                continue;
            };
            if let Some(d) = day_of(day) {
                *out.entry(d).or_default() += n;
            }
        }
        Ok(out)
    }

    pub fn trend(&self, req: &TrendRequest) -> Result<Trend> {
        if req.queries.is_empty() || req.queries.len() > MAX_SERIES {
            return Err(Error::BadRequest(format!("give 1 to {MAX_SERIES} queries")));
        }
        req.filters.validate()?;
        let mut days = Vec::new();
        for q in &req.queries {
            let parsed = query::read(q, req.syntax)?;
            days.push((
                self.day_counts(&parsed.node, req.syntax, &req.filters)?,
                parsed.interpreted_as(),
            ));
        }
        let totals = if req.normalize {
            let all = query::read("*", Syntax::Lenient)?;
            Some(self.day_counts(&all.node, Syntax::Lenient, &req.filters)?)
        } else {
            None
        };
        assemble(req, days, totals)
    }

    /// Stored articles of `docs`, in that order, a chunk at a time.
    fn articles_in_order(
        &self,
        docs: &[u64],
        each: &mut dyn FnMut(&Article) -> Result<bool>,
    ) -> Result<()> {
        for chunk in docs.chunks(CHUNK) {
            let mut texts = HashMap::new();
            self.fill_texts(&mut texts, None, chunk)?;
            for d in chunk {
                let a = texts.get(d).ok_or_else(|| Error::Cluster {
                    target: self.target().to_string(),
                    reason: "an article vanished while it was read".into(),
                })?;
                if !each(a)? {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    pub fn kwic(&self, req: &KwicRequest) -> Result<Kwic> {
        req.validate()?;
        let parsed = query::read(&req.query, req.syntax)?;
        let (mut title_terms, mut body_terms) = (Vec::new(), Vec::new());
        terms_by_field(&parsed.node, &mut title_terms, &mut body_terms);
        let matches =
            self.all_matches(&parsed.node, req.syntax, &req.filters, Sort::Date, false)?;
        let docs: Vec<u64> = matches.iter().map(|c| c.found.doc).collect();
        let mut lines = Lines::new(req.width, req.limit);
        let mut truncated = false;
        let mut n = 0;
        self.articles_in_order(&docs, &mut |a| {
            if let Some(d) = req.deadline.as_ref().filter(|d| d.passed()) {
                return Err(Error::Timeout(d.budget().as_millis() as u64));
            }
            n += 1;
            let cut = lines.add_article(a, &title_terms, &body_terms);
            if cut || (lines.len() == req.limit && n < docs.len()) {
                truncated = true;
                return Ok(false);
            }
            Ok(true)
        })?;
        Ok(Kwic {
            query: req.query.clone(),
            interpreted_as: parsed.interpreted_as(),
            articles: matches.len() as u64,
            truncated,
            lines: lines.into_lines(),
        })
    }

    /// Writes every match to `out`; returns how many.
    pub fn export(&self, req: &ExportRequest, out: &mut dyn Write) -> Result<u64> {
        let parsed = query::read(&req.query, req.syntax)?;
        let sort = if parsed.node.has_text() {
            req.sort
        } else {
            Sort::Date
        };
        let mut writer = ExportWriter::start(req, out)?;
        let matches = self.all_matches(
            &parsed.node,
            req.syntax,
            &req.filters,
            sort,
            sort == Sort::Relevance,
        )?;
        let docs: Vec<u64> = matches.iter().map(|c| c.found.doc).collect();
        self.articles_in_order(&docs, &mut |a| {
            if let Some(d) = req.deadline.as_ref().filter(|d| d.passed()) {
                return Err(Error::Timeout(d.budget().as_millis() as u64));
            }
            writer.write(a)?;
            Ok(true)
        })?;
        writer.finish()
    }

    /// The stored article with this id, with the people, places and organisations found
    /// in it.
    pub fn article_with_entities(&self, id: &str) -> Result<(Article, Entities)> {
        let a = self.client.select_one(format!(
            "SELECT {ARTICLE_COLUMNS}, {ENTITY_COLUMNS} FROM {} WHERE id = {} LIMIT 0, 10",
            self.index(),
            doc_id(id_hash(id)),
        ))?;
        for r in &a.rows.rows {
            let article = article_of(&a.rows, r)?;
            if article.id == id {
                return Ok((article, entities_of(&a.rows, r)?));
            }
        }
        Err(Error::NotFound(id.to_string()))
    }

    /// Related stories need the index's own scores for weighted keys and every candidate's
    /// text: a local index only, for now.
    pub fn related(&self, req: &RelatedRequest) -> Result<Related> {
        Err(Error::BadRequest(format!(
            "related stories (for {}) are computed on a local index only; a cluster \
             (--cluster) does not list them yet",
            req.id
        )))
    }

    /// What `zhnews stats` and `/api/stats` report, as far as a cluster can say.
    pub fn stats(&self) -> Result<Stats> {
        let index = self.index();
        let p = layout::PUBLISHED;
        let s = layout::SOURCE;
        let answers = self.client.select(&[
            format!(
                "SELECT id FROM {index} WHERE MATCH('@{} {}') LIMIT 1 OPTION ranker=none",
                layout::TAGS,
                layout::ALL
            ),
            format!(
                "SELECT {s}, COUNT(*) AS n FROM {index} GROUP BY {s} ORDER BY n DESC LIMIT 0, \
                 100000 OPTION max_matches=100000"
            ),
            format!(
                "SELECT MIN({p}) AS lo, MAX({p}) AS hi FROM {index} WHERE {p} > {UNDATED} LIMIT 1"
            ),
        ])?;
        let sources: Vec<FacetCount> = answers[1]
            .rows
            .rows
            .iter()
            .filter_map(|r| {
                let v = r.first().cloned().flatten()?;
                let n = r.get(1).cloned().flatten()?.parse().ok()?;
                (!v.is_empty()).then_some(FacetCount { value: v, count: n })
            })
            .collect();
        let range = answers[2].rows.rows.first();
        let at = |i: usize| {
            range
                .and_then(|r| r.get(i).cloned().flatten())
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|v| *v > UNDATED)
                .and_then(crate::search::format_time)
        };
        let mut top_sources = sources.clone();
        top_sources.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        top_sources.truncate(TOP_SOURCES);
        Ok(Stats {
            documents: answers[0].total_found(),
            sources: sources.len() as u64,
            top_sources,
            earliest: at(0),
            latest: at(1),
            index_bytes: 0,
            segments: 0,
            tokens: Default::default(),
            last_commit: None,
            path: self.target().to_string(),
        })
    }
}
