//! Every error the API answers, as `{"error": {"code", "message"}}` with the status that
//! [`Error::fault`] decides, and `Retry-After` on a 503.

use serde::Serialize;
use warp::http::{header, HeaderValue, StatusCode};
use warp::reply::{self, Reply, Response};

use crate::error::{Error, Fault};

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: String,
}

/// A JSON error reply.
pub fn error_reply(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let mut r = reply::with_status(
        reply::json(&ErrorBody {
            error: ErrorDetail {
                code,
                message: message.into(),
            },
        }),
        status,
    )
    .into_response();
    if status == StatusCode::SERVICE_UNAVAILABLE {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    r
}

/// The reply for a library error.
pub fn from_error(e: Error) -> Response {
    let status = match e.fault() {
        Fault::User => StatusCode::BAD_REQUEST,
        Fault::NotFound => StatusCode::NOT_FOUND,
        Fault::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Fault::Ours => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let message = match e.fault() {
        // Ours: the detail goes to the log, the client learns only that it failed.
        Fault::Ours => {
            tracing::error!(error = %e, "request failed");
            "internal error".to_string()
        }
        // An index problem is logged with its path; the client is not told the path.
        Fault::Unavailable if matches!(e, Error::Index { .. } | Error::Corrupt { .. }) => {
            tracing::error!(error = %e, "index unavailable");
            "the index cannot be read now".to_string()
        }
        _ => e.to_string(),
    };
    error_reply(status, e.code(), message)
}
