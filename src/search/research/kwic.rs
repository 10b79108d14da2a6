//! Keyword in context: the occurrences of the query's text in matching articles, each with
//! its left and right context and its exact character offset in the title or body.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::search::collect::{MatchCollector, Sort};
use crate::search::query::{Node, TextField};
use crate::search::request::{Deadline, Filters, Syntax};
use crate::search::{finished, snippet, with_deadline, Engine};

pub const MAX_WIDTH: usize = 200;
/// Most lines one request returns.
pub const MAX_LINES: usize = 10_000;

#[derive(Debug, Clone)]
pub struct KwicRequest {
    pub query: String,
    pub syntax: Syntax,
    /// Characters of context on each side.
    pub width: usize,
    /// Most lines.
    pub limit: usize,
    pub filters: Filters,
    pub deadline: Option<Deadline>,
}

impl KwicRequest {
    pub fn new(query: impl Into<String>) -> Self {
        KwicRequest {
            query: query.into(),
            syntax: Syntax::Lenient,
            width: 20,
            limit: 1000,
            filters: Filters::default(),
            deadline: None,
        }
    }

    pub fn validate(&self) -> Result<()> {
        if self.width == 0 || self.width > MAX_WIDTH {
            return Err(Error::BadRequest(format!("width must be 1..={MAX_WIDTH}")));
        }
        if self.limit == 0 || self.limit > MAX_LINES {
            return Err(Error::BadRequest(format!("limit must be 1..={MAX_LINES}")));
        }
        self.filters.validate()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KwicField {
    Title,
    Body,
}

#[derive(Debug, Clone, Serialize)]
pub struct KwicLine {
    pub id: String,
    pub published: Option<String>,
    pub field: KwicField,
    pub left: String,
    #[serde(rename = "match")]
    pub matched: String,
    pub right: String,
    /// Character offset of the match in its field.
    pub offset: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Kwic {
    pub query: String,
    pub interpreted_as: String,
    /// Articles that match the query (and the filters).
    pub articles: u64,
    /// True when `limit` cut the lines: more occurrences exist than were listed.
    pub truncated: bool,
    pub lines: Vec<KwicLine>,
}

/// The strings to find in titles and in bodies: a `title:` or `body:` term is looked for
/// in that field only.
pub fn terms_by_field(node: &Node, title: &mut Vec<String>, body: &mut Vec<String>) {
    match node {
        Node::Term { field, .. } | Node::Phrase { field, .. } | Node::Near { field, .. } => {
            let mut texts = Vec::new();
            node.positive_text(&mut texts);
            if *field != TextField::Body {
                title.extend(texts.iter().cloned());
            }
            if *field != TextField::Title {
                body.extend(texts);
            }
        }
        Node::And(v) | Node::Or(v) => v.iter().for_each(|n| terms_by_field(n, title, body)),
        Node::Not(_) | Node::Keyword { .. } | Node::Published { .. } | Node::All => {}
    }
}

/// Lines collected so far, up to a limit.
pub struct Lines {
    width: usize,
    limit: usize,
    lines: Vec<KwicLine>,
}

impl Lines {
    pub fn new(width: usize, limit: usize) -> Lines {
        Lines {
            width,
            limit,
            lines: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn into_lines(self) -> Vec<KwicLine> {
        self.lines
    }

    /// Adds the lines of one article, titles first; true when the limit cut them short.
    pub fn add_article(
        &mut self,
        a: &crate::article::Article,
        title_terms: &[String],
        body_terms: &[String],
    ) -> bool {
        let published = a.published.map(|p| p.to_string());
        let article = (a.id.as_str(), &published);
        self.add(&a.title, title_terms, KwicField::Title, article)
            || self.add(&a.body, body_terms, KwicField::Body, article)
    }

    /// Adds the occurrences of `terms` in `text`; true when the limit cut them short.
    fn add(
        &mut self,
        text: &str,
        terms: &[String],
        field: KwicField,
        article: (&str, &Option<String>),
    ) -> bool {
        for (start, end) in snippet::occurrences(text, terms) {
            if self.lines.len() == self.limit {
                return true;
            }
            let before: Vec<char> = text[..start].chars().rev().take(self.width).collect();
            let left: String = before.into_iter().rev().collect();
            let right: String = text[end..].chars().take(self.width).collect();
            self.lines.push(KwicLine {
                id: article.0.to_string(),
                published: article.1.clone(),
                field,
                left: left.replace('\n', " "),
                matched: text[start..end].to_string(),
                right: right.replace('\n', " "),
                offset: text[..start].chars().count(),
            });
        }
        false
    }
}

impl Engine {
    /// Up to `limit` occurrences, newest articles first (ties by id), titles before bodies
    /// and in text order within each.
    pub fn kwic(&self, req: &KwicRequest) -> Result<Kwic> {
        req.validate()?;
        let (q, parsed) = self.compile_as(&req.query, req.syntax, &req.filters)?;
        let (mut title_terms, mut body_terms) = (Vec::new(), Vec::new());
        terms_by_field(&parsed.node, &mut title_terms, &mut body_terms);
        let searcher = self.searcher();
        // Every match, newest first: which articles hold the lines is known only by reading.
        let collector = MatchCollector::every(&searcher, Sort::Date);
        let matches = searcher.search(&*with_deadline(q, &req.deadline), &collector)?;
        finished(&req.deadline)?;
        let mut lines = Lines::new(req.width, req.limit);
        let mut truncated = false;
        for (n, e) in matches.top.iter().enumerate() {
            if let Some(d) = req.deadline.as_ref().filter(|d| d.passed()) {
                return Err(Error::Timeout(d.budget().as_millis() as u64));
            }
            let a = self.article_at(&searcher, e.address)?;
            let cut = lines.add_article(&a, &title_terms, &body_terms);
            if cut || (lines.len() == req.limit && n + 1 < matches.top.len()) {
                truncated = true;
                break;
            }
        }
        let lines = lines.into_lines();
        Ok(Kwic {
            query: req.query.clone(),
            interpreted_as: parsed.interpreted_as(),
            articles: matches.total,
            truncated,
            lines,
        })
    }
}
