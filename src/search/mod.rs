//! Searching an index: parse the query, compile it against both views, collect with a
//! cursor, collapse reprints, build snippets. Also single articles and index statistics.

pub mod batch;
pub mod ext;
// Hits and the second ranking phase are shared with `crate::cluster`.
pub mod hits;
pub mod language;
pub mod request;
pub mod rerank;
pub mod research;
pub mod snippet;

// The wings' modules under their short names, as the rest of the crate and users know them.
pub use ext::{collect, deadline};
use ext::{columns, cursor, enough, ids, prefix, stats};
pub use language::{compile, query, question};
pub use research::{chart, entities, export, kwic, related, trend};

use std::path::Path;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use collect::{Entry, MatchCollector};
use compile::Compiler;
pub use request::{
    ArticleRef, Copies, FacetCount, Facets, Filters, Hit, SearchRequest, SearchResponse, Sort,
    Syntax, MAX_API_LIMIT, MAX_LIMIT,
};

use crate::analyze::entities::Entities;
use crate::analyze::{normalize::normalize, WordsTokenizer};
use crate::article::{beijing, Article};
use crate::error::{Error, Result};
use crate::index::schema::{self, hash64, id_hash, GROUP, ID_HASH};
use crate::index::{open_existing, OpenIndex};

pub use query::MAX_QUERY_BYTES;

/// How many sources `stats` lists by count.
pub const TOP_SOURCES: usize = 20;

/// A query that reads more postings per document of the index than this is expensive.
pub const EXPENSIVE_POSTINGS_PER_DOC: u64 = 16;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    pub documents: u64,
    /// Distinct sources, and the most frequent ones with their counts.
    pub sources: u64,
    pub top_sources: Vec<FacetCount>,
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

