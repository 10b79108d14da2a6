//! Reprint grouping at index time: an exact text hash, then MinHash LSH candidates checked
//! by estimated Jaccard similarity. Each article gets the group of the first copy seen;
//! which copy leads a group (the earliest) is decided when results are shown.

use std::collections::HashMap;

use tantivy::Searcher;

use super::schema::{CONTENT_HASH, GROUP, ID_HASH, MINHASH, TEXT_HASH};
use crate::analyze::fingerprint::{
    band_keys, from_bytes, similarity, Fingerprint, NO_TEXT, SAME_STORY,
};
use crate::error::{Error, Result};

/// How many candidates of one band are compared; a band shared by very many texts
/// (templates, round-ups) says little.
const MAX_CANDIDATES_PER_BAND: usize = 64;

#[derive(Default)]
pub struct Reprints {
    exact: HashMap<u64, u64>,
    bands: HashMap<u64, Vec<u32>>,
    entries: Vec<(Box<[u32]>, u64)>,
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
    fn insert(&mut self, text_hash: u64, minhash: &[u32], group: u64) {
        if text_hash != NO_TEXT {
            self.exact.entry(text_hash).or_insert(group);
        }
        if minhash.is_empty() {
            return;
        }
        let idx = self.entries.len() as u32;
        self.entries.push((minhash.into(), group));
        for key in band_keys(minhash) {
            self.bands.entry(key).or_default().push(idx);
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

    fn near(&self, minhash: &[u32]) -> Option<u64> {
        if minhash.is_empty() {
            return None;
        }
        let mut best: Option<(f64, u64)> = None;
        for key in band_keys(minhash) {
            let Some(list) = self.bands.get(&key) else {
                continue;
            };
            for &idx in list.iter().take(MAX_CANDIDATES_PER_BAND) {
                let (other, group) = &self.entries[idx as usize];
                let s = similarity(minhash, other);
                if s >= SAME_STORY && best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, *group));
                }
            }
        }
        best.map(|(_, g)| g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::fingerprint::fingerprint;

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
