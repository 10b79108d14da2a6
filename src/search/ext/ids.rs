//! Article ids by document, held in memory per segment. The id column's dictionary is
//! zstd-compressed in blocks, and looking up one id there cost ~20 µs (a fresh
//! decompression context each time): a fifth of a headline query that returns ten ids.
//! Read once, the ids of 76k articles take ~2 MB.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DocAddress, Searcher};

use crate::error::{Error, Result};
use crate::index::schema::ID;

struct SegmentIds {
    ords: Column<u64>,
    names: Vec<Box<str>>,
}

#[derive(Clone, Default)]
pub struct IdTables {
    segments: Arc<RwLock<HashMap<SegmentId, Arc<SegmentIds>>>>,
}

impl IdTables {
    /// The id of the article at `address` ("" if it has none).
    pub fn id(&self, searcher: &Searcher, address: DocAddress) -> Result<String> {
        let segment = self.segment(searcher, address)?;
        Ok(segment
            .ords
            .first(address.doc_id)
            .and_then(|ord| segment.names.get(ord as usize))
            .map(|s| s.to_string())
            .unwrap_or_default())
    }

    fn segment(&self, searcher: &Searcher, address: DocAddress) -> Result<Arc<SegmentIds>> {
        let reader = searcher.segment_reader(address.segment_ord);
        let key = reader.segment_id();
        if let Some(s) = self.read().get(&key) {
            return Ok(s.clone());
        }
        let column_error = |e: std::io::Error| Error::Internal(format!("id column: {e}"));
        let built = match reader.fast_fields().str(ID)? {
            Some(col) => {
                let mut names = Vec::with_capacity(col.num_terms());
                let mut terms = col.dictionary().stream().map_err(column_error)?;
                while terms.advance() {
                    names.push(String::from_utf8_lossy(terms.key()).into());
                }
                let (_, ords) = col.into_parts();
                SegmentIds { ords, names }
            }
            None => SegmentIds {
                ords: Column::build_empty_column(reader.max_doc()),
                names: Vec::new(),
            },
        };
        let built = Arc::new(built);
        let mut map = self.segments.write().unwrap_or_else(|p| p.into_inner());
        // Segments merged away since are dropped with their ids.
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        map.retain(|id, _| live.contains(id));
        map.insert(key, built.clone());
        Ok(built)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<SegmentId, Arc<SegmentIds>>> {
        self.segments.read().unwrap_or_else(|p| p.into_inner())
    }
}
