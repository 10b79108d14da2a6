//! Searching a cluster: the same request and answer as a local search.
//!
//! A query the nodes answer exactly ([`Cond::exact`]) runs there whole: the page (one hit
//! per reprint group when collapsing, `GROUP BY gid`), the total, the number of stories
//! and the facets (`GROUP BY source`, `GROUP BY pub_year`), in one round trip. Any other
//! query fetches its candidates (a superset the nodes find) with what ranking, grouping
//! and facets need, learns from the nodes what each candidate holds, checks each one in
//! zhnews, and counts, groups and ranks what passes. Either way zhnews then reorders the
//! best 40 as a local search does (the share of the query's bigrams a hit holds, read from
//! the stored text), and builds snippets from the stored text.

use std::collections::{HashMap, HashSet};

use crate::search::ext::cursor;

use super::check::slop_holds;
use super::client::{Answer, Rows};
use super::compile::{Compiler, Cond, Expr, SlopRule, WordsRule};
use super::facets::{facet_counts, facet_selects, FacetCounts};
use super::layout::{self, ID_HASH, UNDATED};
use super::Cluster;
use crate::analyze::entities::Entities;
use crate::article::{Article, Published};
use crate::error::{Error, Result};
use crate::index::schema::hash64;
use crate::search::compile::day_start_secs;
use crate::search::hits::{copies_of, hit_of};
use crate::search::query::{self, Node, Syntax};
use crate::search::rerank::{self, Held};
use crate::search::{Facets, Filters, Hit, SearchRequest, SearchResponse, Sort};

/// How the nodes rank: BM25F over every field, titles counting twice, an exact string's
/// bigrams half. No length normalization (`b = 0`): a real-time index keeps no field
/// lengths, and with `b > 0` every score comes out the same. Scores are per shard unless
/// the nodes share global IDF (see README).
pub const RANKER: &str =
    "ranker=expr('10000*bm25f(1.2,0,{title_w=4,body_w=2,title_x=2,body_x=1})')";

/// Rows asked for at first when every candidate must be fetched; more when there are more.
const FIRST_FETCH: u64 = 20_000;
/// The most candidates one query may have to check in zhnews (and rows of an export).
pub const MAX_CANDIDATES: u64 = 2_000_000;
/// Up to this many rows, the page query returns the stored text along with the ids.
const TEXT_IN_PAGE: usize = 200;

/// The columns that make an [`Article`].
pub(super) const ARTICLE_COLUMNS: &str =
    "id, aid, published, has_time, url, title, body, source, author, editor, section, keywords";
/// [`ARTICLE_COLUMNS`] but for those every listing has (`id`, `aid`, `published`).
const TEXT_COLUMNS: &str = "has_time, url, title, body, source, author, editor, section, keywords";

/// The columns that make [`Entities`].
pub(super) const ENTITY_COLUMNS: &str = "person, place, org";

/// A matching document as the nodes (or the check) found it.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub doc: u64,
    /// The article's own id.
    pub id: String,
    pub id_hash: u64,
    pub group: u64,
    pub score: f32,
    pub published: i64,
    /// Matching copies in its group, itself included (when collapsing).
    pub in_group: u64,
}

/// Everything zhnews needs of one candidate of a checked query.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub found: Found,
    pub year: u32,
    pub day: i64,
    pub source: String,
    /// People, places and organisations (when asked for, see [`Cluster::checked`]).
    pub entities: [Vec<String>; 3],
}

fn cell(row: &[Option<String>], i: usize) -> &str {
    row.get(i).and_then(|c| c.as_deref()).unwrap_or("")
}

fn int(row: &[Option<String>], i: usize) -> i64 {
    cell(row, i).parse().unwrap_or(0)
}

fn uint(row: &[Option<String>], i: usize) -> u64 {
    cell(row, i).parse().unwrap_or(0)
}

fn float(row: &[Option<String>], i: usize) -> f32 {
    cell(row, i).parse().unwrap_or(0.0)
}

/// The id hash back from its order-keeping attribute.
fn id_hash_of(v: i64) -> u64 {
    (v as u64) ^ (1 << 63)
}

/// An article from a row with [`ARTICLE_COLUMNS`].
pub(super) fn article_of(rows: &Rows, row: &[Option<String>]) -> Result<Article> {
    let c = |name: &str| rows.column(name).map(|i| cell(row, i).to_string());
    let opt =
        |name: &str| -> Result<Option<String>> { Ok(Some(c(name)?).filter(|v| !v.is_empty())) };
    let published = int(row, rows.column(layout::PUBLISHED)?);
    let has_time = int(row, rows.column(layout::HAS_TIME)?) == 1;
    let author = c(layout::AUTHOR)?;
    let author: Vec<&str> = author.split_whitespace().collect();
    Ok(Article {
        id: c(layout::ARTICLE_ID)?,
        url: opt(layout::URL)?,
        title: c(layout::TITLE)?,
        published: (published != UNDATED)
            .then(|| Published::from_secs(published, has_time))
            .flatten(),
        source: opt(layout::SOURCE)?,
        author: (!author.is_empty()).then(|| author.join(" ")),
        editor: opt(layout::EDITOR)?,
        section: opt(layout::SECTION)?,
        keywords: layout::split_list(&c(layout::KEYWORDS)?),
        body: c(layout::BODY)?,
    })
}

