//! The tantivy index: schema, settings kept beside the segments, opening with checks,
//! and the writer (upsert by id, batched commits, reprint grouping).

mod dedup;
pub mod document;
mod open;
mod reading;
pub mod schema;
mod settings;
mod writer;

pub use dedup::{Grouping, Reprints};
pub use open::{create_or_open, open_existing, OpenIndex};
pub use schema::Fields;
pub use settings::IndexSettings;
pub use writer::{IndexOptions, IndexSummary, Indexer, Phase, Progress, Skipped};
