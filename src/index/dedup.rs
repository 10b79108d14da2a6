//! Reprint grouping at index time: an exact text hash, then MinHash LSH candidates checked
//! by estimated Jaccard similarity. A candidate is a copy only if it also states the same
//! figures (see [`same_numbers`]), its text aligns with the new one but for the edges and
//! a few characters (`analyze::fingerprint::same_text`, checked by the caller, who has
//! the texts) and its group, with the new article, spans at most
//! [`MAX_SPAN_DAYS`]: templated daily reports, series and the same announcement in
//! another year share most of their words but are other stories. Each article gets the
//! group of the copy it matches best; which copy a result shows is decided at search time.
//!
//! Near-duplicate matching looks back over a window of the latest [`NEAR_WINDOW`]
//! articles, so its memory stays the same whatever the corpus size (the ×10 run grew by
//! ~550 bytes per article when every signature was kept). Exact copies are matched
//! across the whole index (24 bytes per article).

use std::collections::HashMap;

use tantivy::Searcher;

use super::schema::{CONTENT_HASH, GROUP, ID_HASH, MINHASH, PUBLISHED, TEXT_HASH};
use crate::analyze::fingerprint::{
    band_keys, from_bytes, same_numbers, same_text, Fingerprint, NO_TEXT, NUM_BANDS, NUM_HASHES,
    SAME_STORY,
};
use crate::analyze::Analyzed;
use crate::error::{Error, Result};

/// How many candidates of one band are compared; a band shared by very many texts
/// (templates, round-ups) says little.
const MAX_CANDIDATES_PER_BAND: usize = 64;

/// How many candidates' texts are aligned with a new article's at most.
const MAX_TEXT_CHECKS: usize = 8;

/// Articles whose signatures are kept for near-duplicate matching: reprints of a story
/// follow it within days, and a day of a large Chinese news crawl is well under this.
/// About 700 bytes each (signature, numbers, chain links, band heads), so ~140 MB when full.
pub const NEAR_WINDOW: usize = 200_000;

/// The most days between the earliest and the latest dated copy of one story. Copies of
/// a story follow it within days; the same text a year later is another occasion.
pub const MAX_SPAN_DAYS: i32 = 3;

/// The top 16 bits of each MinHash value: two values that differ agree there by chance
/// once in 65,536, which moves the similarity estimate by less than 0.0001.
type Signature = [u16; NUM_HASHES];

/// A kept signature. `prev[b]` is the sequence number of the previous article with the
/// same key in band `b` (`u64::MAX`: none), so each band is a chain through the window.
struct Slot {
    seq: u64,
    signature: Signature,
    numbers: Vec<u32>,
    /// The article's id hash, to fetch its text for [`same_text`].
    key: u64,
    group: u64,
    prev: [u64; NUM_BANDS],
}

/// What a new article is compared with: its fingerprint and its publish day.
pub struct Candidate<'a> {
    pub fingerprint: &'a Fingerprint,
    /// Days since 1970-01-01 in Beijing time, when the article is dated.
    pub day: Option<i32>,
}

pub struct Reprints {
    /// Exact text hash → the latest group with that text.
    exact: HashMap<u64, u64>,
    /// Group → the first and last day of its dated members.
    spans: HashMap<u64, (i32, i32)>,
    /// Band key → the newest article in the window with it.
    heads: HashMap<u64, u64>,
    /// The window, indexed by sequence number modulo its length.
    slots: Vec<Slot>,
    window: usize,
    next_seq: u64,
}

impl Default for Reprints {
    fn default() -> Self {
        Reprints::with_window(NEAR_WINDOW)
    }
}

fn compact(minhash: &[u32]) -> Option<Signature> {
    if minhash.len() != NUM_HASHES {
        return None;
    }
    let mut out = [0u16; NUM_HASHES];
    for (o, v) in out.iter_mut().zip(minhash) {
        *o = (v >> 16) as u16;
    }
    Some(out)
}

fn keys(signature: &Signature) -> [u64; NUM_BANDS] {
    let wide = signature.map(u32::from);
    let mut out = [0u64; NUM_BANDS];
    for (o, k) in out.iter_mut().zip(band_keys(&wide)) {
        *o = k;
    }
    out
}

fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / NUM_HASHES as f64
}

/// Days since the epoch in Beijing time of a publish time in seconds.
pub fn beijing_day(secs: i64) -> i32 {
    (secs + 8 * 3600).div_euclid(86_400) as i32
}

