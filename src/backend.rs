//! A local index or a cluster behind one set of calls, for the command line and the
//! server: the requests and the answers are the same types either way.

use std::io::Write;
use std::sync::Arc;

use crate::analyze::entities::Entities;
use crate::article::Article;
use crate::cluster::Cluster;
use crate::error::Result;
use crate::search::entities::{EntitiesRequest, EntityList};
use crate::search::export::ExportRequest;
use crate::search::kwic::{Kwic, KwicRequest};
use crate::search::related::{Related, RelatedRequest};
use crate::search::trend::{Trend, TrendRequest};
use crate::search::{query, Engine, Filters, SearchRequest, SearchResponse, Stats, Syntax};

#[derive(Clone)]
pub enum Backend {
    Local(Box<Engine>),
    Cluster(Arc<Cluster>),
}

impl From<Engine> for Backend {
    fn from(e: Engine) -> Backend {
        Backend::Local(Box::new(e))
    }
}

impl From<Cluster> for Backend {
    fn from(c: Cluster) -> Backend {
        Backend::Cluster(Arc::new(c))
    }
}

impl Backend {
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse> {
        match self {
            Backend::Local(e) => e.search(req),
            Backend::Cluster(c) => c.search(req),
        }
    }

    pub fn trend(&self, req: &TrendRequest) -> Result<Trend> {
        match self {
            Backend::Local(e) => e.trend(req),
            Backend::Cluster(c) => c.trend(req),
        }
    }

    pub fn kwic(&self, req: &KwicRequest) -> Result<Kwic> {
        match self {
            Backend::Local(e) => e.kwic(req),
            Backend::Cluster(c) => c.kwic(req),
        }
    }

    pub fn export(&self, req: &ExportRequest, out: &mut dyn Write) -> Result<u64> {
        match self {
            Backend::Local(e) => e.export(req, out),
            Backend::Cluster(c) => c.export(req, out),
        }
    }

    pub fn related(&self, req: &RelatedRequest) -> Result<Related> {
        match self {
            Backend::Local(e) => e.related(req),
            Backend::Cluster(c) => c.related(req),
        }
    }

    pub fn entities(&self, req: &EntitiesRequest) -> Result<EntityList> {
        match self {
            Backend::Local(e) => e.entities(req),
            Backend::Cluster(c) => c.entities(req),
        }
    }

    pub fn article(&self, id: &str) -> Result<Article> {
        match self {
            Backend::Local(e) => e.article(id),
            Backend::Cluster(c) => c.article_with_entities(id).map(|(a, _)| a),
        }
    }

    /// An article with the people, places and organisations found in it.
    pub fn article_with_entities(&self, id: &str) -> Result<(Article, Entities)> {
        match self {
            Backend::Local(e) => e.article_with_entities(id),
            Backend::Cluster(c) => c.article_with_entities(id),
        }
    }

    pub fn stats(&self) -> Result<Stats> {
        match self {
            Backend::Local(e) => e.stats(),
            Backend::Cluster(c) => c.stats(),
        }
    }

    /// The statistics, once the index is known to answer (for health checks).
    pub fn check_readable(&self) -> Result<Stats> {
        match self {
            Backend::Local(e) => e.check_readable(),
            Backend::Cluster(c) => c.stats(),
        }
    }

    /// Changes whenever an answer may change: the local index's commit generation.
    /// `None` for a cluster, whose nodes take writes at any time: its answers are never
    /// cached or tagged.
    pub fn generation(&self) -> Option<u64> {
        match self {
            Backend::Local(e) => Some(e.searcher().generation().generation_id()),
            Backend::Cluster(_) => None,
        }
    }

    /// Whether a query should wait for the lane of expensive queries (a cluster's nodes
    /// keep their own limits).
    pub fn is_expensive(&self, query: &str, syntax: Syntax) -> bool {
        match self {
            Backend::Local(e) => e.is_expensive(query, syntax),
            Backend::Cluster(_) => false,
        }
    }

    /// Checks a query and filters without running it (a bad one is a 400, not a broken
    /// stream).
    pub fn check_query(&self, q: &str, syntax: Syntax, filters: &Filters) -> Result<()> {
        match self {
            Backend::Local(e) => e.compile_as(q, syntax, filters).map(|_| ()),
            Backend::Cluster(_) => {
                filters.validate()?;
                query::read(q, syntax).map(|_| ())
            }
        }
    }
}
