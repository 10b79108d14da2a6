//! An article with what analysis finds in it beyond its tokens: the people, places and
//! organisations it mentions, and its reprint fingerprint. Computed where articles are
//! made (on the pipeline's worker threads), so the writer only files them.

use super::entities::{self, Entities};
use super::fingerprint::{fingerprint, Fingerprint};
use super::Analyzer;
use crate::article::Article;

#[derive(Debug, Clone)]
pub struct Analyzed {
    pub article: Article,
    pub entities: Entities,
    /// [`Fingerprint::none`] when reprints are not grouped.
    pub fingerprint: Fingerprint,
}

impl Analyzer {
    /// Analyzes an article; `fingerprints` off leaves every article its own story.
    pub fn analyze(&self, article: Article, fingerprints: bool) -> Analyzed {
        let entities = entities::find(self.jieba(), self.names(), &article.title, &article.body);
        let fingerprint = if fingerprints {
            fingerprint(&article.body)
        } else {
            Fingerprint::none()
        };
        Analyzed {
            article,
            entities,
            fingerprint,
        }
    }
}