/// What the index already holds, read from fast fields when a run starts.
#[derive(Default)]
pub struct Existing {
    /// id hash → content hash, to tell new, changed and unchanged records apart.
    pub content: HashMap<u64, u64>,
    pub reprints: Reprints,
}

impl Existing {
    pub fn load(searcher: &Searcher) -> Result<Existing> {
        let mut out = Existing::default();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let id = ff.u64(ID_HASH)?;
            let content = ff.u64(CONTENT_HASH)?;
            let group = ff.u64(GROUP)?;
            let text = ff.u64(TEXT_HASH)?;
            let published = ff.date(PUBLISHED)?;
            let minhash = ff.bytes(MINHASH)?;
            let mut buf = Vec::new();
            for doc in segment.doc_ids_alive() {
                let (Some(i), Some(c), Some(g), Some(t)) = (
                    id.first(doc),
                    content.first(doc),
                    group.first(doc),
                    text.first(doc),
                ) else {
                    continue;
                };
                out.content.insert(i, c);
                buf.clear();
                if let Some(col) = &minhash {
                    if let Some(ord) = col.term_ords(doc).next() {
                        col.ord_to_bytes(ord, &mut buf)
                            .map_err(|e| Error::Internal(format!("reading fingerprints: {e}")))?;
                    }
                }
                let fp = from_bytes(&buf, t);
                let day = published
                    .first(doc)
                    .map(|d| beijing_day(d.into_timestamp_secs()));
                out.reprints.insert(i, &fp, day, g);
            }
        }
        Ok(out)
    }
}

/// Reprint groups for articles as they come, in input order: what the local writer and
/// `cluster::push` share. The bodies of articles grouped since the store last caught up
/// are kept here; older ones are asked of the store, for the alignment check.
pub struct Grouping {
    reprints: Reprints,
    pending: HashMap<u64, String>,
    detect: bool,
}

impl Grouping {
    /// `detect` off: every article is its own group.
    pub fn new(reprints: Reprints, detect: bool) -> Grouping {
        Grouping {
            reprints,
            pending: HashMap::new(),
            detect,
        }
    }

    /// The reprint group of the article `key` (its fingerprint computed by analysis), and
    /// whether it is a copy of a story seen before. `stored` gives the body of an article
    /// grouped before the store last caught up (see [`Grouping::caught_up`]).
    pub fn assign(
        &mut self,
        key: u64,
        a: &Analyzed,
        stored: &mut dyn FnMut(u64) -> Option<String>,
    ) -> (u64, bool) {
        if !self.detect {
            return (key, false);
        }
        let day = a.article.published.map(|p| beijing_day(p.timestamp()));
        let pending = &self.pending;
        let found = self.reprints.assign(
            key,
            &Candidate {
                fingerprint: &a.fingerprint,
                day,
            },
            &mut |other| {
                let text = match pending.get(&other) {
                    Some(t) => Some(t.clone()),
                    None => stored(other),
                };
                text.is_some_and(|t| same_text(&t, &a.article.body))
            },
        );
        if !a.fingerprint.minhash.is_empty() {
            self.pending.insert(key, a.article.body.clone());
        }
        found
    }

    /// Everything grouped so far can now be read from the store.
    pub fn caught_up(&mut self) {
        self.pending.clear();
    }
}

impl Reprints {
    pub fn with_window(window: usize) -> Reprints {
        Reprints {
            exact: HashMap::new(),
            spans: HashMap::new(),
            heads: HashMap::new(),
            slots: Vec::new(),
            window: window.max(1),
            next_seq: 0,
        }
    }

    /// Records the article `key` of `group`.
    fn insert(&mut self, key: u64, fp: &Fingerprint, day: Option<i32>, group: u64) {
        if let Some(d) = day {
            self.spans
                .entry(group)
                .and_modify(|(first, last)| {
                    *first = (*first).min(d);
                    *last = (*last).max(d);
                })
                .or_insert((d, d));
        }
        if fp.exact != NO_TEXT {
            self.exact.insert(fp.exact, group);
        }
        let Some(signature) = compact(&fp.minhash) else {
            return;
        };
        let seq = self.next_seq;
        self.next_seq += 1;
        let at = (seq % self.window as u64) as usize;
        if let Some(old) = self.slots.get(at) {
            // The oldest article leaves the window; a band it heads has no one newer.
            for key in keys(&old.signature) {
                if self.heads.get(&key) == Some(&old.seq) {
                    self.heads.remove(&key);
                }
            }
        }
        let band_keys = keys(&signature);
        let mut prev = [u64::MAX; NUM_BANDS];
        for (p, key) in prev.iter_mut().zip(band_keys) {
            if let Some(head) = self.heads.insert(key, seq) {
                *p = head;
            }
        }
        let slot = Slot {
            seq,
            signature,
            numbers: fp.numbers.clone(),
            key,
            group,
            prev,
        };
        if at < self.slots.len() {
            self.slots[at] = slot;
        } else {
            self.slots.push(slot);
        }
    }