/// The entities of an article from a row with [`ENTITY_COLUMNS`].
pub(super) fn entities_of(rows: &Rows, row: &[Option<String>]) -> Result<Entities> {
    let list = |name: &str| -> Result<Vec<String>> {
        Ok(layout::split_list(cell(row, rows.column(name)?)))
    };
    Ok(Entities {
        person: list(layout::PERSON)?,
        place: list(layout::PLACE)?,
        org: list(layout::ORG)?,
    })
}

/// The order of a listing.
fn order(sort: Sort) -> String {
    match sort {
        Sort::Relevance => format!("WEIGHT() DESC, {ID_HASH} ASC"),
        Sort::Date => format!("{} DESC, {ID_HASH} ASC", layout::PUBLISHED),
    }
}

/// A `WHERE` clause: the full-text expression with the source filter, then the dates.
/// `None` when nothing can match.
pub(super) fn where_clause(expr: &Expr, filters: &Filters) -> Result<Option<String>> {
    filters.validate()?;
    let mut expr = expr.clone();
    if let Some(s) = filters.source() {
        expr = Expr::and(vec![expr, super::compile::source_filter(s)]);
    }
    let Some(text) = expr.to_match() else {
        return Ok(None);
    };
    let mut sql = format!("MATCH('{text}')");
    if filters.from.is_some() || filters.to.is_some() {
        let from = filters.from.map_or(UNDATED + 1, day_start_secs);
        sql.push_str(&format!(" AND {} >= {from}", layout::PUBLISHED));
        if let Some(next) = filters.to.and_then(|t| t.succ_opt()) {
            sql.push_str(&format!(
                " AND {} < {}",
                layout::PUBLISHED,
                day_start_secs(next)
            ));
        }
    }
    Ok(Some(sql))
}

/// Where a cursor leaves off: how many hits earlier pages showed, for one query.
fn encode_cursor(offset: usize, binding: u64) -> String {
    cursor::seal(&format!("c:{offset}:{binding:016x}"))
}

fn decode_cursor(cursor: &str, binding: u64) -> Result<usize> {
    let bad = || cursor::not_ours(cursor);
    let raw = cursor::open(cursor)?;
    let mut parts = raw.split(':');
    if parts.next() != Some("c") {
        return Err(bad());
    }
    let offset = parts.next().and_then(|o| o.parse().ok()).ok_or_else(bad)?;
    let bound = parts
        .next()
        .and_then(|b| u64::from_str_radix(b, 16).ok())
        .ok_or_else(bad)?;
    if bound != binding {
        return Err(Error::BadRequest(
            "cursor belongs to another query, filter, order or collapse setting; start again \
             from the first page"
                .into(),
        ));
    }
    Ok(offset)
}

/// The condition of a query, and the leaves a checked query asks the nodes about.
enum Eval {
    All,
    Nothing,
    Set(usize),
    Words(usize),
    Slop(usize),
    And(Vec<Eval>),
    Or(Vec<Eval>),
    Not(Box<Eval>),
}

/// What the nodes were asked of the candidates of a checked query.
#[derive(Default)]
struct Leaves {
    sets: Vec<Expr>,
    words: Vec<WordsRule>,
    slops: Vec<SlopRule>,
}

impl Leaves {
    fn add(&mut self, cond: &Cond) -> Eval {
        match cond {
            Cond::Exact(Expr::All) => Eval::All,
            Cond::Exact(Expr::Nothing) => Eval::Nothing,
            Cond::Exact(e) => {
                self.sets.push(e.clone());
                Eval::Set(self.sets.len() - 1)
            }
            Cond::Words(w) => {
                self.words.push(w.clone());
                Eval::Words(self.words.len() - 1)
            }
            Cond::Slop(s) => {
                self.slops.push(s.clone());
                Eval::Slop(self.slops.len() - 1)
            }
            Cond::And(v) => Eval::And(v.iter().map(|c| self.add(c)).collect()),
            Cond::Or(v) => Eval::Or(v.iter().map(|c| self.add(c)).collect()),
            Cond::Not(c) => Eval::Not(Box::new(self.add(c))),
        }
    }
}

/// What the nodes and the stored text say of the candidates.
struct Facts {
    sets: Vec<HashSet<u64>>,
    /// Per words rule: the words each document holds.
    words: Vec<HashMap<u64, Vec<bool>>>,
    slops: Vec<HashSet<u64>>,
}

