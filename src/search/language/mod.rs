//! The query language: what a user types (`query`: parse, lenient reading) and how it
//! becomes a tantivy query over zhnews's fields and analyzers (`compile`). Depends on
//! `ext` and `analyze`; only the engine (`search`) and the research tools depend on it.

pub mod compile;
pub mod query;
pub mod question;