    /// Whether an article of `day` may join `group` without the group spanning more than
    /// [`MAX_SPAN_DAYS`].
    fn in_span(&self, group: u64, day: Option<i32>) -> bool {
        match (day, self.spans.get(&group)) {
            (Some(d), Some(&(first, last))) => last.max(d) - first.min(d) <= MAX_SPAN_DAYS,
            _ => true,
        }
    }

    /// The group of the article `own_id`: an earlier copy's, or a new one named by
    /// `own_id`. `same_text` is asked whether the article's text is a copy of the earlier
    /// article with the given id hash. Returns the group and whether a copy was found.
    pub fn assign(
        &mut self,
        own_id: u64,
        article: &Candidate,
        same_text: &mut dyn FnMut(u64) -> bool,
    ) -> (u64, bool) {
        let fp = article.fingerprint;
        let found = if fp.exact == NO_TEXT {
            None
        } else {
            // The same counted characters: the same text but for punctuation and spacing.
            self.exact
                .get(&fp.exact)
                .copied()
                .filter(|&g| self.in_span(g, article.day))
                .or_else(|| {
                    self.near(article)
                        .into_iter()
                        .take(MAX_TEXT_CHECKS)
                        .find(|&(key, _)| same_text(key))
                        .map(|(_, group)| group)
                })
        };
        let group = found.unwrap_or(own_id);
        self.insert(own_id, fp, article.day, group);
        (group, found.is_some())
    }

    /// The slot of `seq` if it is still in the window.
    fn slot(&self, seq: u64) -> Option<&Slot> {
        if seq == u64::MAX || seq + (self.window as u64) < self.next_seq {
            return None;
        }
        self.slots
            .get((seq % self.window as u64) as usize)
            .filter(|s| s.seq == seq)
    }

