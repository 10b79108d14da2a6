//! One error type for the library. Whose fault an error is, is decided here and nowhere
//! else ([`Error::fault`]): the user's input (a bad query, a bad file: reported and
//! skipped, HTTP 400), something missing (404), the service being unable to answer now
//! (a time budget, a full queue, an unreadable index: 503), or ours (HTTP 500). The CLI's
//! exit codes and the server's statuses both follow it.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A query the user wrote that does not parse or asks for too much.
    #[error("bad query: {0}")]
    BadQuery(String),
    /// A request parameter (limit, cursor, date) that is out of range or malformed.
    #[error("{0}")]
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
    /// A file of the index is damaged (a checksum or a read failed).
    #[error("index file {path} is damaged: {reason}; rebuild the index (zhnews index … into a new folder)")]
    Corrupt { path: PathBuf, reason: String },
    /// Another process holds the writer lock.
    #[error("index {path} is being written by another process ({holder}); wait for it to finish")]
    Locked { path: PathBuf, holder: String },
    /// Work ran past its time budget and was stopped.
    #[error("the request took longer than its budget of {0} ms and was stopped")]
    Timeout(u64),
    /// No answer came within the budget (the work was not stopped; it ends on its own).
    #[error("no answer within the budget of {0} ms")]
    NoAnswer(u64),
    /// A request waited for its turn past its budget and was never started.
    #[error("the server was busy for the whole budget of {0} ms; the request was not started")]
    NotStarted(u64),
    /// Too many requests at once; try again after a moment.
    #[error("the server is busy with other requests; try again in {retry_after_s} s")]
    Busy { retry_after_s: u64 },
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A cluster that cannot answer, or not completely: a node unreachable, down or too
    /// slow, an answer some node left out of, an index built by another zhnews.
    #[error("cluster {target}: {reason}")]
    Cluster { target: String, reason: String },
    #[error("index engine: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("internal: {0}")]
    Internal(String),
}

/// Whose fault an error is, which decides the CLI's exit code and the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The request or input was wrong (HTTP 400).
    User,
    /// What was asked for does not exist (HTTP 404).
    NotFound,
    /// The service cannot answer now: a time budget, a full queue, an unreadable or
    /// locked index (HTTP 503).
    Unavailable,
    /// Ours (HTTP 500).
    Ours,
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

    pub fn fault(&self) -> Fault {
        match self {
            Error::BadQuery(_) | Error::BadRequest(_) | Error::BadInput { .. } => Fault::User,
            Error::NotFound(_) => Fault::NotFound,
            Error::Timeout(_)
            | Error::NoAnswer(_)
            | Error::NotStarted(_)
            | Error::Busy { .. }
            | Error::Index { .. }
            | Error::Corrupt { .. }
            | Error::Locked { .. }
            | Error::Cluster { .. } => Fault::Unavailable,
            Error::Io { .. } | Error::Tantivy(_) | Error::Internal(_) => Fault::Ours,
        }
    }

    /// True when the caller sent something wrong (HTTP 4xx), false otherwise.
    pub fn is_user_error(&self) -> bool {
        matches!(self.fault(), Fault::User | Fault::NotFound)
    }

    /// A short machine-readable name for the error, as the HTTP API reports it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::BadQuery(_) => "bad_query",
            Error::BadRequest(_) | Error::BadInput { .. } => "bad_request",
            Error::NotFound(_) => "not_found",
            Error::Timeout(_) | Error::NoAnswer(_) | Error::NotStarted(_) => "timeout",
            Error::Busy { .. } => "busy",
            Error::Index { .. } | Error::Corrupt { .. } | Error::Locked { .. } => {
                "index_unavailable"
            }
            Error::Cluster { .. } => "cluster_unavailable",
            Error::Io { .. } | Error::Tantivy(_) | Error::Internal(_) => "internal",
        }
    }
}

impl From<tantivy::query::QueryParserError> for Error {
    fn from(e: tantivy::query::QueryParserError) -> Self {
        Error::BadQuery(e.to_string())
    }
}
