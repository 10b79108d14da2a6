//! Related stories: the articles a journalist would read next, the same story first.
//!
//! An article's keys (`keys`, those bunched around its date first) are searched for in
//! titles and bodies; the candidates are then scored as a share of the article's own score
//! (so the floor means the same for every article), times closeness in time (a decay
//! around its date), and halved for an article that names none of the people, places or
//! organisations at the head of the seed: another episode of a series or another instance
//! of a template. Part of the score rides on how much of the keys' weight a candidate's
//! title and lead hold, so a report of the story outranks a roundup that names it in
//! passing. Candidates below the floor, or sharing a single key (unless both headlines name
//! it, it is no name, and it bunches around the seed's date), are left out rather than
//! filling the list. Its own reprints are counted, not listed.

mod keys;

use std::collections::HashSet;

use serde::Serialize;
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Term, TERMINATED};

use crate::analyze::entities::{Entities, EntityKind};
use crate::analyze::normalize::normalize;
use crate::error::{Error, Result};
use crate::index::schema::{GROUP, PUBLISHED};
use crate::search::collect::{Entry, MatchCollector, Sort};
use crate::search::request::Deadline;
use crate::search::{compile, finished, with_deadline, Engine, Hit};
pub use keys::{Key, KEYS};

/// Days apart at which a candidate keeps half its weight (a third at twice that, and so on):
/// same-story reports cluster within weeks, and a floor let old look-alikes back in
/// (benches/related-eval, tune split).
const HALF_LIFE_DAYS: f64 = 30.0;
/// The weight of a candidate without a date, as if one half-life away.
const UNDATED: f64 = 0.5;
/// Candidates considered from near the article's date, and from any time.
const NEAR_DAYS: i64 = 45;
const CANDIDATES: usize = 100;
/// The least share of the article's own score a related story must reach.
const RELEVANCE_FLOOR: f64 = 0.06;
/// What an article naming none of the seed's leading entities keeps.
const OTHER_EPISODE: f64 = 0.5;
/// A related story shares at least this many keys: one shared word is a coincidence.
const MIN_SHARED_KEYS: usize = 2;
/// What a candidate that shares only one key keeps when both headlines name that key
/// (benches/related-eval, tune split).
const ONE_HEADLINE_WORD: f64 = 0.5;
/// How bunched around the seed's date (see [`keys::weigh_by_burst`]) that word must be: a
/// series or a story, not a phrase headlines use all year (点赞, 贺词, 快讯).
const ONE_WORD_BURST: f32 = 3.0;
/// The most postings one request reads to weigh its keys by burst.
const BURST_POSTINGS: u64 = 200_000;
/// Characters of the body whose entities lead the story; a candidate's title and these
/// characters are its head.
const HEAD_CHARS: usize = 200;
/// How much of a candidate's score rides on how much of the seed's key weight its head
/// holds: a report of the same story names it up front, a roundup or another story only in
/// passing (benches/related-eval, tune split).
const HEAD_WEIGHT: f64 = 0.3;

#[derive(Debug, Clone)]
pub struct RelatedRequest {
    pub id: String,
    /// Only articles within this many days of it (when it has a date).
    pub days: Option<u32>,
    pub limit: usize,
    pub deadline: Option<Deadline>,
}