impl Eval {
    fn holds(&self, doc: u64, f: &Facts, leaves: &Leaves) -> bool {
        match self {
            Eval::All => true,
            Eval::Nothing => false,
            Eval::Set(i) => f.sets[*i].contains(&doc),
            Eval::Words(i) => f.words[*i]
                .get(&doc)
                .is_some_and(|held| leaves.words[*i].holds(held)),
            Eval::Slop(i) => f.slops[*i].contains(&doc),
            Eval::And(v) => v.iter().all(|e| e.holds(doc, f, leaves)),
            Eval::Or(v) => v.iter().any(|e| e.holds(doc, f, leaves)),
            Eval::Not(e) => !e.holds(doc, f, leaves),
        }
    }
}

/// A ranked listing as the page and the second phase need it.
pub(super) struct Listing {
    pub total: u64,
    pub groups: Option<u64>,
    /// The best groups (or documents), best first, as many as asked for.
    pub top: Vec<Found>,
    pub facets: Option<Facets>,
    /// Stored articles the listing brought along, by document id.
    pub texts: HashMap<u64, Article>,
    /// Each group's matching documents, when zhnews checked the matches itself.
    pub members: Option<HashMap<u64, Vec<u64>>>,
}

impl Cluster {
    /// Reads and compiles a query.
    pub(super) fn compile(&self, node: &Node, syntax: Syntax) -> Result<Cond> {
        let mut long = Vec::new();
        super::compile::long_words(node, &self.words, syntax, &mut long);
        let stats = if long.is_empty() {
            super::Frequencies {
                total: 0,
                docs: HashMap::new(),
            }
        } else {
            self.frequencies(&long)?
        };
        Ok(Compiler {
            words: &self.words,
            stats: &stats,
            syntax,
        }
        .compile(node))
    }

    /// Runs `SELECT`s (each without `LIMIT` and `OPTION`, with its own options) for every
    /// row they match, in one round trip when each has at most `hint` rows, and again with
    /// room for all of them for those that have more.
    fn every_row(&self, selects: &[(String, String)], hint: u64) -> Result<Vec<Answer>> {
        let limit = |(select, options): &(String, String), n: u64| {
            let n = n.max(1);
            format!("{select} LIMIT 0, {n} OPTION max_matches={n}{options}")
        };
        let first: Vec<String> = selects.iter().map(|s| limit(s, hint)).collect();
        let mut answers = self.client.select(&first)?;
        let mut again = Vec::new();
        for (i, a) in answers.iter().enumerate() {
            let total = a.total_found();
            if total > a.rows.rows.len() as u64 && total > hint {
                if total > MAX_CANDIDATES {
                    return Err(Error::BadRequest(format!(
                        "this query needs {total} articles read back from the cluster, more \
                         than {MAX_CANDIDATES}; narrow it with more words, a source or dates"
                    )));
                }
                again.push((i, limit(&selects[i], total)));
            }
        }
        if !again.is_empty() {
            let more = self
                .client
                .select(&again.iter().map(|(_, s)| s.clone()).collect::<Vec<_>>())?;
            for ((i, _), a) in again.into_iter().zip(more) {
                answers[i] = a;
            }
        }
        Ok(answers)
    }

    /// The statement for every document `expr` matches within the filters, in `sort`
    /// order, with what counting, grouping and ranking need (`None`: nothing matches).
    fn candidates_select(
        &self,
        expr: &Expr,
        filters: &Filters,
        sort: Sort,
        entities: bool,
    ) -> Result<Option<(String, String)>> {
        let Some(where_sql) = where_clause(expr, filters)? else {
            return Ok(None);
        };
        let select = format!(
            "SELECT id, {a}, {ID_HASH}, {g}, {p}, {y}, {d}, {s}{e}, WEIGHT() AS w FROM {} \
             WHERE {where_sql} ORDER BY {}",
            self.index(),
            order(sort),
            a = layout::ARTICLE_ID,
            g = layout::GROUP,
            p = layout::PUBLISHED,
            y = layout::YEAR,
            d = layout::DAY,
            s = layout::SOURCE,
            e = if entities {
                format!(", {ENTITY_COLUMNS}")
            } else {
                String::new()
            },
        );
        let ranker = if sort == Sort::Relevance {
            format!(", {RANKER}")
        } else {
            ", ranker=none".to_string()
        };
        Ok(Some((select, ranker)))
    }

    /// Every document `expr` matches within the filters, in `sort` order.
    pub(super) fn candidates(
        &self,
        expr: &Expr,
        filters: &Filters,
        sort: Sort,
    ) -> Result<Vec<Candidate>> {
        let Some(select) = self.candidates_select(expr, filters, sort, false)? else {
            return Ok(Vec::new());
        };
        let answers = self.every_row(&[select], FIRST_FETCH)?;
        answers
            .first()
            .map_or(Ok(Vec::new()), |a| candidates_of(&a.rows))
    }

