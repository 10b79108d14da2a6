//! Reprint grouping at index time: an exact text hash, then MinHash LSH candidates checked
//! by estimated Jaccard similarity. Each article gets the group of the first copy seen;
//! which copy leads a group (the earliest) is decided when results are shown.
//!
//! Near-duplicate matching looks back over a window of the latest [`NEAR_WINDOW`]
//! articles, so its memory stays the same whatever the corpus size (the ×10 run grew by
//! ~550 bytes per article when every signature was kept). Exact copies are matched
//! across the whole index (16 bytes per article).

use std::collections::HashMap;

use tantivy::Searcher;

use super::schema::{CONTENT_HASH, GROUP, ID_HASH, MINHASH, TEXT_HASH};
use crate::analyze::fingerprint::{
    band_keys, from_bytes, Fingerprint, NO_TEXT, NUM_BANDS, NUM_HASHES, SAME_STORY,
};
use crate::error::{Error, Result};

/// How many candidates of one band are compared; a band shared by very many texts
/// (templates, round-ups) says little.
const MAX_CANDIDATES_PER_BAND: usize = 64;

/// Articles whose signatures are kept for near-duplicate matching: reprints of a story
/// follow it within days, and a day of a large Chinese news crawl is well under this.
/// About 600 bytes each (signature, chain links, band heads), so ~120 MB when full.
pub const NEAR_WINDOW: usize = 200_000;

/// The top 16 bits of each MinHash value: two values that differ agree there by chance
/// once in 65,536, which moves the similarity estimate by less than 0.0001.
type Signature = [u16; NUM_HASHES];

/// A kept signature. `prev[b]` is the sequence number of the previous article with the
/// same key in band `b` (`u64::MAX`: none), so each band is a chain through the window.
struct Slot {
    seq: u64,
    signature: Signature,
    group: u64,
    prev: [u64; NUM_BANDS],
}

pub struct Reprints {
    exact: HashMap<u64, u64>,
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
                out.reprints.insert(t, &from_bytes(&buf), g);
            }
        }
        Ok(out)
    }
}

impl Reprints {
    pub fn with_window(window: usize) -> Reprints {
        Reprints {
            exact: HashMap::new(),
            heads: HashMap::new(),
            slots: Vec::new(),
            window: window.max(1),
            next_seq: 0,
        }
    }

    fn insert(&mut self, text_hash: u64, minhash: &[u32], group: u64) {
        if text_hash != NO_TEXT {
            self.exact.entry(text_hash).or_insert(group);
        }
        let Some(signature) = compact(minhash) else {
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
            group,
            prev,
        };
        if at < self.slots.len() {
            self.slots[at] = slot;
        } else {
            self.slots.push(slot);
        }
    }

    /// The group of an article: an earlier copy's, or a new one named by `own_id`.
    /// Returns the group and whether a copy was found.
    pub fn assign(&mut self, own_id: u64, fp: &Fingerprint) -> (u64, bool) {
        let found = if fp.exact == NO_TEXT {
            None
        } else {
            self.exact
                .get(&fp.exact)
                .copied()
                .or_else(|| self.near(&fp.minhash))
        };
        let group = found.unwrap_or(own_id);
        self.insert(fp.exact, &fp.minhash, group);
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

    fn near(&self, minhash: &[u32]) -> Option<u64> {
        let signature = compact(minhash)?;
        let mut best: Option<(f64, u64)> = None;
        for (band, key) in keys(&signature).into_iter().enumerate() {
            let mut next = self.heads.get(&key).copied();
            let mut seen = 0;
            while let Some(slot) = next.and_then(|seq| self.slot(seq)) {
                if seen == MAX_CANDIDATES_PER_BAND {
                    break;
                }
                seen += 1;
                let s = similarity(&signature, &slot.signature);
                if s >= SAME_STORY && best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, slot.group));
                }
                next = Some(slot.prev[band]);
            }
        }
        best.map(|(_, g)| g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::fingerprint::fingerprint;

    fn story(n: usize) -> String {
        format!("第{n}号公告：国务院新闻办公室今日举行发布会，介绍今年以来农业生产和粮食安全工作进展，有关负责人回答记者提问，编号{n}。")
    }

    #[test]
    fn near_copies_are_found_only_within_the_window() {
        let mut r = Reprints::with_window(4);
        let original = "国务院新闻办公室今日举行发布会，介绍今年以来农业生产和粮食安全工作进展，有关负责人回答记者提问。农业农村部表示夏粮丰收已成定局。";
        let trimmed = "国务院新闻办公室今日举行发布会，介绍今年以来农业生产和粮食安全工作进展，有关负责人回答记者提问。农业农村部表示夏粮丰收。";
        assert_eq!(r.assign(1, &fingerprint(original)), (1, false));
        assert_eq!(r.assign(2, &fingerprint(trimmed)), (1, true));
        // Unrelated stories push the original out of the window.
        for (id, n) in (10..).zip(0..4) {
            let unrelated: String = (0..80)
                .map(|i| {
                    char::from_u32(0x4E00 + ((n * 977 + i * 131) % 20000) as u32).unwrap_or('字')
                })
                .collect();
            assert!(!r.assign(id, &fingerprint(&unrelated)).1);
        }
        let again = "国务院新闻办公室今日举行发布会，介绍今年以来农业生产和粮食安全工作进展，有关负责人回答记者提问。农业农村部表示夏粮丰收已成定局了。";
        assert_eq!(r.assign(4, &fingerprint(again)), (4, false));
        assert_eq!(
            r.assign(3, &fingerprint(trimmed)),
            (1, true),
            "exact copies match forever"
        );
        // Memory is bounded by the window, whatever the number of articles.
        for n in 0..100 {
            r.assign(100 + n as u64, &fingerprint(&story(n)));
        }
        assert!(r.slots.len() <= 4);
        assert!(r.heads.len() <= 4 * NUM_BANDS);
    }

    #[test]
    fn short_texts_stay_in_their_own_groups() {
        let mut r = Reprints::default();
        assert_eq!(r.assign(1, &fingerprint("")), (1, false));
        assert_eq!(r.assign(2, &fingerprint("")), (2, false));
        let story = "国务院新闻办公室今日举行发布会，介绍今年以来农业生产和粮食安全工作进展，有关负责人回答记者提问。";
        assert_eq!(r.assign(3, &fingerprint(story)), (3, false));
        assert_eq!(r.assign(4, &fingerprint(story)), (3, true));
    }
}
