//! Fast-field columns opened once per segment, on first use. Opening a column looks it up
//! by name, which costs more than reading a value, and a loop over hits comes back to the
//! same few segments.

use tantivy::{Searcher, SegmentOrdinal, SegmentReader};

use crate::error::{Error, Result};

pub struct PerSegment<'a, T, F> {
    searcher: &'a Searcher,
    open: F,
    opened: Vec<Option<T>>,
}

impl<'a, T, F> PerSegment<'a, T, F>
where
    F: Fn(&SegmentReader) -> Result<T>,
{
    /// `open` reads what a segment needs (its columns) when the segment is first asked for.
    pub fn new(searcher: &'a Searcher, open: F) -> Self {
        let opened = (0..searcher.segment_readers().len())
            .map(|_| None)
            .collect();
        PerSegment {
            searcher,
            open,
            opened,
        }
    }

    pub fn get(&mut self, segment: SegmentOrdinal) -> Result<&T> {
        let slot = self
            .opened
            .get_mut(segment as usize)
            .ok_or_else(|| Error::Internal(format!("no segment {segment} in this searcher")))?;
        if slot.is_none() {
            *slot = Some((self.open)(self.searcher.segment_reader(segment))?);
        }
        slot.as_ref()
            .ok_or_else(|| Error::Internal("a segment's columns did not open".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn each_segment_opens_once() {
        let index = tantivy::Index::create_in_ram(tantivy::schema::Schema::builder().build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
        writer
            .add_document(tantivy::TantivyDocument::default())
            .expect("add");
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let opens = Cell::new(0);
        let mut columns = PerSegment::new(&searcher, |r: &SegmentReader| {
            opens.set(opens.get() + 1);
            Ok(r.max_doc())
        });
        assert_eq!(*columns.get(0).expect("segment 0"), 1);
        assert_eq!(*columns.get(0).expect("segment 0 again"), 1);
        assert_eq!(opens.get(), 1);
        assert!(columns.get(7).is_err());
    }
}