impl RelatedRequest {
    pub fn new(id: impl Into<String>) -> RelatedRequest {
        RelatedRequest {
            id: id.into(),
            days: None,
            limit: 10,
            deadline: None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SharedEntity {
    pub value: String,
    pub kind: EntityKind,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelatedHit {
    #[serde(flatten)]
    pub hit: Hit,
    /// The article's keys this one contains, those that weigh most first.
    pub reason: Vec<String>,
    /// The people, places and organisations of the article this one names too.
    pub entities: Vec<SharedEntity>,
    /// Days between the two (when both are dated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_apart: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub id: String,
    /// The keys searched for, weightiest first.
    pub keywords: Vec<String>,
    /// Copies of the article itself (same reprint group), not listed.
    pub reprints: usize,
    pub hits: Vec<RelatedHit>,
    /// Why the list is empty or short, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A candidate with what its final score is made of.
struct Candidate {
    entry: Entry,
    similarity: f64,
    days_apart: Option<i64>,
    score: f64,
}

fn time_factor(days_apart: Option<i64>) -> f64 {
    match days_apart {
        Some(d) => 1.0 / (1.0 + d as f64 / HALF_LIFE_DAYS),
        None => UNDATED,
    }
}

impl Engine {
    /// Up to `limit` related stories, fewer when fewer are close enough.
    pub fn related(&self, req: &RelatedRequest) -> Result<Related> {
        if req.limit == 0 || req.limit > crate::search::MAX_API_LIMIT {
            return Err(Error::BadRequest(format!(
                "limit must be 1..={}",
                crate::search::MAX_API_LIMIT
            )));
        }
        let searcher = self.searcher();
        let address = self
            .address_of(&searcher, &req.id)?
            .ok_or_else(|| Error::NotFound(req.id.clone()))?;
        let article = self.article_at(&searcher, address)?;
        let entities = self.entities_at(&searcher, address)?;
        let group = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64(GROUP)?
            .first(address.doc_id)
            .unwrap_or(0);
        let reprints = self
            .group_members(&searcher, group)?
            .len()
            .saturating_sub(1);
        let f = &self.index().fields;
        // Article counts of a word in the words view, and of a bigram in the exact view.
        let freq_in = |field: tantivy::schema::Field| {
            let searcher = &searcher;
            move |w: &str| {
                searcher
                    .doc_freq(&Term::from_field_text(field, w))
                    .unwrap_or(0)
            }
        };
        let (doc_freq, gram_freq) = (freq_in(f.body), freq_in(f.body_exact));
        let mut keys = keys::keys(
            self.index().analyzer.jieba(),
            &article.title,
            &article.body,
            &entities,
            &doc_freq,
            &gram_freq,
            searcher.num_docs(),
        );
        // Every segment's publish dates: the seed's, its keys' bursts and the candidates'.
        let dates = searcher
            .segment_readers()
            .iter()
            .map(|r| Ok(r.fast_fields().date(PUBLISHED)?))
            .collect::<Result<Vec<_>>>()?;
        let published_secs = |at: DocAddress| -> Option<i64> {
            dates
                .get(at.segment_ord as usize)?
                .first(at.doc_id)
                .map(|d| d.into_timestamp_secs())
        };
        let seed_secs = published_secs(address);
        match (seed_secs, date_span(&dates)) {
            (Some(secs), Some((first, last))) => {
                let near = (secs - NEAR_DAYS * 86_400, secs + NEAR_DAYS * 86_400);
                let window_share =
                    ((2 * NEAR_DAYS + 1) * 86_400) as f64 / (last - first + 86_400) as f64;
                // Counting reads every posting of a key: in a big index, the keys past the
                // budget keep their weight rather than making the request slow.
                let mut budget = BURST_POSTINGS;
                keys::weigh_by_burst(&mut keys, window_share, &mut |k| {
                    if k.df > budget {
                        return Ok(None);
                    }
                    budget -= k.df;
                    let field = if k.exact { f.body_exact } else { f.body };
                    count_between(
                        &searcher,
                        &dates,
                        &Term::from_field_text(field, &k.word),
                        near,
                    )
                    .map(Some)
                })?;
            }
            _ => keys.truncate(KEYS),
        }
        let keywords: Vec<String> = keys.iter().map(|k| k.word.clone()).collect();
        let mut related = Related {
            id: article.id.clone(),
            keywords,
            reprints,
            hits: Vec::new(),
            note: None,
        };
        if keys.is_empty() {
            related.note = Some("this article has no words specific enough to search for".into());
            return Ok(related);
        }
        let about = self.keys_query(&keys);
        let own_score = f64::from(about.explain(&searcher, address)?.value()).max(f64::EPSILON);
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(about) as Box<dyn Query>),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_u64(f.group, group),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let mut windows: Vec<Option<i64>> = Vec::new();
        match (req.days, seed_secs) {
            (Some(d), Some(_)) => windows.push(Some(i64::from(d))),
            (None, Some(_)) => windows.extend([Some(NEAR_DAYS), None]),
            (_, None) => windows.push(None),
        }
        let mut seen = HashSet::new();
        let mut candidates = Vec::new();
        for window in windows {
            let q: Box<dyn Query> = match (window, seed_secs) {
                (Some(d), Some(secs)) => Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(query.clone())),
                    (
                        Occur::Must,
                        compile::secs_range_query(
                            f.published,
                            secs - d * 86_400,
                            secs + d * 86_400,
                        ),
                    ),
                ])),
                _ => Box::new(query.clone()),
            };
            let collector = MatchCollector {
                sort: Sort::Relevance,
                after: None,
                limit: CANDIDATES,
                collapse: true,
                facets: false,
            };
            let found = searcher.search(&*with_deadline(q, &req.deadline), &collector)?;
            finished(&req.deadline)?;
            for entry in found.top {
                if !seen.insert(entry.group) {
                    continue;
                }
                let secs = published_secs(entry.address);
                let days_apart = match (seed_secs, secs) {
                    (Some(a), Some(b)) => Some((a - b).abs() / 86_400),
                    _ => None,
                };
                let similarity = (f64::from(entry.score) / own_score).min(1.0);
                candidates.push(Candidate {
                    entry,
                    similarity,
                    days_apart,
                    score: similarity * time_factor(days_apart),
                });
            }
        }
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
        // Reading a candidate costs a document fetch: only as many as can still matter.
        candidates.truncate(req.limit * 3 + 10);
        let leading = leading_entities(&article.title, &article.body, &entities);
        // The seed's entities as candidates' text is searched: normalized once, not per candidate.
        let seed_entities: Vec<(EntityKind, &String, String)> = EntityKind::ALL
            .into_iter()
            .flat_map(|kind| {
                entities
                    .of(kind)
                    .iter()
                    .map(move |e| (kind, e, normalize(e)))
            })
            .collect();
        let seed_headline = without_series_tags(&normalize(&article.title));
        let mut scored = Vec::new();
        for mut c in candidates {
            let other = self.article_at(&searcher, c.entry.address)?;
            let text = normalize(&format!("{}\n{}", other.title, other.body));
            if !leading.is_empty() && !leading.iter().any(|(e, _)| text.contains(e.as_str())) {
                c.score *= OTHER_EPISODE;
            }
            let shared: Vec<&Key> = keys
                .iter()
                .filter(|k| text.contains(k.word.as_str()))
                .collect();
            // Normalizing keeps each character one character: the candidate's title and its
            // head are prefixes of `text`.
            let prefix = |chars: usize| {
                let end = text
                    .char_indices()
                    .nth(chars)
                    .map_or(text.len(), |(i, _)| i);
                &text[..end]
            };
            let title_chars = other.title.chars().count();
            let (title, head) = (prefix(title_chars), prefix(title_chars + 1 + HEAD_CHARS));
            c.score *= (1.0 - HEAD_WEIGHT) + HEAD_WEIGHT * head_share(&keys, head);
            // One shared word, however rare, is a coincidence more often than a story, unless
            // both headlines name it (the seed's series tag aside), it names no person, place
            // or organisation (a name in common says who or where, not what), and its articles
            // bunch around the seed's date (绿道 in a spring series on greenways): then it
            // counts, at a discount.
            let one_headline_word = shared.len() == 1
                && shared.iter().any(|k| {
                    k.entity.is_none()
                        && k.burst >= ONE_WORD_BURST
                        && seed_headline.contains(k.word.as_str())
                        && title.contains(k.word.as_str())
                });
            if one_headline_word {
                c.score *= ONE_HEADLINE_WORD;
            }
            if c.similarity < RELEVANCE_FLOOR
                || (shared.len() < MIN_SHARED_KEYS && !one_headline_word)
            {
                continue;
            }
            let named: Vec<SharedEntity> = seed_entities
                .iter()
                .filter(|(_, _, normalized)| text.contains(normalized.as_str()))
                .map(|(kind, e, _)| SharedEntity {
                    value: (*e).clone(),
                    kind: *kind,
                })
                .collect();
            scored.push((
                c,
                shared.iter().map(|k| k.word.clone()).collect::<Vec<_>>(),
                named,
            ));
        }
        scored.sort_by(|a, b| {
            b.0.score
                .total_cmp(&a.0.score)
                .then(a.0.entry.sort.id.cmp(&b.0.entry.sort.id))
        });
        scored.truncate(req.limit);
        for (c, reason, named) in scored {
            let copies = self.copies(&searcher, &c.entry, &query)?;
            let mut hit = self.hit(&searcher, &c.entry, &reason, copies)?;
            hit.score = c.score as f32;
            related.hits.push(RelatedHit {
                hit,
                reason,
                entities: named,
                days_apart: c.days_apart,
            });
        }
        if related.hits.is_empty() {
            related.note = Some(
                "nothing close found: no other article shares enough of this one's keys".into(),
            );
        } else if related.hits.len() < req.limit {
            related.note = Some(format!(
                "only {} close enough; the rest would share too little",
                related.hits.len()
            ));
        }
        Ok(related)
    }

