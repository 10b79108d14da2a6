//! The route table and what every response shares: methods (GET and HEAD, OPTIONS for
//! CORS preflight, 405 with `Allow` otherwise), the optional bearer token (on every route but
//! the page and its script), CORS for named origins only, `Cache-Control` and `ETag` on what
//! can be cached, and size limits on the request line and headers, answered as JSON like
//! every other error.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use warp::filters::path::FullPath;
use warp::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use warp::reply::Response;
use warp::Filter;

use super::cache::ResponseCache;
use super::errors::error_reply;
use super::handlers::{json_bytes, not_found, Context};
use super::lanes::Lanes;
use crate::backend::Backend;

const PAGE: &str = include_str!("page.html");
const APP: &str = include_str!("app.js");
/// The page's script is a file of its own, so no inline script is ever allowed.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
/// Longest request target (path and query) accepted.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Most header bytes accepted.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Headers a request may have.
pub const MAX_HEADER_COUNT: usize = 100;
const ALLOW: &str = "GET, HEAD, OPTIONS";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Per-request budget, counted from when the request arrives; past it, 503.
    pub time_budget: Duration,
    /// Memory for finished search responses (0 turns the cache off).
    pub cache_bytes: u64,
    /// Requests that run at once (default: the cores); more wait in a bounded queue.
    pub workers: usize,
    /// Exports streaming at once.
    pub exports: usize,
    /// Origins whose pages may read the API (CORS); none by default.
    pub cors: Vec<String>,
    /// When set, every route but the page and its script wants `Authorization: Bearer TOKEN`
    /// (or `access_token=TOKEN`).
    pub token: Option<String>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            time_budget: Duration::from_secs(2),
            cache_bytes: 64 << 20,
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            exports: 2,
            cors: Vec::new(),
            token: None,
        }
    }
}

fn raw_query() -> impl Filter<Extract = (String,), Error = Infallible> + Clone {
    warp::query::raw().or(warp::any().map(String::new)).unify()
}

pub fn routes(
    engine: impl Into<Backend>,
    options: ServeOptions,
) -> impl Filter<Extract = (Response,), Error = Infallible> + Clone {
    let ctx = Context {
        engine: engine.into(),
        budget: options.time_budget,
        lanes: Arc::new(Lanes::new(options.workers, options.exports)),
        cache: Arc::new(ResponseCache::new(options.cache_bytes)),
    };
    let options = Arc::new(options);
    warp::any()
        .and(warp::method())
        .and(warp::path::full())
        .and(raw_query())
        .and(warp::header::headers_cloned())
        .then(
            move |method: Method, path: FullPath, raw: String, headers: HeaderMap| {
                let ctx = ctx.clone();
                let options = options.clone();
                async move {
                    let arrived = Instant::now();
                    let target = format!("{}?{raw}", path.as_str());
                    let r = dispatch(
                        &ctx,
                        &options,
                        &method,
                        path.as_str(),
                        raw,
                        &headers,
                        arrived,
                    )
                    .await;
                    let path = target;
                    let r = finish(r, &ctx, &options, &method, &path, &headers);
                    tracing::info!(method = %method, path = %path, status = r.status().as_u16(),
                        ms = arrived.elapsed().as_millis() as u64, "request");
                    r
                }
            },
        )
}

/// The request's bearer token, from the header or the `access_token` parameter.
fn token_given(headers: &HeaderMap, raw: &str) -> Option<String> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        return v.strip_prefix("Bearer ").map(|t| t.trim().to_string());
    }
    raw.split('&')
        .find_map(|p| p.strip_prefix("access_token="))
        .and_then(|t| urlencoding::decode(t).ok().map(|t| t.into_owned()))
}

/// Compares without stopping at the first difference, so the time taken says nothing of
/// how much of the token was right.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

