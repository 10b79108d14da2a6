//! Caps that keep memory bounded whatever a crawl holds.

/// Pages larger than this are reported and skipped: no real article page is this big,
/// and parsing one would hold hundreds of megabytes.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// JSON lines longer than this are reported and skipped without being held in memory.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;