    /// Any key in title (boosted) or body, weighted.
    fn keys_query(&self, keys: &[Key]) -> BooleanQuery {
        let f = &self.index().fields;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for k in keys {
            let fields = if k.exact {
                [
                    (f.body_exact, 1.0f32),
                    (f.title_exact, compile::TITLE_BOOST),
                ]
            } else {
                [(f.body, 1.0f32), (f.title, compile::TITLE_BOOST)]
            };
            for (field, boost) in fields {
                let q = TermQuery::new(
                    Term::from_field_text(field, &k.word),
                    IndexRecordOption::WithFreqs,
                );
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(q), boost * k.weight)),
                ));
            }
        }
        BooleanQuery::new(should)
    }
}

/// Live articles with `term` published within `between` (seconds, both ends in), read
/// from its postings and the date column, which costs far less than a range query per key.
fn count_between(
    searcher: &tantivy::Searcher,
    dates: &[Column<tantivy::DateTime>],
    term: &Term,
    (from, to): (i64, i64),
) -> Result<u64> {
    let mut n = 0;
    for (reader, dates) in searcher.segment_readers().iter().zip(dates) {
        let postings = reader
            .inverted_index(term.field())?
            .read_postings(term, IndexRecordOption::Basic)
            .map_err(|e| Error::Tantivy(e.into()))?;
        let Some(mut postings) = postings else {
            continue;
        };
        let alive = reader.alive_bitset();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            let within = dates
                .first(doc)
                .is_some_and(|d| (from..=to).contains(&d.into_timestamp_secs()));
            if within && alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
            }
            doc = postings.advance();
        }
    }
    Ok(n)
}