    /// Every match of a query in `sort` order, exactly, however it is answered.
    pub(super) fn all_matches(
        &self,
        node: &Node,
        syntax: Syntax,
        filters: &Filters,
        sort: Sort,
        scoring: bool,
    ) -> Result<Vec<Candidate>> {
        let cond = self.compile(node, syntax)?;
        if cond.exact() {
            self.candidates(&cond.superset(), filters, sort)
        } else {
            self.checked(&cond, filters, sort, scoring, false)
        }
    }

    /// Every article matching a checked condition (one that the nodes alone cannot
    /// answer exactly), best first by `sort`: the candidates, and what each leaf of the
    /// condition says of them, asked in one round trip. `scoring`: whether a local
    /// search of the same kind would score (which decides one detail of proximity).
    pub(super) fn checked(
        &self,
        cond: &Cond,
        filters: &Filters,
        sort: Sort,
        scoring: bool,
        entities: bool,
    ) -> Result<Vec<Candidate>> {
        let superset = cond.superset();
        let Some(first) = self.candidates_select(&superset, filters, sort, entities)? else {
            return Ok(Vec::new());
        };
        let mut leaves = Leaves::default();
        let eval = leaves.add(cond);
        let index = self.index();
        // Each leaf's question; `None` where the leaf can match nothing.
        let mut asked: Vec<Option<(String, String)>> = Vec::new();
        for e in &leaves.sets {
            let within = Expr::and(vec![superset.clone(), e.clone()]);
            asked.push(where_clause(&within, filters)?.map(|w| {
                (
                    format!("SELECT id FROM {index} WHERE {w}"),
                    ", ranker=none".to_string(),
                )
            }));
        }
        for rule in &leaves.words {
            let quorum = rule.quorum().min(rule.tokens.len());
            // Only the rule's words are in this query, in order: word<i> is tokens[i].
            let expr = Expr::Text(format!(
                "(@{} \"{}\"/{quorum})",
                rule.field,
                rule.tokens.join(" ")
            ));
            asked.push(where_clause(&expr, filters)?.map(|w| {
                (
                    format!("SELECT id, PACKEDFACTORS() AS f FROM {index} WHERE {w}"),
                    ", ranker=expr('1')".to_string(),
                )
            }));
        }
        for rule in &leaves.slops {
            let within = Expr::and(vec![superset.clone(), rule_superset(rule)]);
            let field = if rule.title {
                layout::TITLE
            } else {
                layout::BODY
            };
            asked.push(where_clause(&within, filters)?.map(|w| {
                (
                    format!("SELECT id, {field} FROM {index} WHERE {w}"),
                    ", ranker=none".to_string(),
                )
            }));
        }
        let mut selects = vec![first];
        selects.extend(asked.iter().flatten().cloned());
        let mut answers = self.every_row(&selects, FIRST_FETCH)?.into_iter();
        let candidates = candidates_of(&answers.next().unwrap_or_default().rows)?;
        let mut rows = asked
            .iter()
            .map(|q| q.as_ref().and_then(|_| answers.next()).unwrap_or_default());
        let mut facts = Facts {
            sets: Vec::new(),
            words: Vec::new(),
            slops: Vec::new(),
        };
        for _ in &leaves.sets {
            let a = rows.next().unwrap_or_default();
            facts
                .sets
                .push(a.rows.rows.iter().map(|r| uint(r, 0)).collect());
        }
        for rule in &leaves.words {
            let a = rows.next().unwrap_or_default();
            let mut held = HashMap::new();
            for r in &a.rows.rows {
                let f = cell(r, 1);
                let flags: Vec<bool> = (0..rule.tokens.len())
                    .map(|i| {
                        let key = format!("word{i}=(tf=");
                        f.find(&key).is_some_and(|at| {
                            let rest = &f[at + key.len()..];
                            let n: String = rest.chars().take_while(char::is_ascii_digit).collect();
                            n.parse::<u32>().unwrap_or(0) > 0
                        })
                    })
                    .collect();
                held.insert(uint(r, 0), flags);
            }
            facts.words.push(held);
        }
        for rule in &leaves.slops {
            let a = rows.next().unwrap_or_default();
            facts.slops.push(
                a.rows
                    .rows
                    .iter()
                    .filter(|r| slop_holds(rule, cell(r, 1), scoring))
                    .map(|r| uint(r, 0))
                    .collect(),
            );
        }
        Ok(candidates
            .into_iter()
            .filter(|c| eval.holds(c.found.doc, &facts, &leaves))
            .collect())
    }
}

/// Where a row's [`Found`] fields are: `id`, `aid`, `id_hash`, `gid`, `published`, `w` and,
/// when grouped, `n`.
struct FoundColumns {
    doc: usize,
    id: usize,
    id_hash: usize,
    group: usize,
    published: usize,
    score: usize,
    in_group: Option<usize>,
}

