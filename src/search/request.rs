//! What a search is asked and what it answers: the request and response types shared by
//! the command line, the HTTP API and the search page.

use chrono::NaiveDate;
use serde::Serialize;

pub use super::collect::Sort;
pub use super::deadline::Deadline;
pub use super::query::Syntax;
use crate::error::{Error, Result};

/// Most hits one request may ask for (Elasticsearch's result window). The HTTP API
/// allows [`MAX_API_LIMIT`] per page.
pub const MAX_LIMIT: usize = 10_000;
/// Most hits per page over HTTP.
pub const MAX_API_LIMIT: usize = 100;

/// The filters every research tool takes: publish dates (Beijing time, both ends
/// inclusive) and one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Filters {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub source: Option<String>,
}

impl Filters {
    /// The source as searched: trimmed, `None` when blank.
    pub fn source(&self) -> Option<&str> {
        self.source
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    pub fn validate(&self) -> Result<()> {
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if f > t {
                return Err(Error::BadRequest(format!("from ({f}) is after to ({t})")));
            }
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.to.is_none() && self.source().is_none()
    }
}

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub syntax: Syntax,
    pub limit: usize,
    pub offset: usize,
    pub cursor: Option<String>,
    pub filters: Filters,
    pub sort: Sort,
    /// Show one hit per reprint group: the copy that ranks best, with the group's other
    /// matching copies listed under it.
    pub collapse: bool,
    pub facets: bool,
    /// When every-word matches fill less than the first page, add the best hits that match
    /// only some of the words, marked `partial` (the default; off gives every-word only).
    pub partial: bool,
    /// Hits carry only id and score, read from fast columns without touching the stored
    /// text (batch runs that want a ranking). The order is the same.
    pub ids_only: bool,
    /// When the work must stop, counted from when the request arrived: past it, scanning
    /// stops and the search fails with [`Error::Timeout`].
    pub deadline: Option<Deadline>,
}

impl SearchRequest {
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            syntax: Syntax::Lenient,
            limit: 10,
            offset: 0,
            cursor: None,
            filters: Filters::default(),
            sort: Sort::Relevance,
            collapse: true,
            facets: false,
            partial: true,
            ids_only: false,
            deadline: None,
        }
    }

    pub fn validate(&self) -> Result<()> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(Error::BadRequest(format!(
                "limit must be 1..={MAX_LIMIT}, got {}",
                self.limit
            )));
        }
        if self.offset + self.limit > MAX_LIMIT {
            return Err(Error::BadRequest(format!(
                "offset + limit is at most {MAX_LIMIT}; page further with the cursor"
            )));
        }
        self.filters.validate()
    }
}

/// Another copy of a story, as listed under its hit.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleRef {
    pub id: String,
    pub title: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Copies {
    /// Other copies of the same story that match the query and the filters.
    pub count: usize,
    pub articles: Vec<ArticleRef>,
}

impl Copies {
    /// The copies' distinct sources, sorted.
    pub fn sources(&self) -> Vec<String> {
        let mut s: Vec<String> = self
            .articles
            .iter()
            .filter_map(|a| a.source.clone())
            .collect();
        s.sort();
        s.dedup();
        s
    }
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
    pub fragments: super::snippet::Fragments,
}

#[derive(Debug, Clone, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Facets {
    /// Every source, most articles first.
    pub source: Vec<FacetCount>,
    /// Every year, in order.
    pub year: Vec<FacetCount>,
    /// The most mentioned people, places and organisations (at most 20 each).
    pub person: Vec<FacetCount>,
    pub place: Vec<FacetCount>,
    pub org: Vec<FacetCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResponse {
    pub query: String,
    /// The query as it was read, in the query language.
    pub interpreted_as: String,
    /// What lenient reading repaired (an unbalanced quote, an unknown field…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Articles that match every word (and the filters), copies included.
    pub total: u64,
    /// Stories among them when copies are collapsed: the hits that paging reaches, each
    /// listing its other matching copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<u64>,
    pub hits: Vec<Hit>,
    pub next_cursor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}
