//! Extensions of tantivy that know nothing of the query language: a one-character prefix
//! match, "enough" top-k, deadlines, the match collector, cursors, id lookups, columns
//! opened once per segment and the BM25 statistics cache. May depend on `index` and
//! `analyze`, never on `language` or `research`.

pub mod collect;
pub(crate) mod columns;
pub(crate) mod cursor;
pub mod deadline;
pub(crate) mod enough;
pub(crate) mod ids;
pub(crate) mod prefix;
pub(crate) mod stats;