    /// Earlier articles that may be copies, most similar first, as (id hash, group):
    /// similar enough, with the same figures, and close enough in time.
    fn near(&self, article: &Candidate) -> Vec<(u64, u64)> {
        let Some(signature) = compact(&article.fingerprint.minhash) else {
            return Vec::new();
        };
        let mut found: Vec<(f64, u64, u64)> = Vec::new();
        for (band, key) in keys(&signature).into_iter().enumerate() {
            let mut next = self.heads.get(&key).copied();
            let mut seen = 0;
            while let Some(slot) = next.and_then(|seq| self.slot(seq)) {
                if seen == MAX_CANDIDATES_PER_BAND {
                    break;
                }
                seen += 1;
                next = Some(slot.prev[band]);
                if found.iter().any(|&(_, k, _)| k == slot.key) {
                    continue;
                }
                let s = similarity(&signature, &slot.signature);
                if s >= SAME_STORY
                    && same_numbers(&article.fingerprint.numbers, &slot.numbers)
                    && self.in_span(slot.group, article.day)
                {
                    found.push((s, slot.key, slot.group));
                }
            }
        }
        // Most similar first; the same similarity in id order, so runs agree.
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        found.into_iter().map(|(_, k, g)| (k, g)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::fingerprint::fingerprint;

    fn assign(r: &mut Reprints, id: u64, text: &str) -> (u64, bool) {
        dated(r, id, text, None)
    }

    thread_local! {
        /// The texts assigned so far, by id, as the writer keeps them.
        static TEXTS: std::cell::RefCell<HashMap<u64, String>> = Default::default();
    }

    fn dated(r: &mut Reprints, id: u64, text: &str, day: Option<i32>) -> (u64, bool) {
        let fingerprint = fingerprint(text);
        let got = r.assign(
            id,
            &Candidate {
                fingerprint: &fingerprint,
                day,
            },
            &mut |other| {
                TEXTS.with(|t| {
                    t.borrow()
                        .get(&other)
                        .is_some_and(|o| crate::analyze::fingerprint::same_text(o, text))
                })
            },
        );
        TEXTS.with(|t| t.borrow_mut().insert(id, text.to_string()));
        got
    }

    /// A text long enough to be matched by alignment, not only by its exact hash.
    const LEAD: &str = "国务院新闻办公室今日举行发布会，介绍今年以来农业生产和粮食安全工作进展，有关负责人回答记者提问。\
        据介绍，各地区各部门认真落实党中央决策部署，夏粮播种面积保持稳定，单产水平有所提高，\
        农业社会化服务体系不断完善，农机作业服务能力持续增强，高标准农田建设稳步推进，\
        粮食生产功能区和重要农产品生产保护区建设取得积极进展，种业振兴行动扎实开展，\
        农民种粮积极性明显提高，粮食市场供应充足，价格总体平稳。下一步，有关部门将加强田间管理，\
        做好防灾减灾工作，确保全年粮食产量稳定在一万三千亿斤以上。";

    fn story(n: usize) -> String {
        format!("第{n}号公告：国务院新闻办公室今日举行发布会，介绍今年以来农业生产和粮食安全工作进展，有关负责人回答记者提问，编号{n}。")
    }

    #[test]
    fn near_copies_are_found_only_within_the_window() {
        let mut r = Reprints::with_window(4);
        let original = &format!("{LEAD}农业农村部表示夏粮丰收已成定局。");
        let trimmed = &format!("{LEAD}农业农村部表示夏粮丰收。");
        assert_eq!(assign(&mut r, 1, original), (1, false));
        assert_eq!(assign(&mut r, 2, trimmed), (1, true));
        // Unrelated stories push the original out of the window.
        for (id, n) in (10..).zip(0..4) {
            let unrelated: String = (0..80)
                .map(|i| {
                    char::from_u32(0x4E00 + ((n * 977 + i * 131) % 20000) as u32).unwrap_or('字')
                })
                .collect();
            assert!(!assign(&mut r, id, &unrelated).1);
        }
        let again = &format!("{LEAD}农业农村部表示夏粮丰收已成定局了。");
        assert_eq!(assign(&mut r, 4, again), (4, false));
        assert_eq!(
            assign(&mut r, 3, trimmed),
            (1, true),
            "exact copies match forever"
        );
        // Memory is bounded by the window, whatever the number of articles.
        for n in 0..100 {
            assign(&mut r, 100 + n as u64, &story(n));
        }
        assert!(r.slots.len() <= 4);
        assert!(r.heads.len() <= 4 * NUM_BANDS);
    }

    #[test]
    fn short_texts_stay_in_their_own_groups() {
        let mut r = Reprints::default();
        assert_eq!(assign(&mut r, 1, ""), (1, false));
        assert_eq!(assign(&mut r, 2, ""), (2, false));
        let story = "国务院新闻办公室今日举行发布会，介绍今年以来农业生产和粮食安全工作进展，有关负责人回答记者提问。";
        assert_eq!(assign(&mut r, 3, story), (3, false));
        assert_eq!(assign(&mut r, 4, story), (3, true));
    }

    #[test]
    fn copies_are_close_in_time_and_state_the_same_figures() {
        let report = |day: u32, cases: u32| {
            format!("国家卫生健康委员会通报，{day}日0时至24时，全国新增本土确诊病例{cases}例，新增无症状感染者较前一日有所下降，各地继续做好常态化疫情防控工作，加强重点人群核酸检测。")
        };
        let mut r = Reprints::default();
        assert_eq!(dated(&mut r, 1, &report(5, 21), Some(100)), (1, false));
        // The same text two days later is a copy; the next day's report is not.
        assert_eq!(dated(&mut r, 2, &report(5, 21), Some(102)), (1, true));
        assert_eq!(dated(&mut r, 3, &report(6, 34), Some(101)), (3, false));
        // The same text a year later is another occasion, for the exact hash and MinHash alike.
        assert_eq!(dated(&mut r, 4, &report(5, 21), Some(465)), (4, false));
        // A group never spans more than MAX_SPAN_DAYS: day 104 is within 3 days of the
        // last copy (102) but not of the first (100).
        assert_eq!(dated(&mut r, 5, &report(5, 21), Some(104)), (5, false));
        // Undated copies join by text alone.
        assert_eq!(dated(&mut r, 6, &report(6, 34), None), (3, true));
    }
}
