//! From a collected match to what a user sees: the article's fields, a snippet, and the
//! other copies of its story that match the same query.

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::collect::Entry;
use super::request::{ArticleRef, Copies, Hit, SearchRequest};
use super::{snippet, Engine};
use crate::article::Article;
use crate::error::Result;

impl ArticleRef {
    pub fn of(a: &Article) -> ArticleRef {
        ArticleRef {
            id: a.id.clone(),
            title: a.title.clone(),
            url: a.url.clone(),
            source: a.source.clone(),
            published: a.published.map(|p| p.to_string()),
        }
    }
}

impl Engine {
    /// The hit for `e`: whole, or id and score only ([`SearchRequest::ids_only`]). With
    /// `matching` (the query and filters it was found by) and collapsing on, the other
    /// copies of its story that match too are listed under it.
    pub(crate) fn hit_for(
        &self,
        searcher: &Searcher,
        e: &Entry,
        terms: &[String],
        req: &SearchRequest,
        matching: Option<&dyn Query>,
    ) -> Result<Hit> {
        if req.ids_only {
            return Ok(Hit {
                id: self.ids.id(searcher, e.address)?,
                url: None,
                title: String::new(),
                published: None,
                source: None,
                author: None,
                score: e.score,
                snippet: String::new(),
                copies: None,
                partial: false,
                fragments: Vec::new(),
            });
        }
        let copies = match matching.filter(|_| req.collapse) {
            Some(q) => self.copies(searcher, e, q)?,
            None => None,
        };
        self.hit(searcher, e, terms, copies)
    }

    /// The hit for `e` with its snippet.
    pub(crate) fn hit(
        &self,
        searcher: &Searcher,
        e: &Entry,
        terms: &[String],
        copies: Option<Copies>,
    ) -> Result<Hit> {
        let article = self.article_at(searcher, e.address)?;
        Ok(hit_of(article, e.score, terms, copies))
    }

    /// The other copies of `e`'s story that `matching` finds too, earliest first.
    pub(crate) fn copies(
        &self,
        searcher: &Searcher,
        e: &Entry,
        matching: &dyn Query,
    ) -> Result<Option<Copies>> {
        let group = Term::from_field_u64(self.open.fields.group, e.group);
        // Most stories have one copy: the group's posting list says so without a search.
        if searcher.doc_freq(&group)? <= 1 {
            return Ok(None);
        }
        let q = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(group, IndexRecordOption::Basic)) as Box<dyn Query>,
            ),
            (Occur::Must, matching.box_clone()),
        ]);
        let mut others = Vec::new();
        for address in searcher.search(&q, &DocSetCollector)? {
            if address != e.address {
                others.push(self.article_at(searcher, address)?);
            }
        }
        Ok(copies_of(others))
    }
}

/// What a user sees of an article found with `terms`: its fields and a snippet of the body
/// around the most of them (its opening when none is in the body).
pub fn hit_of(article: Article, score: f32, terms: &[String], copies: Option<Copies>) -> Hit {
    let mut fragments = snippet::snippet(&article.body, terms);
    if fragments.iter().all(|(_, m)| !m) && !article.body.is_empty() {
        fragments = snippet::snippet(&article.body, &[]);
    }
    Hit {
        id: article.id,
        url: article.url,
        title: article.title,
        published: article.published.map(|p| p.to_string()),
        source: article.source,
        author: article.author,
        score,
        snippet: snippet::to_html(&fragments),
        copies,
        partial: false,
        fragments,
    }
}

/// Other copies, listed as a hit lists them: earliest first, undated last, then by id.
pub fn copies_of(mut others: Vec<Article>) -> Option<Copies> {
    if others.is_empty() {
        return None;
    }
    others.sort_by(|a, b| {
        (a.published.is_none(), a.published, &a.id).cmp(&(
            b.published.is_none(),
            b.published,
            &b.id,
        ))
    });
    Some(Copies {
        count: others.len(),
        articles: others.iter().map(ArticleRef::of).collect(),
    })
}
