//! Searching an index: parse the query, compile it against both views, collect with a
//! cursor, collapse reprints, build snippets. Also single articles and index statistics.

pub mod chart;
pub mod collect;
pub mod compile;
mod cursor;
pub mod deadline;
mod enough;
pub mod export;
mod ids;
pub mod kwic;
mod maxscore;
mod prefix;
pub mod query;
pub mod related;
mod rerank;
pub mod snippet;
mod stats;
pub mod trend;

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

pub use collect::Sort;
use collect::{Entry, MatchCollector};
use compile::Compiler;

use crate::analyze::{normalize::normalize, WordsTokenizer};
use crate::article::{beijing, Article};
use crate::error::{Error, Result};
use crate::index::schema::{self, id_hash, GROUP, ID_HASH};
use crate::index::{open_existing, OpenIndex};

pub const MAX_LIMIT: usize = 100;
pub const MAX_QUERY_BYTES: usize = 1024;

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
    pub cursor: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub source: Option<String>,
    pub sort: Sort,
    /// Show one hit per reprint group (its earliest copy).
    pub collapse: bool,
    pub facets: bool,
    /// Take the query as plain text (no operators).
    pub plain: bool,
    /// When every-term matching fills less than the first page, add hits that match only
    /// some of the words (marked `partial`), ranked by relevance.
    pub partial: bool,
    /// Hits carry only id and score, read from fast columns without touching the stored
    /// text (batch runs that want a ranking, as the peer engines report it).
    pub ids_only: bool,
    /// Stop scanning after this long and fail with [`Error::Timeout`].
    pub budget: Option<std::time::Duration>,
    /// Count every match for `total` (the default). Off, a relevance-ranked first page
    /// of plain words scores only the best candidates (see [`rerank`]): several times
    /// faster, and `total` then counts only the matches among them.
    pub exact_total: bool,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            limit: 10,
            offset: 0,
            cursor: None,
            from: None,
            to: None,
            source: None,
            sort: Sort::Relevance,
            collapse: true,
            facets: false,
            plain: false,
            partial: false,
            ids_only: false,
            budget: None,
            exact_total: true,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Copies {
    /// Other copies of the same story.
    pub count: usize,
    pub sources: Vec<String>,
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: String,
    pub url: Option<String>,
    pub title: String,
    pub published: Option<String>,
    pub source: Option<String>,
    pub author: Option<String>,
    pub score: f32,
    /// HTML: text escaped, matches in `<em>`.
    pub snippet: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<Copies>,
    /// Matches only some of the query's words (see [`SearchRequest::partial`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    #[serde(skip)]
    pub fragments: snippet::Fragments,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Facets {
    pub source: Vec<FacetCount>,
    pub year: Vec<FacetCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: u64,
    /// False when `total` counts only the matches among the candidates scored
    /// ([`SearchRequest::exact_total`] off): a lower bound.
    pub total_exact: bool,
    pub hits: Vec<Hit>,
    pub next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub sources: u64,
    pub earliest: Option<String>,
    pub latest: Option<String>,
    pub index_bytes: u64,
    pub segments: usize,
    /// Tokens indexed per text field: the words view (`title`, `body`) and the bigram view
    /// (`title_exact`, `body_exact`). Deleted documents still count until a merge.
    pub tokens: std::collections::BTreeMap<String, u64>,
    pub last_commit: Option<String>,
    pub path: String,
}

/// A read-only handle on an index; cheap to share between threads.
#[derive(Clone)]
pub struct Engine {
    open: OpenIndex,
    reader: IndexReader,
    words: WordsTokenizer,
    ids: ids::IdTables,
}

fn with_deadline(query: Box<dyn Query>, deadline: &Option<deadline::Deadline>) -> Box<dyn Query> {
    match deadline {
        Some(d) => Box::new(deadline::DeadlineQuery::new(query, d.clone())),
        None => query,
    }
}

pub fn format_time(secs: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(secs, 0).map(|t| t.with_timezone(&beijing()).to_rfc3339())
}

impl Engine {
    /// Opens for reading. `follow_commits` reloads on each commit (for the server).
    pub fn open(dir: &Path, follow_commits: bool) -> Result<Engine> {
        let open = open_existing(dir)?;
        let policy = if follow_commits {
            ReloadPolicy::OnCommitWithDelay
        } else {
            ReloadPolicy::Manual
        };
        let reader = open
            .index
            .reader_builder()
            .reload_policy(policy)
            .try_into()?;
        let words = open.analyzer.words();
        Ok(Engine {
            open,
            reader,
            words,
            ids: ids::IdTables::default(),
        })
    }

    pub fn index(&self) -> &OpenIndex {
        &self.open
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    pub fn words(&self) -> &WordsTokenizer {
        &self.words
    }

    /// Parses and compiles a query string, with the request's filters.
    pub fn compile(
        &self,
        query: &str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        source: Option<&str>,
    ) -> Result<(Box<dyn Query>, query::Node)> {
        self.compile_with(query, false, from, to, source)
    }

    fn parse(&self, query: &str, plain: bool) -> Result<query::Node> {
        if query.len() > MAX_QUERY_BYTES {
            return Err(Error::BadQuery(format!(
                "query is {} bytes; at most {MAX_QUERY_BYTES}",
                query.len()
            )));
        }
        if plain {
            query::plain(query)
        } else {
            query::parse(query)
        }
    }

    fn compile_with(
        &self,
        query: &str,
        plain: bool,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        source: Option<&str>,
    ) -> Result<(Box<dyn Query>, query::Node)> {
        let node = self.parse(query, plain)?;
        let searcher = self.reader.searcher();
        let q = self.filtered(self.compiler(&searcher).compile(&node), from, to, source)?;
        Ok((q, node))
    }

    fn compiler<'a>(&'a self, searcher: &'a Searcher) -> Compiler<'a> {
        Compiler {
            fields: &self.open.fields,
            words: &self.words,
            stats: stats::QueryStats::new(searcher),
        }
    }

    /// `query` within the date and source filters. Without filters it stays as it is, so
    /// a flat union of terms keeps its pruning under `TopDocs`.
    fn filtered(
        &self,
        query: Box<dyn Query>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        source: Option<&str>,
    ) -> Result<Box<dyn Query>> {
        let filters = self.filters(from, to, source)?;
        if filters.is_empty() {
            return Ok(query);
        }
        let mut clauses = vec![(Occur::Must, query)];
        clauses.extend(filters);
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The request's date and source filters as required clauses.
    fn filters(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        source: Option<&str>,
    ) -> Result<Vec<(Occur, Box<dyn Query>)>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if from.is_some() || to.is_some() {
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(Error::BadRequest(format!("from ({f}) is after to ({t})")));
                }
            }
            clauses.push((
                Occur::Must,
                compile::date_range_query(self.open.fields.published, from, to),
            ));
        }
        if let Some(s) = source.filter(|s| !s.trim().is_empty()) {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.open.fields.source, &normalize(s.trim())),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        Ok(clauses)
    }

    /// Hits matching some of `words`, best first, skipping `shown` groups.
    fn partial_matches(
        &self,
        searcher: &Searcher,
        req: &SearchRequest,
        words: &[String],
        shown: &[Entry],
        wanted: usize,
        deadline: &Option<deadline::Deadline>,
    ) -> Result<Vec<Entry>> {
        let relaxed = self.compiler(searcher).relaxed(&words.join(" "));
        // Alone, the union of term queries runs block-max WAND under TopDocs: a headline's
        // 80 terms cost about what the every-term query does.
        let query = self.filtered(relaxed, req.from, req.to, req.source.as_deref())?;
        let query = with_deadline(query, deadline);
        // Copies of one story take several places; ask for enough to fill the page.
        let limit = shown.len() + 2 * wanted;
        let top = searcher.search(&*query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut seen: std::collections::HashSet<u64> = shown.iter().map(|e| e.group).collect();
        let mut out = Vec::with_capacity(wanted);
        for (score, address) in top {
            let ff = searcher.segment_reader(address.segment_ord).fast_fields();
            let id = ff.u64(ID_HASH)?.first(address.doc_id).unwrap_or(0);
            let group = if req.collapse {
                ff.u64(GROUP)?.first(address.doc_id).unwrap_or(id)
            } else {
                id
            };
            if seen.insert(group) {
                out.push(Entry {
                    sort: collect::SortKey {
                        key: score as f64,
                        id,
                    },
                    score,
                    group,
                    address,
                });
            }
            if out.len() == wanted {
                break;
            }
        }
        // Equal scores in id order, as everywhere else.
        out.sort_by(|a, b| a.sort.order(&b.sort));
        Ok(out)
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        if req.limit == 0 || req.limit > MAX_LIMIT {
            return Err(Error::BadRequest(format!(
                "limit must be 1..={MAX_LIMIT}, got {}",
                req.limit
            )));
        }
        let deadline = req.budget.map(deadline::Deadline::after);
        let node = self.parse(&req.query, req.plain)?;
        let first_page_only = !req.exact_total
            && !req.facets
            && req.sort == Sort::Relevance
            && req.offset == 0
            && req.cursor.as_deref().is_none_or(str::is_empty);
        if first_page_only {
            if let Some(words) = node.plain_words() {
                return self.search_top(req, &node, &words, &deadline);
            }
        }
        let searcher = self.reader.searcher();
        let compiled = self.compiler(&searcher).compile(&node);
        let query = self.filtered(compiled, req.from, req.to, req.source.as_deref())?;
        let query = with_deadline(query, &deadline);
        let after = match &req.cursor {
            Some(c) if !c.is_empty() => Some(cursor::decode(c, req.sort)?),
            _ => None,
        };
        let collector = MatchCollector {
            sort: req.sort,
            after,
            limit: req.limit + req.offset,
            collapse: req.collapse,
            facets: req.facets,
        };
        let matches = searcher.search(&*query, &collector)?;
        deadline
            .as_ref()
            .map_or(Ok(()), deadline::Deadline::outcome)?;
        let mut terms = Vec::new();
        node.highlight_terms(&mut terms);
        let page: Vec<&Entry> = matches.top.iter().skip(req.offset).collect();
        let next_cursor = if page.len() == req.limit {
            page.last().map(|e| cursor::encode(&e.sort, req.sort))
        } else {
            None
        };
        let mut hits = Vec::with_capacity(page.len());
        for e in &page {
            hits.push(self.hit_or_id(&searcher, e, &terms, req, false)?);
        }
        // Partial matches only top up a short first page ranked by relevance; the
        // every-term matches stay first and `total` counts only them.
        let words = node.plain_words().filter(|_| {
            req.partial
                && req.sort == Sort::Relevance
                && after.is_none()
                && req.offset == 0
                && hits.len() < req.limit
        });
        if let Some(words) = words {
            let wanted = req.limit - hits.len();
            let partial =
                self.partial_matches(&searcher, req, &words, &matches.top, wanted, &deadline)?;
            deadline
                .as_ref()
                .map_or(Ok(()), deadline::Deadline::outcome)?;
            for e in &partial {
                hits.push(self.hit_or_id(&searcher, e, &terms, req, true)?);
            }
        }
        let facets = req.facets.then(|| {
            let mut source: Vec<FacetCount> = matches
                .by_source
                .iter()
                .map(|(k, v)| FacetCount {
                    value: k.clone(),
                    count: *v,
                })
                .collect();
            source.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            let mut year: Vec<FacetCount> = matches
                .by_year
                .iter()
                .map(|(k, v)| FacetCount {
                    value: k.to_string(),
                    count: *v,
                })
                .collect();
            year.sort_by(|a, b| a.value.cmp(&b.value));
            Facets { source, year }
        });
        Ok(SearchResponse {
            query: req.query.clone(),
            total: matches.total,
            total_exact: true,
            hits,
            next_cursor,
            facets,
        })
    }

    /// The first page of a plain-words query (`node`, made of `words`) without counting
    /// every match.
    fn search_top(
        &self,
        req: &SearchRequest,
        node: &query::Node,
        words: &[String],
        deadline: &Option<deadline::Deadline>,
    ) -> Result<SearchResponse> {
        let searcher = self.reader.searcher();
        let compiler = self.compiler(&searcher);
        let text = words.join(" ");
        let candidates = self.filtered(
            compiler.candidates(&text),
            req.from,
            req.to,
            req.source.as_deref(),
        )?;
        let candidates = with_deadline(candidates, deadline);
        let plans: Vec<_> = words
            .iter()
            .map(|w| compiler.term_plan(query::TextField::Any, w))
            .collect();
        let ranked = rerank::top(
            &searcher,
            &compiler.stats,
            &*candidates,
            &plans,
            req.limit,
            req.collapse,
        )?;
        deadline
            .as_ref()
            .map_or(Ok(()), deadline::Deadline::outcome)?;
        let mut terms = Vec::new();
        node.highlight_terms(&mut terms);
        let mut hits = Vec::with_capacity(req.limit);
        for e in &ranked.matches {
            hits.push(self.hit_or_id(&searcher, e, &terms, req, false)?);
        }
        if req.partial {
            for e in &ranked.partial {
                hits.push(self.hit_or_id(&searcher, e, &terms, req, true)?);
            }
        }
        Ok(SearchResponse {
            query: req.query.clone(),
            total: ranked.total,
            total_exact: false,
            hits,
            next_cursor: None,
            facets: None,
        })
    }

    /// The hit for `e`: whole, or id and score only ([`SearchRequest::ids_only`]).
    fn hit_or_id(
        &self,
        searcher: &Searcher,
        e: &Entry,
        terms: &[String],
        req: &SearchRequest,
        partial: bool,
    ) -> Result<Hit> {
        if !req.ids_only {
            let mut hit = self.hit(searcher, e, terms, req.collapse)?;
            hit.partial = partial;
            return Ok(hit);
        }
        let id = self.ids.id(searcher, e.address)?;
        Ok(Hit {
            id,
            url: None,
            title: String::new(),
            published: None,
            source: None,
            author: None,
            score: e.score,
            snippet: String::new(),
            copies: None,
            partial,
            fragments: Vec::new(),
        })
    }

    pub(crate) fn hit(
        &self,
        searcher: &Searcher,
        e: &Entry,
        terms: &[String],
        collapse: bool,
    ) -> Result<Hit> {
        let mut address = e.address;
        let mut copies = None;
        if collapse {
            let members = self.group_members(searcher, e.group)?;
            if members.len() > 1 {
                // The earliest copy leads; undated copies never lead a dated one.
                let lead = members
                    .iter()
                    .min_by_key(|(_, a)| (a.published.is_none(), a.published, a.id.clone()))
                    .map(|(addr, _)| *addr)
                    .unwrap_or(address);
                address = lead;
                let others: Vec<&Article> = members
                    .iter()
                    .filter(|(a, _)| *a != lead)
                    .map(|(_, a)| a)
                    .collect();
                let mut sources: Vec<String> =
                    others.iter().filter_map(|a| a.source.clone()).collect();
                sources.sort();
                sources.dedup();
                copies = Some(Copies {
                    count: others.len(),
                    sources,
                    ids: others.iter().map(|a| a.id.clone()).collect(),
                });
            }
        }
        let article = self.article_at(searcher, address)?;
        let mut fragments = snippet::snippet(&article.body, terms);
        if fragments.iter().all(|(_, m)| !m) && !article.body.is_empty() {
            fragments = snippet::snippet(&article.body, &[]);
        }
        Ok(Hit {
            id: article.id,
            url: article.url,
            title: article.title,
            published: article.published.map(|p| p.to_rfc3339()),
            source: article.source,
            author: article.author,
            score: e.score,
            snippet: snippet::to_html(&fragments),
            copies,
            partial: false,
            fragments,
        })
    }

    /// Every live document of a reprint group.
    pub fn group_members(
        &self,
        searcher: &Searcher,
        group: u64,
    ) -> Result<Vec<(DocAddress, Article)>> {
        let q = TermQuery::new(
            Term::from_field_u64(self.open.fields.group, group),
            IndexRecordOption::Basic,
        );
        let docs = searcher.search(&q, &DocSetCollector)?;
        let mut out = Vec::with_capacity(docs.len());
        for addr in docs {
            out.push((addr, self.article_at(searcher, addr)?));
        }
        out.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        Ok(out)
    }

    pub fn article_at(&self, searcher: &Searcher, address: DocAddress) -> Result<Article> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let f = &self.open.fields;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_string))
        };
        let all = |field| -> Vec<String> {
            doc.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let authors = all(f.author);
        Ok(Article {
            id: text(f.id).unwrap_or_default(),
            url: text(f.url),
            title: text(f.title).unwrap_or_default(),
            published: doc
                .get_first(f.published)
                .and_then(|v| v.as_datetime())
                .and_then(|d| chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0))
                .map(|t| t.with_timezone(&beijing())),
            source: text(f.source),
            author: (!authors.is_empty()).then(|| authors.join(" ")),
            editor: text(f.editor),
            section: text(f.section),
            keywords: all(f.keywords),
            body: text(f.body).unwrap_or_default(),
        })
    }

    /// Where the article with this id lives, if it exists.
    pub fn address_of(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>> {
        let q = TermQuery::new(
            Term::from_field_u64(self.open.fields.id_hash, id_hash(id)),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&q, &DocSetCollector)?.into_iter().next())
    }

    pub fn article(&self, id: &str) -> Result<Article> {
        let searcher = self.reader.searcher();
        match self.address_of(&searcher, id)? {
            Some(addr) => self.article_at(&searcher, addr),
            None => Err(Error::NotFound(id.to_string())),
        }
    }

    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.reader.searcher();
        let mut sources = std::collections::HashSet::new();
        let (mut earliest, mut latest) = (i64::MAX, i64::MIN);
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            if let Some(col) = ff.str(crate::index::schema::SOURCE)? {
                let mut s = String::new();
                for ord in 0..col.num_terms() as u64 {
                    s.clear();
                    if col.ord_to_str(ord, &mut s).unwrap_or(false) {
                        sources.insert(s.clone());
                    }
                }
            }
            let dates = ff.date(crate::index::schema::PUBLISHED)?;
            for doc in seg.doc_ids_alive() {
                if let Some(d) = dates.first(doc) {
                    let s = d.into_timestamp_secs();
                    earliest = earliest.min(s);
                    latest = latest.max(s);
                }
            }
        }
        let f = &self.open.fields;
        let mut tokens = std::collections::BTreeMap::new();
        for (name, field) in [
            (schema::TITLE, f.title),
            (schema::BODY, f.body),
            (schema::TITLE_EXACT, f.title_exact),
            (schema::BODY_EXACT, f.body_exact),
        ] {
            let n = tantivy::query::Bm25StatisticsProvider::total_num_tokens(&searcher, field)?;
            tokens.insert(name.to_string(), n);
        }
        let mut bytes = 0;
        if let Ok(entries) = std::fs::read_dir(&self.open.dir) {
            for e in entries.flatten() {
                bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
            }
        }
        let last_commit = std::fs::metadata(self.open.dir.join("meta.json"))
            .and_then(|m| m.modified())
            .ok()
            .map(|t| {
                chrono::DateTime::<chrono::Utc>::from(t)
                    .with_timezone(&beijing())
                    .to_rfc3339()
            });
        Ok(Stats {
            documents: searcher.num_docs(),
            sources: sources.len() as u64,
            earliest: (earliest != i64::MAX)
                .then(|| format_time(earliest))
                .flatten(),
            latest: (latest != i64::MIN).then(|| format_time(latest)).flatten(),
            index_bytes: bytes,
            segments: searcher.segment_readers().len(),
            tokens,
            last_commit,
            path: self.open.dir.display().to_string(),
        })
    }
}
