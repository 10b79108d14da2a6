//! The research tools on a cluster: trend, keyword in context, export and related stories,
//! and one article by id. Each answers as the local tool does; counts come from the nodes
//! (`GROUP BY pub_day`) or, for a query zhnews must check itself, from the checked matches.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::LazyLock;

use chrono::{Duration, NaiveDate};
use jieba_rs::{KeywordExtract, TfIdf};

use super::compile::Expr;
use super::layout::{self, doc_id, ID_HASH, UNDATED};
use super::search::{article_of, where_clause, ARTICLE_COLUMNS, RANKER};
use super::Cluster;
use crate::analyze::normalize::normalize;
use crate::article::Article;
use crate::error::{Error, Result};
use crate::index::schema::id_hash;
use crate::search::export::{ExportRequest, ExportWriter};
use crate::search::hits::{copies_of, hit_of};
use crate::search::kwic::{terms_by_field, Kwic, KwicRequest, Lines};
use crate::search::query::{self, Node};
use crate::search::related::{Related, RelatedHit};
use crate::search::trend::{assemble, Trend, TrendRequest, MAX_BUCKETS, MAX_SERIES};
use crate::search::{FacetCount, Filters, Sort, Stats, Syntax, MAX_API_LIMIT, TOP_SOURCES};

/// Articles read back per round trip when their text is needed.
const CHUNK: usize = 200;
/// Keywords that describe an article for related stories, as locally.
const KEYWORDS: usize = 12;

static TFIDF: LazyLock<TfIdf> = LazyLock::new(TfIdf::default);

fn day_of(n: i64) -> Option<NaiveDate> {
    NaiveDate::default().checked_add_signed(Duration::days(n))
}

impl Cluster {
    /// Matching articles per Beijing day.
    fn day_counts(&self, node: &Node, filters: &Filters) -> Result<BTreeMap<NaiveDate, u64>> {
        let cond = self.compile(node)?;
        let mut out = BTreeMap::new();
        if !cond.exact() {
            for c in self.checked(&cond, filters, Sort::Date, false)? {
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
                self.day_counts(&parsed.node, &req.filters)?,
                parsed.interpreted_as(),
            ));
        }
        let totals = if req.normalize {
            let all = query::read("*", Syntax::Lenient)?;
            Some(self.day_counts(&all.node, &req.filters)?)
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
        let matches = self.all_matches(&parsed.node, &req.filters, Sort::Date, false)?;
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
        let matches =
            self.all_matches(&parsed.node, &req.filters, sort, sort == Sort::Relevance)?;
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

    /// The stored article with this id, with its reprint group.
    fn lookup(&self, id: &str) -> Result<(Article, u64)> {
        let a = self.client.select_one(format!(
            "SELECT {ARTICLE_COLUMNS}, {g} FROM {} WHERE id = {} LIMIT 0, 10",
            self.index(),
            doc_id(id_hash(id)),
            g = layout::GROUP
        ))?;
        for r in &a.rows.rows {
            let article = article_of(&a.rows, r)?;
            if article.id == id {
                let g = a.rows.column(layout::GROUP)?;
                let group = r
                    .get(g)
                    .cloned()
                    .flatten()
                    .and_then(|v| v.parse::<i64>().ok())
                    .unwrap_or(0) as u64;
                return Ok((article, group));
            }
        }
        Err(Error::NotFound(id.to_string()))
    }

    pub fn article(&self, id: &str) -> Result<Article> {
        self.lookup(id).map(|(a, _)| a)
    }

    /// Articles most like one article: its TF-IDF keywords in titles and bodies, its own
    /// reprints left out but counted, optionally within `days` of it.
    pub fn related(&self, id: &str, days: Option<u32>, limit: usize) -> Result<Related> {
        if limit == 0 || limit > MAX_API_LIMIT {
            return Err(Error::BadRequest(format!(
                "limit must be 1..={MAX_API_LIMIT}"
            )));
        }
        let (article, group) = self.lookup(id)?;
        let text = normalize(&format!("{}\n{}", article.title, article.body));
        let words: Vec<String> = TFIDF
            .extract_keywords(self.analyzer.jieba(), &text, KEYWORDS, Vec::new())
            .into_iter()
            .map(|k| k.keyword)
            .collect();
        let index = self.index();
        let g = layout::GROUP;
        let reprints_q = format!(
            "SELECT id FROM {index} WHERE {g} = {} LIMIT 1 OPTION ranker=none",
            group as i64
        );
        let mut hits = Vec::new();
        let reprints;
        if words.is_empty() {
            let a = self.client.select_one(reprints_q)?;
            reprints = a.total_found().saturating_sub(1) as usize;
        } else {
            let mut any = Vec::new();
            for title in [true, false] {
                let field = if title {
                    layout::TITLE_WORDS
                } else {
                    layout::BODY_WORDS
                };
                let tokens: Vec<String> =
                    words.iter().map(|w| layout::word_token(title, w)).collect();
                any.push(Expr::Text(format!("(@{field} {})", tokens.join(" | "))));
            }
            let filters = match (days, article.published) {
                (Some(d), Some(p)) => {
                    let day = p.date_naive();
                    let span = Duration::days(i64::from(d));
                    Filters {
                        from: day.checked_sub_signed(span),
                        to: day.checked_add_signed(span),
                        source: None,
                    }
                }
                _ => Filters::default(),
            };
            let Some(within) = where_clause(&Expr::or(any), &filters)? else {
                return Err(Error::Internal("related: empty query".into()));
            };
            let within = format!("{within} AND {g} != {}", group as i64);
            let answers = self.client.select(&[
                format!(
                    "SELECT {ARTICLE_COLUMNS}, {g}, {ID_HASH}, WEIGHT() AS w, COUNT(*) AS n FROM \
                     {index} WHERE {within} GROUP BY {g} WITHIN GROUP ORDER BY WEIGHT() DESC, \
                     {ID_HASH} ASC ORDER BY WEIGHT() DESC, {ID_HASH} ASC LIMIT 0, {limit} OPTION \
                     max_matches={}, {}",
                    limit.max(1000),
                    RANKER
                ),
                reprints_q,
            ])?;
            reprints = answers[1].total_found().saturating_sub(1) as usize;
            let rows = &answers[0].rows;
            let (cw, cn, cg) = (rows.column("w")?, rows.column("n")?, rows.column(g)?);
            for r in &rows.rows {
                let other = article_of(rows, r)?;
                let num = |i: usize| r.get(i).cloned().flatten().unwrap_or_default();
                let score: f32 = num(cw).parse().unwrap_or(0.0);
                let in_group: u64 = num(cn).parse().unwrap_or(1);
                let copies = if in_group > 1 {
                    let gid = num(cg);
                    let a = self.client.select_one(format!(
                        "SELECT {ARTICLE_COLUMNS} FROM {index} WHERE {within} AND {g} = {gid} \
                         LIMIT 0, {in_group} OPTION max_matches={in_group}, ranker=none"
                    ))?;
                    let mut others = Vec::new();
                    for r in &a.rows.rows {
                        let c = article_of(&a.rows, r)?;
                        if c.id != other.id {
                            others.push(c);
                        }
                    }
                    copies_of(others)
                } else {
                    None
                };
                let other_text = normalize(&format!("{}\n{}", other.title, other.body));
                let reason = words
                    .iter()
                    .filter(|w| other_text.contains(w.as_str()))
                    .cloned()
                    .collect();
                hits.push(RelatedHit {
                    hit: hit_of(other, score, &words, copies),
                    reason,
                });
            }
        }
        Ok(Related {
            id: article.id,
            keywords: words,
            reprints,
            hits,
        })
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