/// The first and last publish times of the index, when any article has one.
fn date_span(dates: &[Column<tantivy::DateTime>]) -> Option<(i64, i64)> {
    let mut span: Option<(i64, i64)> = None;
    for column in dates {
        if column.values.num_vals() == 0 {
            continue;
        }
        let (lo, hi) = (
            column.min_value().into_timestamp_secs(),
            column.max_value().into_timestamp_secs(),
        );
        span = Some(span.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
    }
    span
}

/// The share of the keys' weight that a head holds.
fn head_share(keys: &[Key], head: &str) -> f64 {
    let weight = |held: &dyn Fn(&Key) -> bool| -> f64 {
        keys.iter()
            .filter(|k| held(k))
            .map(|k| f64::from(k.weight))
            .sum()
    };
    let total = weight(&|_| true);
    if total <= 0.0 {
        return 0.0;
    }
    weight(&|k| head.contains(k.word.as_str())) / total
}

/// The seed's entities named in its title or the head of its body: what its story is
/// about, as opposed to everyone it mentions. People when it names any (the most
/// specific: a series' episodes share places and organisations, not people), else
/// organisations and places.
fn leading_entities(title: &str, body: &str, entities: &Entities) -> Vec<(String, EntityKind)> {
    let head: String = body.chars().take(HEAD_CHARS).collect();
    let head = normalize(&format!("{title}\n{head}"));
    let named = |kinds: &[EntityKind]| -> Vec<(String, EntityKind)> {
        kinds
            .iter()
            .flat_map(|kind| {
                entities
                    .of(*kind)
                    .iter()
                    .map(move |e| (normalize(e), *kind))
            })
            .filter(|(e, _)| head.contains(e.as_str()))
            .collect()
    };
    let people = named(&[EntityKind::Person]);
    if people.is_empty() {
        named(&[EntityKind::Org, EntityKind::Place])
    } else {
        people
    }
}

/// A headline without its series tags (【时代先锋】, 【新闻特写】): they name the column,
/// which other episodes share, not the story.
fn without_series_tags(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut depth = 0usize;
    for c in title.chars() {
        match c {
            '【' | '[' => depth += 1,
            '】' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_tags_are_taken_out_of_a_headline() {
        assert_eq!(
            without_series_tags("【时代先锋】好人好戏程永革"),
            "好人好戏程永革"
        );
        assert_eq!(
            without_series_tags("[视频]东湖绿道【新理念 新发展】还绿于城"),
            "东湖绿道还绿于城"
        );
        assert_eq!(without_series_tags("武汉：东湖绿道"), "武汉：东湖绿道");
        // An unclosed tag hides the rest; a stray closing bracket hides nothing.
        assert_eq!(without_series_tags("绿道】春天【系列"), "绿道春天");
    }
}
