//! zhnews: a full-text search engine for Chinese news.
//!
//! # Layout
//!
//! The module tree is the pipeline; each stage hands the next exactly one type.
//!
//! - [`ingest`]: files, folders, JSON Lines and WARC in; [`ingest::Item`] out (a raw page
//!   with its bytes, or an article that was already extracted upstream). Handles gzip/zstd.
//! - [`extract`]: HTML bytes in, [`Article`] out. Charset detection, main-content detection,
//!   title, publish time, 来源/作者/责任编辑 bylines. The only stage that touches HTML.
//! - [`analyze`]: text normalization (full-width, case, traditional→simplified) and the two
//!   tokenizers (jieba words for ranking, CJK bigrams for exact substrings), registered by
//!   name in one function; people, places and organisations; reprint fingerprints (MinHash).
//! - [`pipeline`]: ingest → extract → analyze in input order, handing each analyzed article
//!   to an [`index::Indexer`].
//! - [`index`]: the tantivy schema, the Article ↔ document mapping, the writer (upsert by
//!   id, batched commits, reprint grouping) and the index settings kept beside the segments.
//! - [`search`]: the engine (ranking, hits, snippets) in three wings: `language` (the query
//!   language and its compilation), `ext` (tantivy extensions that know nothing of the
//!   language) and `research` (related stories, trends, KWIC, export, entity counts).
//! - [`cluster`]: the same search on a Manticore Search (or Sphinx) cluster: articles
//!   pushed pre-tokenized into the nodes' real-time indexes, queries compiled to
//!   SphinxQL's `MATCH()`, answers checked and shaped here as for a local index.
//! - [`backend`]: a local index or a cluster behind one set of calls (for the CLI and the
//!   server).
//! - [`serve`]: the warp HTTP API and the embedded search page.
//!
//! The library never prints and never exits; the `zhnews` binary does both.

pub mod analyze;
pub mod article;
pub mod backend;
pub mod cluster;
pub mod error;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod pipeline;
pub mod search;
pub mod serve;

pub use article::Article;
pub use error::{Error, Result};
