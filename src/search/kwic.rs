//! Keyword in context: every occurrence of the query's terms in matching articles, with
//! left and right context and its exact character offset in the body.

use serde::Serialize;

use super::collect::{MatchCollector, Sort};
use super::{snippet, Engine};
use crate::error::{Error, Result};

pub const MAX_WIDTH: usize = 200;

#[derive(Debug, Clone, Serialize)]
pub struct KwicLine {
    pub id: String,
    pub published: Option<String>,
    pub left: String,
    #[serde(rename = "match")]
    pub matched: String,
    pub right: String,
    /// Character offset of the match in the body.
    pub offset: usize,
}

impl Engine {
    /// Up to `limit` occurrences, newest articles first, in text order within each.
    pub fn kwic(&self, query: &str, width: usize, limit: usize) -> Result<Vec<KwicLine>> {
        if width == 0 || width > MAX_WIDTH {
            return Err(Error::BadRequest(format!("width must be 1..={MAX_WIDTH}")));
        }
        let (q, node) = self.compile(query, None, None, None)?;
        let mut terms = Vec::new();
        node.highlight_terms(&mut terms);
        let searcher = self.searcher();
        let collector = MatchCollector {
            sort: Sort::Date,
            after: None,
            limit: limit.clamp(1, 100_000),
            collapse: false,
            facets: false,
        };
        let matches = searcher.search(&*q, &collector)?;
        let mut out = Vec::new();
        for e in &matches.top {
            let a = self.article_at(&searcher, e.address)?;
            for (start, end) in snippet::match_ranges(&a.body, &terms) {
                let offset = a.body[..start].chars().count();
                let left: String = {
                    let before: Vec<char> = a.body[..start].chars().rev().take(width).collect();
                    before.into_iter().rev().collect()
                };
                let right: String = a.body[end..].chars().take(width).collect();
                out.push(KwicLine {
                    id: a.id.clone(),
                    published: a.published.map(|p| p.to_rfc3339()),
                    left: left.replace('\n', " "),
                    matched: a.body[start..end].to_string(),
                    right: right.replace('\n', " "),
                    offset,
                });
                if out.len() >= limit {
                    return Ok(out);
                }
            }
        }
        Ok(out)
    }
}
