//! One error type for the library, split by whose fault it is: the user's input
//! (a bad query, a bad file: reported and skipped, HTTP 400) or ours (HTTP 500).

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A query the user wrote that does not parse or asks for too much.
    #[error("bad query: {0}")]
    BadQuery(String),
    /// A request parameter (limit, cursor, date) that is out of range or malformed.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// One input record (file, line, WARC record) that could not be used.
    #[error("{origin}: {reason}")]
    BadInput { origin: String, reason: String },
    /// No article with this id.
    #[error("no article with id {0:?}")]
    NotFound(String),
    /// The index directory is missing, foreign, or built with other analyzers.
    #[error("index {path}: {reason}")]
    Index { path: PathBuf, reason: String },
    /// Another process holds the writer lock.
    #[error("index {path} is being written by another process ({holder}); wait for it to finish")]
    Locked { path: PathBuf, holder: String },
    /// A search ran past its time budget.
    #[error("search took longer than {0} ms and was stopped")]
    Timeout(u64),
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("index engine: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("internal: {0}")]
    Internal(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn bad_input(origin: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::BadInput {
            origin: origin.into(),
            reason: reason.into(),
        }
    }

    /// True when the caller sent something wrong (HTTP 4xx), false when we failed.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            Error::BadQuery(_) | Error::BadRequest(_) | Error::BadInput { .. } | Error::NotFound(_)
        )
    }
}

impl From<tantivy::query::QueryParserError> for Error {
    fn from(e: tantivy::query::QueryParserError) -> Self {
        Error::BadQuery(e.to_string())
    }
}
