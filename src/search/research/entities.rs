//! Who and where a story is about: the people, places and organisations most often
//! mentioned by the articles matching a query, with the number of articles naming each.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::search::collect::{ranked, MatchCollector, Sort};
use crate::search::request::{Deadline, FacetCount, Filters, Syntax};
use crate::search::{finished, with_deadline, Engine};

/// Most values listed per kind.
pub const MAX_PER_KIND: usize = 100;

#[derive(Debug, Clone)]
pub struct EntitiesRequest {
    pub query: String,
    pub syntax: Syntax,
    pub filters: Filters,
    /// Values listed per kind, 1 to [`MAX_PER_KIND`].
    pub limit: usize,
    pub deadline: Option<Deadline>,
}

impl EntitiesRequest {
    pub fn new(query: impl Into<String>) -> EntitiesRequest {
        EntitiesRequest {
            query: query.into(),
            syntax: Syntax::Lenient,
            filters: Filters::default(),
            limit: 20,
            deadline: None,
        }
    }

    pub fn validate(&self) -> Result<()> {
        if self.limit == 0 || self.limit > MAX_PER_KIND {
            return Err(Error::BadRequest(format!(
                "limit must be 1 to {MAX_PER_KIND} per kind"
            )));
        }
        self.filters.validate()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EntityList {
    pub query: String,
    pub interpreted_as: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Articles matching the query (and the filters), copies included.
    pub total: u64,
    /// Each kind most mentioned first: `count` is the number of matching articles that
    /// name the value.
    pub person: Vec<FacetCount>,
    pub place: Vec<FacetCount>,
    pub org: Vec<FacetCount>,
}

impl Engine {
    pub fn entities(&self, req: &EntitiesRequest) -> Result<EntityList> {
        req.validate()?;
        let (query, parsed) = self.compile_as(&req.query, req.syntax, &req.filters)?;
        let collector = MatchCollector {
            sort: Sort::Date,
            after: None,
            limit: 0,
            collapse: false,
            facets: true,
        };
        let matches = self
            .searcher()
            .search(&*with_deadline(query, &req.deadline), &collector)?;
        finished(&req.deadline)?;
        let [_, person, place, org] = &matches.by_value;
        Ok(EntityList {
            query: req.query.clone(),
            interpreted_as: parsed.interpreted_as(),
            warnings: parsed.warnings.clone(),
            total: matches.total,
            person: ranked(person, req.limit),
            place: ranked(place, req.limit),
            org: ranked(org, req.limit),
        })
    }
}