async fn dispatch(
    ctx: &Context,
    options: &ServeOptions,
    method: &Method,
    path: &str,
    raw: String,
    headers: &HeaderMap,
    arrived: Instant,
) -> Response {
    if path.len() + raw.len() > MAX_URI_BYTES {
        return error_reply(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request path and query are over {MAX_URI_BYTES} bytes"),
        );
    }
    let header_bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return error_reply(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!("the request headers are over {MAX_HEADER_BYTES} bytes"),
        );
    }
    if headers.len() > MAX_HEADER_COUNT {
        return error_reply(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!("the request has over {MAX_HEADER_COUNT} headers"),
        );
    }
    if method == Method::OPTIONS {
        let mut r = Response::new(Default::default());
        *r.status_mut() = StatusCode::NO_CONTENT;
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(ALLOW));
        return r;
    }
    if method != Method::GET && method != Method::HEAD {
        let mut r = error_reply(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("{method} is not served here; the API is read-only ({ALLOW})"),
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static(ALLOW));
        return r;
    }
    // The page and its script hold no data, and the script is fetched without the token:
    // the page reads the token from its own URL and sends it on every API call.
    let static_file = matches!(path, "/" | "/app.js");
    if let Some(want) = options.token.as_ref().filter(|_| !static_file) {
        if !token_given(headers, &raw).is_some_and(|t| same_secret(&t, want)) {
            let mut r = error_reply(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "this server wants a bearer token (Authorization: Bearer …)",
            );
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
    }
    let ctx = ctx.clone();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        [""] => page(PAGE, "text/html; charset=utf-8"),
        ["app.js"] => page(APP, "text/javascript; charset=utf-8"),
        ["api", "search"] => ctx.search(raw, arrived).await,
        ["api", "articles", id] => ctx.article(id.to_string(), arrived).await,
        ["api", "articles", id, "related"] => ctx.related(id.to_string(), raw, arrived).await,
        ["api", "trend"] => ctx.trend(raw, arrived).await,
        ["api", "kwic"] => ctx.kwic(raw, arrived).await,
        ["api", "entities"] => ctx.entities(raw, arrived).await,
        ["api", "export"] => ctx.export(raw).await,
        ["api", "stats"] => ctx.stats(arrived).await,
        ["healthz"] => ctx.health(arrived).await,
        ["api", "openapi.json"] => json_bytes(bytes::Bytes::from(
            serde_json::to_vec(&super::openapi()).unwrap_or_default(),
        )),
        _ => not_found(),
    }
}

fn page(body: &'static str, content_type: &'static str) -> Response {
    let mut r = Response::new(body.into());
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    r
}

/// Headers every response gets, and a 304 where the client already holds this answer.
/// `target` is the request's path and query.
fn finish(
    mut r: Response,
    ctx: &Context,
    options: &ServeOptions,
    method: &Method,
    target: &str,
    headers: &HeaderMap,
) -> Response {
    let streamed = r.headers().contains_key(header::CONTENT_DISPOSITION);
    let path = target.split('?').next().unwrap_or_default();
    let static_file = matches!(path, "/" | "/app.js");
    // An answer depends on the request and on what the index held when it was made; a
    // cluster's answers can change at any time, so they are neither tagged nor cached.
    let version = if static_file {
        Some(env!("CARGO_PKG_VERSION").to_string())
    } else {
        ctx.engine.generation().map(|g| g.to_string())
    };
    if let Some(version) =
        version.filter(|_| r.status() == StatusCode::OK && !streamed && method == Method::GET)
    {
        let tag = format!(
            "\"{:016x}\"",
            crate::index::schema::hash64(format!("{version}\u{0}{target}").as_bytes())
        );
        let cache_control = if static_file {
            "public, max-age=300"
        } else {
            "no-cache"
        };
        let h = r.headers_mut();
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        if let Ok(v) = HeaderValue::from_str(&tag) {
            let fresh = headers
                .get(header::IF_NONE_MATCH)
                .is_some_and(|given| given == v);
            h.insert(header::ETAG, v);
            if fresh {
                *r.status_mut() = StatusCode::NOT_MODIFIED;
                *r.body_mut() = Default::default();
            }
        }
    } else if !streamed {
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let h = r.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // Pages on other sites may read the API only when their origin is named.
    if let Some(origin) = headers.get(header::ORIGIN) {
        if options
            .cors
            .iter()
            .any(|o| o.as_bytes() == origin.as_bytes())
        {
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
            h.insert(header::VARY, HeaderValue::from_static("Origin"));
            if method == Method::OPTIONS {
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_METHODS,
                    HeaderValue::from_static(ALLOW),
                );
                h.insert(
                    header::ACCESS_CONTROL_ALLOW_HEADERS,
                    HeaderValue::from_static("authorization, content-type"),
                );
                h.insert(
                    header::ACCESS_CONTROL_MAX_AGE,
                    HeaderValue::from_static("600"),
                );
            }
        }
    }
    r
}
