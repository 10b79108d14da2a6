//! The research tools built on the engine: related stories, trends and their chart, keyword
//! in context, export and entity counts. They use the engine (`search`) and the language;
//! nothing in the engine depends on them.

pub mod chart;
pub mod entities;
pub mod export;
pub mod kwic;
pub mod related;
pub mod trend;