impl FoundColumns {
    fn of(rows: &Rows) -> Result<FoundColumns> {
        let col = |n: &str| rows.column(n);
        Ok(FoundColumns {
            doc: col("id")?,
            id: col(layout::ARTICLE_ID)?,
            id_hash: col(ID_HASH)?,
            group: col(layout::GROUP)?,
            published: col(layout::PUBLISHED)?,
            score: col("w")?,
            in_group: col("n").ok(),
        })
    }

    fn found(&self, r: &[Option<String>]) -> Found {
        Found {
            doc: uint(r, self.doc),
            id: cell(r, self.id).to_string(),
            id_hash: id_hash_of(int(r, self.id_hash)),
            group: int(r, self.group) as u64,
            score: float(r, self.score),
            published: int(r, self.published),
            in_group: self.in_group.map_or(1, |c| uint(r, c)),
        }
    }
}

/// Candidates from the rows of [`Cluster::candidates_select`].
fn candidates_of(rows: &Rows) -> Result<Vec<Candidate>> {
    // A candidate stands for itself, never for a group.
    let found = FoundColumns {
        in_group: None,
        ..FoundColumns::of(rows)?
    };
    let col = |n: &str| rows.column(n);
    let (cy, cd, cs) = (col(layout::YEAR)?, col(layout::DAY)?, col(layout::SOURCE)?);
    // Present only when asked for.
    let ce = [layout::PERSON, layout::PLACE, layout::ORG].map(|n| col(n).ok());
    Ok(rows
        .rows
        .iter()
        .map(|r| Candidate {
            found: found.found(r),
            year: uint(r, cy) as u32,
            day: int(r, cd),
            source: cell(r, cs).to_string(),
            entities: ce.map(|c| c.map_or_else(Vec::new, |c| layout::split_list(cell(r, c)))),
        })
        .collect())
}

fn rule_superset(rule: &SlopRule) -> Expr {
    Cond::Slop(rule.clone()).superset()
}

/// The found documents of listing rows.
fn found_of(rows: &Rows) -> Result<Vec<Found>> {
    let found = FoundColumns::of(rows)?;
    Ok(rows.rows.iter().map(|r| found.found(r)).collect())
}

