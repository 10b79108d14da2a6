//! Related stories: the articles most like one article (MoreLikeThis over jieba words,
//! weighted by jieba-rs TF-IDF keywords, which are shown as the reason), optionally within
//! a time window, its own reprints left out of the list but counted.

use std::sync::LazyLock;

use chrono::Duration;
use jieba_rs::{KeywordExtract, TfIdf};
use serde::Serialize;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use super::collect::{MatchCollector, Sort};
use super::{compile, Engine, Hit};
use crate::analyze::normalize::normalize;
use crate::error::{Error, Result};
use crate::index::schema::GROUP;

/// How many keywords describe an article.
const KEYWORDS: usize = 12;

static TFIDF: LazyLock<TfIdf> = LazyLock::new(TfIdf::default);

#[derive(Debug, Clone, Serialize)]
pub struct RelatedHit {
    #[serde(flatten)]
    pub hit: Hit,
    /// The article's keywords this one shares.
    pub reason: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub id: String,
    pub keywords: Vec<String>,
    /// Copies of the article itself (same reprint group), not listed.
    pub reprints: usize,
    pub hits: Vec<RelatedHit>,
}

impl Engine {
    /// Up to `limit` related articles; `days` keeps those published within that many days
    /// of the article (when it has a date).
    pub fn related(&self, id: &str, days: Option<u32>, limit: usize) -> Result<Related> {
        if limit == 0 || limit > super::MAX_API_LIMIT {
            return Err(Error::BadRequest(format!(
                "limit must be 1..={}",
                super::MAX_API_LIMIT
            )));
        }
        let searcher = self.searcher();
        let address = self
            .address_of(&searcher, id)?
            .ok_or_else(|| Error::NotFound(id.to_string()))?;
        let article = self.article_at(&searcher, address)?;
        let group = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64(GROUP)?
            .first(address.doc_id)
            .unwrap_or(0);
        let text = normalize(&format!("{}\n{}", article.title, article.body));
        let keywords: Vec<(String, f64)> = TFIDF
            .extract_keywords(self.index().analyzer.jieba(), &text, KEYWORDS, Vec::new())
            .into_iter()
            .map(|k| (k.keyword, k.weight))
            .collect();
        let f = &self.index().fields;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (word, weight) in &keywords {
            for (field, boost) in [(f.body, 1.0f32), (f.title, compile::TITLE_BOOST)] {
                let q = TermQuery::new(
                    Term::from_field_text(field, word),
                    IndexRecordOption::WithFreqs,
                );
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), boost * *weight as f32)),
                ));
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, Box::new(BooleanQuery::new(should))),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.group, group),
                    IndexRecordOption::Basic,
                )),
            ),
        ];
        if let (Some(d), Some(published)) = (days, article.published) {
            let day = published.beijing_day();
            let span = Duration::days(i64::from(d));
            clauses.push((
                Occur::Must,
                compile::date_range_query(
                    f.published,
                    day.checked_sub_signed(span),
                    day.checked_add_signed(span),
                ),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let collector = MatchCollector {
            sort: Sort::Relevance,
            after: None,
            limit,
            collapse: true,
            facets: false,
        };
        let matches = if keywords.is_empty() {
            Default::default()
        } else {
            searcher.search(&query, &collector)?
        };
        let words: Vec<String> = keywords.iter().map(|(w, _)| w.clone()).collect();
        let mut hits = Vec::new();
        for e in &matches.top {
            let copies = self.copies(&searcher, e, &query)?;
            let hit = self.hit(&searcher, e, &words, copies)?;
            let other = self.article_at(&searcher, e.address)?;
            let other_text = normalize(&format!("{}\n{}", other.title, other.body));
            let reason = words
                .iter()
                .filter(|w| other_text.contains(w.as_str()))
                .cloned()
                .collect();
            hits.push(RelatedHit { hit, reason });
        }
        let reprints = self
            .group_members(&searcher, group)?
            .len()
            .saturating_sub(1);
        Ok(Related {
            id: article.id,
            keywords: words,
            reprints,
            hits,
        })
    }
}
