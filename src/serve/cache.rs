//! Finished search responses, kept by the index generation they were computed on and the
//! request's query string (like Elasticsearch's request cache). Bots and search pages
//! repeat the same requests; a hit costs a hash lookup instead of a scan, and a commit
//! picked up by the reader changes the generation, so nothing stale is ever served.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use quick_cache::sync::Cache;
use quick_cache::Weighter;
use serde::Serialize;

type Key = (u64, String);

/// Weighs an entry by its bytes, so the cap is on memory, not on entries.
#[derive(Clone)]
struct ByteWeight;

impl Weighter<Key, Bytes> for ByteWeight {
    fn weight(&self, key: &Key, body: &Bytes) -> u64 {
        (key.1.len() + body.len() + 64) as u64
    }
}

/// A bounded, shared response cache; `max_bytes = 0` turns it off.
pub struct ResponseCache {
    entries: Option<Cache<Key, Bytes, ByteWeight>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub entries: usize,
    pub bytes: u64,
    pub max_bytes: u64,
}

/// Responses larger than this are not kept: one deep export-sized page must not evict
/// hundreds of ordinary ones.
const MAX_ENTRY_BYTES: usize = 256 * 1024;

impl ResponseCache {
    pub fn new(max_bytes: u64) -> Self {
        // Ordinary responses are 2–20 KB.
        let estimated = (max_bytes / 8192).max(16) as usize;
        ResponseCache {
            entries: (max_bytes > 0)
                .then(|| Cache::with_weighter(estimated, max_bytes, ByteWeight)),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub fn get(&self, generation: u64, request: &str) -> Option<Bytes> {
        let entries = self.entries.as_ref()?;
        // The lookup key borrows nothing, so it is built once per request.
        let found = entries.get(&(generation, request.to_string()));
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    pub fn insert(&self, generation: u64, request: &str, body: Bytes) {
        if let Some(entries) = &self.entries {
            if body.len() <= MAX_ENTRY_BYTES {
                entries.insert((generation, request.to_string()), body);
            }
        }
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            entries: self.entries.as_ref().map_or(0, |c| c.len()),
            bytes: self.entries.as_ref().map_or(0, |c| c.weight()),
            max_bytes: self.entries.as_ref().map_or(0, |c| c.capacity()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_only_for_the_same_generation_and_request() {
        let cache = ResponseCache::new(1 << 20);
        cache.insert(1, "q=a", Bytes::from_static(b"{}"));
        assert_eq!(cache.get(1, "q=a").as_deref(), Some(&b"{}"[..]));
        assert!(cache.get(2, "q=a").is_none(), "a new commit must miss");
        assert!(cache.get(1, "q=b").is_none());
        let s = cache.stats();
        assert_eq!((s.hits, s.misses, s.entries), (1, 2, 1));
    }

    #[test]
    fn stays_under_its_byte_cap_and_can_be_off() {
        let cache = ResponseCache::new(64 * 1024);
        for i in 0..1000 {
            cache.insert(1, &format!("q={i}"), Bytes::from(vec![b'x'; 1000]));
        }
        assert!(cache.stats().bytes <= 64 * 1024, "{:?}", cache.stats());
        cache.insert(1, "big", Bytes::from(vec![b'x'; MAX_ENTRY_BYTES + 1]));
        assert!(cache.get(1, "big").is_none());

        let off = ResponseCache::new(0);
        off.insert(1, "q=a", Bytes::from_static(b"{}"));
        assert!(off.get(1, "q=a").is_none());
    }
}