impl Cluster {
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        req.validate()?;
        let parsed = query::read(&req.query, req.syntax)?;
        let node = &parsed.node;
        let sort = if node.has_text() {
            req.sort
        } else {
            Sort::Date
        };
        let f = &req.filters;
        let binding = hash64(
            format!(
                "{}\u{0}{node}\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{sort:?}\u{0}{}",
                self.index(),
                f.from,
                f.to,
                f.source(),
                req.collapse
            )
            .as_bytes(),
        );
        let skip = match req.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => decode_cursor(c, binding)?,
            None => 0,
        };
        let mut texts = Vec::new();
        node.positive_text(&mut texts);
        let rerank = sort == Sort::Relevance && !texts.is_empty();
        let start = skip + req.offset;
        let wanted = start + req.limit;
        let n = if rerank {
            wanted.max(rerank::WINDOW)
        } else {
            wanted
        };
        let cond = self.compile(node, req.syntax)?;
        let scoring = sort == Sort::Relevance;
        let (mut listing, within) = if cond.exact() {
            let expr = cond.superset();
            let within = where_clause(&expr, f)?;
            let listing = match &within {
                Some(w) => self.listing(w, req, sort, n)?,
                None => Listing::empty(req),
            };
            (listing, within)
        } else {
            let candidates = self.checked(&cond, f, sort, scoring, req.facets)?;
            let within = where_clause(&cond.superset(), f)?;
            (Listing::of_candidates(candidates, req, n), within)
        };
        let grams = rerank::query_grams(&texts);
        if rerank && !grams.is_empty() {
            let window = rerank::WINDOW.min(listing.top.len());
            let docs: Vec<u64> = listing.top[..window].iter().map(|e| e.doc).collect();
            self.fill_texts(&mut listing.texts, within.as_deref(), &docs)?;
            rerank_by_text(&mut listing.top, window, &grams, &listing.texts);
        }
        let page: Vec<Found> = listing
            .top
            .iter()
            .skip(start)
            .take(req.limit)
            .cloned()
            .collect();
        let next_cursor =
            (page.len() == req.limit).then(|| encode_cursor(start + page.len(), binding));
        let mut terms = Vec::new();
        node.highlight_terms(&mut terms);
        let mut hits = Vec::with_capacity(page.len());
        if req.ids_only {
            hits.extend(page.iter().map(|e| id_hit(&e.id, e.score)));
        } else {
            let docs: Vec<u64> = page.iter().map(|e| e.doc).collect();
            self.fill_texts(&mut listing.texts, within.as_deref(), &docs)?;
            let copies = if req.collapse {
                self.copies(&listing, &page, within.as_deref())?
            } else {
                HashMap::new()
            };
            for e in &page {
                let article = listing
                    .texts
                    .get(&e.doc)
                    .cloned()
                    .ok_or_else(|| Error::Cluster {
                        target: self.target().to_string(),
                        reason: format!("article {} vanished while it was read", e.id),
                    })?;
                hits.push(hit_of(
                    article,
                    e.score,
                    &terms,
                    copies.get(&e.doc).cloned().flatten(),
                ));
            }
        }
        if req.partial && sort == Sort::Relevance && start == 0 && hits.len() < req.limit {
            let more = self.partial(node, req, &listing.top, req.limit - hits.len(), &terms)?;
            hits.extend(more);
        }
        let mut warnings = parsed.warnings.clone();
        warnings.extend(crate::search::question::warning(
            node,
            &self.words,
            req.syntax,
        ));
        if let Some(source) = f.source().filter(|_| listing.total == 0) {
            if let Some(w) = self.unknown_source(source)? {
                warnings.push(w);
            }
        }
        Ok(SearchResponse {
            query: req.query.clone(),
            interpreted_as: parsed.interpreted_as(),
            warnings,
            total: listing.total,
            groups: if req.collapse { listing.groups } else { None },
            hits,
            next_cursor,
            facets: listing.facets,
        })
    }

    /// The page of a query the nodes answer exactly, with its total, stories and facets.
    fn listing(&self, within: &str, req: &SearchRequest, sort: Sort, n: usize) -> Result<Listing> {
        let index = self.index();
        let ord = order(sort);
        let max = n.max(1000);
        let texts = if n <= TEXT_IN_PAGE {
            format!(", {TEXT_COLUMNS}")
        } else {
            String::new()
        };
        let ranker = if sort == Sort::Relevance {
            RANKER
        } else {
            "ranker=none"
        };
        let cols = format!(
            "id, {a}, {ID_HASH}, {g}, {p}, WEIGHT() AS w",
            a = layout::ARTICLE_ID,
            g = layout::GROUP,
            p = layout::PUBLISHED
        );
        let mut selects = vec![if req.collapse {
            format!(
                "SELECT {cols}, COUNT(*) AS n{texts} FROM {index} WHERE {within} GROUP BY {g} \
                 WITHIN GROUP ORDER BY {ord} ORDER BY {ord} LIMIT 0, {n} OPTION \
                 max_matches={max}, {ranker}",
                g = layout::GROUP
            )
        } else {
            format!(
                "SELECT {cols}{texts} FROM {index} WHERE {within} ORDER BY {ord} LIMIT 0, {n} \
                 OPTION max_matches={max}, {ranker}"
            )
        }];
        if req.collapse {
            selects.push(format!(
                "SELECT id FROM {index} WHERE {within} LIMIT 1 OPTION ranker=none"
            ));
        }
        if req.facets {
            selects.extend(facet_selects(index, within));
        }
        let answers = self.client.select(&selects)?;
        let page = &answers[0];
        let top = found_of(&page.rows)?;
        let mut listing = Listing {
            total: page.total_found(),
            groups: None,
            top,
            facets: None,
            texts: HashMap::new(),
            members: None,
        };
        let mut next = 1;
        if req.collapse {
            listing.total = answers[1].total_found();
            listing.groups = Some(self.groups(within, page.total_found(), max as u64)?);
            next = 2;
        }
        if req.facets {
            listing.facets = Some(facet_counts(&answers[next..])?.facets());
        }
        if !texts.is_empty() {
            for r in &page.rows.rows {
                let a = article_of(&page.rows, r)?;
                listing.texts.insert(uint(r, 0), a);
            }
        }
        Ok(listing)
    }

    /// The number of reprint groups among the matches. A distributed index adds up its
    /// agents' counts of groups and takes off those it saw twice, which is exact only
    /// when every agent returned all its groups: `reported` (from a query allowed `max`
    /// groups) is at least any agent's count, so at most `max` means exact; otherwise
    /// the groups are counted again with room for all of them.
    fn groups(&self, within: &str, reported: u64, max: u64) -> Result<u64> {
        if reported <= max {
            return Ok(reported);
        }
        if reported > MAX_CANDIDATES {
            return Err(Error::BadRequest(format!(
                "more than {MAX_CANDIDATES} stories match; narrow the query to count them"
            )));
        }
        let a = self.client.select_one(format!(
            "SELECT {g} FROM {} WHERE {within} GROUP BY {g} LIMIT 1 OPTION \
             max_matches={reported}, ranker=none",
            self.index(),
            g = layout::GROUP
        ))?;
        Ok(a.total_found())
    }

    /// Stored articles of `docs` not yet in `texts`.
    pub(super) fn fill_texts(
        &self,
        texts: &mut HashMap<u64, Article>,
        within: Option<&str>,
        docs: &[u64],
    ) -> Result<()> {
        let missing: Vec<String> = docs
            .iter()
            .filter(|d| !texts.contains_key(d))
            .map(u64::to_string)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let filter = within.map_or(String::new(), |w| format!("{w} AND "));
        let n = missing.len();
        let a = self.client.select_one(format!(
            "SELECT {ARTICLE_COLUMNS} FROM {} WHERE {filter}id IN ({}) LIMIT 0, {n} OPTION \
             max_matches={n}, ranker=none",
            self.index(),
            missing.join(",")
        ))?;
        for r in &a.rows.rows {
            texts.insert(uint(r, 0), article_of(&a.rows, r)?);
        }
        Ok(())
    }

    /// The other copies of each hit's story that match too.
    fn copies(
        &self,
        listing: &Listing,
        page: &[Found],
        within: Option<&str>,
    ) -> Result<HashMap<u64, Option<crate::search::Copies>>> {
        let mut out = HashMap::new();
        let shared: Vec<&Found> = page.iter().filter(|e| e.in_group > 1).collect();
        if shared.is_empty() {
            return Ok(out);
        }
        let Some(within) = within else {
            return Ok(out);
        };
        let index = self.index();
        let selects: Vec<String> = shared
            .iter()
            .map(|e| {
                let only = match &listing.members {
                    Some(m) => {
                        let docs: Vec<String> = m
                            .get(&e.group)
                            .map(|v| v.iter().map(u64::to_string).collect())
                            .unwrap_or_default();
                        format!(" AND id IN ({})", docs.join(","))
                    }
                    None => String::new(),
                };
                let n = e.in_group;
                format!(
                    "SELECT {ARTICLE_COLUMNS} FROM {index} WHERE {within} AND {} = {}{only} \
                     LIMIT 0, {n} OPTION max_matches={n}, ranker=none",
                    layout::GROUP,
                    e.group as i64
                )
            })
            .collect();
        let answers = self.client.select(&selects)?;
        for (e, a) in shared.iter().zip(answers) {
            let mut others = Vec::new();
            for r in &a.rows.rows {
                if uint(r, 0) != e.doc {
                    others.push(article_of(&a.rows, r)?);
                }
            }
            out.insert(e.doc, copies_of(others));
        }
        Ok(out)
    }

    /// The best hits that match only some of the query's text, to top up a short first
    /// page, as a local search does: any word or bigram of it, still within the query's
    /// exclusions, fields, dates and filters; groups already shown left out.
    fn partial(
        &self,
        node: &Node,
        req: &SearchRequest,
        shown: &[Found],
        wanted: usize,
        terms: &[String],
    ) -> Result<Vec<Hit>> {
        let mut texts = Vec::new();
        node.positive_text(&mut texts);
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let text = texts.join(" ");
        let (words, _) = crate::search::compile::units(&self.words.words(&text));
        let grams = crate::search::compile::exact_grams(&text);
        let mut any = Vec::new();
        for title in [true, false] {
            let (wf, xf) = if title {
                (layout::TITLE_WORDS, layout::TITLE_EXACT)
            } else {
                (layout::BODY_WORDS, layout::BODY_EXACT)
            };
            if !words.is_empty() {
                let w: Vec<String> = words.iter().map(|w| layout::word_token(title, w)).collect();
                any.push(Expr::Text(format!("(@{wf} {})", w.join(" | "))));
            }
            if !grams.is_empty() {
                let g: Vec<String> = grams
                    .iter()
                    .map(|g| {
                        if g.chars().count() == 1 {
                            format!("{}*", layout::gram_token(g))
                        } else {
                            layout::gram_token(g)
                        }
                    })
                    .collect();
                any.push(Expr::Text(format!("(@{xf} {})", g.join(" | "))));
            }
        }
        let mut expr = Expr::or(any);
        // The query's exclusions, fields and dates hold for partial matches too.
        if let Node::And(parts) = node {
            for p in parts {
                let constraint = match p {
                    Node::Not(_) | Node::Keyword { .. } | Node::Published { .. } => {
                        self.compile(p, req.syntax)?
                    }
                    _ => continue,
                };
                match constraint {
                    Cond::Exact(e) => expr = Expr::and(vec![expr, e]),
                    // An exclusion the nodes cannot decide alone: no partial matches
                    // rather than ones it might not allow.
                    _ => return Ok(Vec::new()),
                }
            }
        }
        let Some(within) = where_clause(&expr, &req.filters)? else {
            return Ok(Vec::new());
        };
        let limit = shown.len() + 3 * wanted + 10;
        let a = self.client.select_one(format!(
            "SELECT id, {a}, {ID_HASH}, {g}, {p}, WEIGHT() AS w, {TEXT_COLUMNS} FROM {} WHERE \
             {within} ORDER BY {} LIMIT 0, {limit} OPTION max_matches={limit}, {}",
            self.index(),
            order(Sort::Relevance),
            RANKER,
            a = layout::ARTICLE_ID,
            g = layout::GROUP,
            p = layout::PUBLISHED,
        ))?;
        let mut candidates = found_of(&a.rows)?;
        let mut articles = HashMap::new();
        for r in &a.rows.rows {
            articles.insert(uint(r, 0), article_of(&a.rows, r)?);
        }
        let key = |e: &Found| if req.collapse { e.group } else { e.id_hash };
        let mut seen: HashSet<u64> = shown.iter().map(key).collect();
        let grams = rerank::query_grams(&texts);
        let n = candidates.len();
        if !grams.is_empty() {
            rerank_by_text(&mut candidates, n, &grams, &articles);
        }
        let mut out = Vec::new();
        for e in candidates {
            if out.len() == wanted {
                break;
            }
            if !seen.insert(key(&e)) {
                continue;
            }
            if req.ids_only {
                let mut h = id_hit(&e.id, e.score);
                h.partial = true;
                out.push(h);
            } else if let Some(article) = articles.remove(&e.doc) {
                let mut h = hit_of(article, e.score, terms, None);
                h.partial = true;
                out.push(h);
            }
        }
        Ok(out)
    }

    /// A note when no article has `source`, naming the most frequent sources.
    fn unknown_source(&self, source: &str) -> Result<Option<String>> {
        let Some(within) =
            where_clause(&super::compile::source_filter(source), &Filters::default())?
        else {
            return Ok(None);
        };
        let index = self.index();
        let answers = self.client.select(&[
            format!("SELECT id FROM {index} WHERE {within} LIMIT 1 OPTION ranker=none"),
            format!(
                "SELECT {s}, COUNT(*) AS n FROM {index} GROUP BY {s} ORDER BY n DESC LIMIT 0, 21 \
                 OPTION max_matches=10000",
                s = layout::SOURCE
            ),
        ])?;
        if answers[0].total_found() > 0 {
            return Ok(None);
        }
        let known: Vec<String> = answers[1]
            .rows
            .rows
            .iter()
            .map(|r| cell(r, 0).to_string())
            .filter(|s| !s.is_empty())
            .take(crate::search::TOP_SOURCES)
            .collect();
        Ok(Some(format!(
            "no article has the source {source:?}; the most frequent sources are: {}",
            known.join(", ")
        )))
    }
}