/// An error if the deadline stopped a scan: incomplete results are never an answer.
fn finished(deadline: &Option<deadline::Deadline>) -> Result<()> {
    deadline
        .as_ref()
        .map_or(Ok(()), deadline::Deadline::outcome)
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

    /// Reads (strictly) and compiles a query string with filters.
    pub fn compile(&self, query: &str, filters: &Filters) -> Result<(Box<dyn Query>, query::Node)> {
        self.compile_as(query, Syntax::Strict, filters)
            .map(|(q, p)| (q, p.node))
    }

    /// Reads a query in the given syntax and compiles it with filters.
    pub fn compile_as(
        &self,
        query: &str,
        syntax: Syntax,
        filters: &Filters,
    ) -> Result<(Box<dyn Query>, query::Parsed)> {
        let parsed = query::read(query, syntax)?;
        let searcher = self.reader.searcher();
        let q = self.filtered(
            self.compiler(&searcher, syntax).compile(&parsed.node),
            filters,
        )?;
        Ok((q, parsed))
    }

    fn compiler<'a>(&'a self, searcher: &'a Searcher, syntax: Syntax) -> Compiler<'a> {
        Compiler {
            fields: &self.open.fields,
            words: &self.words,
            stats: stats::QueryStats::new(searcher),
            syntax,
        }
    }

    /// `query` within the filters. Without filters it stays as it is, so a flat union of
    /// terms keeps its pruning under `TopDocs`.
    fn filtered(&self, query: Box<dyn Query>, filters: &Filters) -> Result<Box<dyn Query>> {
        let clauses = self.filter_clauses(filters)?;
        if clauses.is_empty() {
            return Ok(query);
        }
        let mut all = vec![(Occur::Must, query)];
        all.extend(clauses);
        Ok(Box::new(BooleanQuery::new(all)))
    }

    /// The filters as required clauses.
    fn filter_clauses(&self, filters: &Filters) -> Result<Vec<(Occur, Box<dyn Query>)>> {
        filters.validate()?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if filters.from.is_some() || filters.to.is_some() {
            clauses.push((
                Occur::Must,
                compile::date_range_query(self.open.fields.published, filters.from, filters.to),
            ));
        }
        if let Some(s) = filters.source() {
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.open.fields.source, &normalize(s)),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        Ok(clauses)
    }

    /// What a cursor belongs to: the query as read, the filters, the order, collapsing,
    /// and for relevance order the index's segments (scores change when it changes).
    fn binding(
        &self,
        searcher: &Searcher,
        node: &query::Node,
        filters: &Filters,
        sort: Sort,
        collapse: bool,
    ) -> u64 {
        let mut key = format!(
            "{node}\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{sort:?}\u{0}{collapse}",
            filters.from,
            filters.to,
            filters.source()
        );
        if sort == Sort::Relevance {
            for r in searcher.segment_readers() {
                key.push_str(&format!(
                    "\u{0}{}:{}",
                    r.segment_id().uuid_string(),
                    r.num_deleted_docs()
                ));
            }
        }
        hash64(key.as_bytes())
    }

    /// Whether a query reads more postings than [`EXPENSIVE_POSTINGS_PER_DOC`] per
    /// document of the index: the server runs such queries one at a time.
    pub fn is_expensive(&self, query: &str, syntax: Syntax) -> bool {
        let Ok(parsed) = query::read(query, syntax) else {
            return false;
        };
        let searcher = self.reader.searcher();
        let cost = self.compiler(&searcher, syntax).cost(&parsed.node);
        cost > EXPENSIVE_POSTINGS_PER_DOC * searcher.num_docs().max(1)
    }

    /// The index files that do not match their checksums (empty when all do).
    pub fn check(&self) -> Result<Vec<std::path::PathBuf>> {
        let damaged = self
            .open
            .index
            .validate_checksum()
            .map_err(|e| Error::Corrupt {
                path: self.open.dir.clone(),
                reason: e.to_string(),
            })?;
        let mut files: Vec<std::path::PathBuf> =
            damaged.into_iter().map(|p| self.open.dir.join(p)).collect();
        files.sort();
        Ok(files)
    }

    /// The index's statistics, once its files are known to be readable: the folder may
    /// have been deleted or replaced under a running server, whose open files would
    /// still answer.
    pub fn check_readable(&self) -> Result<Stats> {
        let meta = self.open.dir.join("meta.json");
        std::fs::File::open(&meta).map_err(|e| Error::Index {
            path: self.open.dir.clone(),
            reason: format!("cannot be read ({e})"),
        })?;
        let searcher = self.reader.searcher();
        for segment in searcher.segment_readers() {
            let file = self
                .open
                .dir
                .join(format!("{}.store", segment.segment_id().uuid_string()));
            if !file.exists() {
                return Err(Error::Index {
                    path: self.open.dir.clone(),
                    reason: format!("{} is gone", file.display()),
                });
            }
        }
        self.stats()
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        req.validate()?;
        let parsed = query::read(&req.query, req.syntax)?;
        let node = &parsed.node;
        let searcher = self.reader.searcher();
        // Without text to rank by (`*`, fields and dates alone) articles come newest first.
        let sort = if node.has_text() {
            req.sort
        } else {
            Sort::Date
        };
        let binding = self.binding(&searcher, node, &req.filters, sort, req.collapse);
        let after = match req.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(cursor::decode(c, sort, binding)?),
            None => None,
        };
        let query = self.filtered(
            self.compiler(&searcher, req.syntax).compile(node),
            &req.filters,
        )?;
        let deadline = req.deadline.clone();
        let mut texts = Vec::new();
        node.positive_text(&mut texts);
        // Relevance pages with text: the best `WINDOW` by BM25 are reordered by the second
        // phase, and pages after one of them recompute it; a page after a hit beyond the
        // window goes on in BM25 order.
        let rerank = sort == Sort::Relevance && !texts.is_empty();
        let in_window = rerank && after.is_none_or(|a| a.reranked);
        let wanted = req.limit + req.offset;
        let collector = MatchCollector {
            sort,
            after: after.filter(|a| !a.reranked).map(|a| a.key),
            limit: if in_window {
                rerank::WINDOW + wanted
            } else {
                wanted
            },
            collapse: req.collapse,
            facets: req.facets,
        };
        let mut matches =
            searcher.search(&*with_deadline(query.box_clone(), &deadline), &collector)?;
        finished(&deadline)?;
        let grams = rerank::query_grams(&texts);
        let mut start = 0;
        if in_window {
            rerank::rerank(
                &searcher,
                &self.open.fields,
                &grams,
                &mut matches.top,
                rerank::WINDOW,
            )?;
            if let Some(a) = after {
                let window = rerank::WINDOW.min(matches.top.len());
                start = matches.top[..window]
                    .iter()
                    .position(|e| e.sort == a.key)
                    .map(|i| i + 1)
                    .ok_or_else(|| {
                        Error::BadRequest(
                            "cursor no longer matches the results; start again from the first page"
                                .into(),
                        )
                    })?;
            }
        }
        let mut terms = Vec::new();
        node.highlight_terms(&mut terms);
        let page: Vec<(usize, &Entry)> = matches
            .top
            .iter()
            .enumerate()
            .skip(start + req.offset)
            .take(req.limit)
            .collect();
        let next_cursor = if page.len() == req.limit {
            page.last().map(|(i, e)| {
                let at = cursor::Position {
                    key: e.sort,
                    reranked: in_window && *i < rerank::WINDOW,
                };
                cursor::encode(&at, sort, binding)
            })
        } else {
            None
        };
        let page: Vec<&Entry> = page.into_iter().map(|(_, e)| e).collect();
        let mut hits = Vec::with_capacity(page.len());
        for e in &page {
            hits.push(self.hit_for(&searcher, e, &terms, req, Some(&*query))?);
        }
        // Partial matches only top up a short first page ranked by relevance; the
        // every-word matches stay first and `total` counts only them.
        if req.partial
            && sort == Sort::Relevance
            && after.is_none()
            && req.offset == 0
            && hits.len() < req.limit
        {
            let partial = self.partial_matches(
                &searcher,
                req,
                node,
                &matches.top,
                req.limit - hits.len(),
                &deadline,
            )?;
            finished(&deadline)?;
            for e in &partial {
                let mut hit = self.hit_for(&searcher, e, &terms, req, None)?;
                hit.partial = true;
                hits.push(hit);
            }
        }
        let facets = req.facets.then(|| matches.facets());
        let mut warnings = parsed.warnings.clone();
        warnings.extend(question::warning(node, &self.words, req.syntax));
        if let Some(source) = req.filters.source().filter(|_| matches.total == 0) {
            let term = Term::from_field_text(self.open.fields.source, &normalize(source));
            if searcher.doc_freq(&term)? == 0 {
                let known: Vec<String> = self
                    .stats()?
                    .top_sources
                    .into_iter()
                    .map(|c| c.value)
                    .collect();
                warnings.push(format!(
                    "no article has the source {source:?}; the most frequent sources are: {}",
                    known.join(", ")
                ));
            }
        }
        Ok(SearchResponse {
            query: req.query.clone(),
            interpreted_as: parsed.interpreted_as(),
            warnings,
            total: matches.total,
            groups: req.collapse.then_some(matches.groups),
            hits,
            next_cursor,
            facets,
        })
    }

    /// Hits matching some of the query's text, best first, skipping the groups `shown`.
    /// The query's exclusions, fields and dates still hold, and so do the filters.
    fn partial_matches(
        &self,
        searcher: &Searcher,
        req: &SearchRequest,
        node: &query::Node,
        shown: &[Entry],
        wanted: usize,
        deadline: &Option<deadline::Deadline>,
    ) -> Result<Vec<Entry>> {
        let mut texts = Vec::new();
        node.positive_text(&mut texts);
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let compiler = self.compiler(searcher, req.syntax);
        let relaxed = compiler.relaxed(&texts.join(" "));
        let constraints = compiler.constraints(node);
        let relaxed: Box<dyn Query> = if constraints.is_empty() {
            relaxed
        } else {
            let mut clauses = vec![(Occur::Must, relaxed)];
            clauses.extend(constraints);
            Box::new(BooleanQuery::new(clauses))
        };
        let query = with_deadline(self.filtered(relaxed, &req.filters)?, deadline);
        // Copies of one story take several places, and the second phase reorders: ask for
        // enough to fill the page.
        let limit = shown.len() + 3 * wanted + 10;
        let top = searcher.search(&*query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut seen: std::collections::HashSet<u64> = shown.iter().map(|e| e.group).collect();
        let mut candidates = Vec::with_capacity(top.len());
        let mut columns = columns::PerSegment::new(searcher, |r: &tantivy::SegmentReader| {
            let ff = r.fast_fields();
            Ok((ff.u64(ID_HASH)?, ff.u64(GROUP)?))
        });
        for (score, address) in top {
            let (ids, groups) = columns.get(address.segment_ord)?;
            let id = ids.first(address.doc_id).unwrap_or(0);
            let group = if req.collapse {
                groups.first(address.doc_id).unwrap_or(id)
            } else {
                id
            };
            candidates.push(Entry {
                sort: collect::SortKey {
                    key: score as f64,
                    id,
                },
                score,
                group,
                address,
            });
        }
        // Equal scores in id order, as everywhere else, before choosing one per group.
        candidates.sort_by(|a, b| a.sort.order(&b.sort));
        let n = candidates.len();
        rerank::rerank(
            searcher,
            &self.open.fields,
            &rerank::query_grams(&texts),
            &mut candidates,
            n,
        )?;
        let mut out = Vec::with_capacity(wanted);
        for e in candidates {
            if out.len() == wanted {
                break;
            }
            if seen.insert(e.group) {
                out.push(e);
            }
        }
        Ok(out)
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
        Ok(crate::index::document::to_article(&self.open.fields, &doc))
    }

    /// The people, places and organisations found in an article when it was indexed.
    pub fn entities_at(&self, searcher: &Searcher, address: DocAddress) -> Result<Entities> {
        let doc: TantivyDocument = searcher.doc(address)?;
        Ok(crate::index::document::to_entities(&self.open.fields, &doc))
    }

    /// Where the article with this id lives, if it exists.
    pub fn address_of(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>> {
        let q = TermQuery::new(
            Term::from_field_u64(self.open.fields.id_hash, id_hash(id)),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&q, &DocSetCollector)?.into_iter().next())
    }

    /// An article with the people, places and organisations found in it.
    pub fn article_with_entities(&self, id: &str) -> Result<(Article, Entities)> {
        let searcher = self.reader.searcher();
        match self.address_of(&searcher, id)? {
            Some(addr) => Ok((
                self.article_at(&searcher, addr)?,
                self.entities_at(&searcher, addr)?,
            )),
            None => Err(Error::NotFound(id.to_string())),
        }
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
        let mut sources: std::collections::HashMap<String, u64> = Default::default();
        let (mut earliest, mut latest) = (i64::MAX, i64::MIN);
        for seg in searcher.segment_readers() {
            let ff = seg.fast_fields();
            let source_col = ff.str(crate::index::schema::SOURCE)?;
            let mut per_ord: Vec<u64> = vec![0; source_col.as_ref().map_or(0, |c| c.num_terms())];
            let dates = ff.date(crate::index::schema::PUBLISHED)?;
            for doc in seg.doc_ids_alive() {
                if let Some(col) = &source_col {
                    if let Some(ord) = col.term_ords(doc).next() {
                        if let Some(n) = per_ord.get_mut(ord as usize) {
                            *n += 1;
                        }
                    }
                }
                if let Some(d) = dates.first(doc) {
                    let s = d.into_timestamp_secs();
                    earliest = earliest.min(s);
                    latest = latest.max(s);
                }
            }
            if let Some(col) = &source_col {
                let mut name = String::new();
                for (ord, n) in per_ord.iter().enumerate().filter(|(_, n)| **n > 0) {
                    name.clear();
                    if col.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                        *sources.entry(name.clone()).or_default() += n;
                    }
                }
            }
        }
        let mut top_sources: Vec<FacetCount> = sources
            .iter()
            .map(|(k, v)| FacetCount {
                value: k.clone(),
                count: *v,
            })
            .collect();
        top_sources.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
        top_sources.truncate(TOP_SOURCES);
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
            top_sources,
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