/// A hit with only its id and score (batch runs).
fn id_hit(id: &str, score: f32) -> Hit {
    Hit {
        id: id.to_string(),
        url: None,
        title: String::new(),
        published: None,
        source: None,
        author: None,
        score,
        snippet: String::new(),
        copies: None,
        partial: false,
        fragments: Vec::new(),
    }
}

/// The second ranking phase over the first `window` of `top`, from the stored text.
fn rerank_by_text(
    top: &mut [Found],
    window: usize,
    grams: &[String],
    texts: &HashMap<u64, Article>,
) {
    let n = window.min(top.len());
    if n == 0 || grams.is_empty() {
        return;
    }
    let best = top[..n]
        .iter()
        .map(|e| e.score)
        .fold(f32::MIN, f32::max)
        .max(0.0);
    for e in top[..n].iter_mut() {
        if let Some(a) = texts.get(&e.doc) {
            e.score += Held::in_text(grams, &a.title, &a.body).bonus(best, grams.len());
        }
    }
    top[..n].sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.id_hash.cmp(&b.id_hash))
    });
}

impl Listing {
    fn empty(req: &SearchRequest) -> Listing {
        Listing {
            total: 0,
            groups: req.collapse.then_some(0),
            top: Vec::new(),
            facets: req.facets.then(|| FacetCounts::default().facets()),
            texts: HashMap::new(),
            members: None,
        }
    }

    /// The listing of a checked query's matches (already in order).
    fn of_candidates(candidates: Vec<Candidate>, req: &SearchRequest, n: usize) -> Listing {
        let total = candidates.len() as u64;
        let facets = req
            .facets
            .then(|| FacetCounts::of_candidates(&candidates).facets());
        let mut members: HashMap<u64, Vec<u64>> = HashMap::new();
        let mut top = Vec::new();
        if req.collapse {
            let mut first: HashMap<u64, usize> = HashMap::new();
            for c in candidates {
                members.entry(c.found.group).or_default().push(c.found.doc);
                match first.get(&c.found.group) {
                    Some(&i) => {
                        let best: &mut Found = &mut top[i];
                        best.in_group += 1;
                    }
                    None => {
                        first.insert(c.found.group, top.len());
                        top.push(c.found);
                    }
                }
            }
        } else {
            top = candidates.into_iter().map(|c| c.found).collect();
        }
        let groups = req.collapse.then_some(members.len() as u64);
        top.truncate(n);
        Listing {
            total,
            groups,
            top,
            facets,
            texts: HashMap::new(),
            members: req.collapse.then_some(members),
        }
    }
}
