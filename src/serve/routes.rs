//! Routes, parameters, errors. Searches run on the blocking pool under a time budget.

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use warp::http::{header, StatusCode};
use warp::reply::{self, Reply, Response};
use warp::{Filter, Rejection};

use super::cache::ResponseCache;
use crate::error::Error;
use crate::search::export::{parse_fields, ExportFormat};
use crate::search::trend::Interval;
use crate::search::{Engine, SearchRequest, Sort, MAX_LIMIT};

const PAGE: &str = include_str!("page.html");
const CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Per-request budget; a search running longer ends with 503.
    pub time_budget: Duration,
    /// Memory for finished search responses (0 turns the cache off).
    pub cache_bytes: u64,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            time_budget: Duration::from_secs(2),
            cache_bytes: 64 << 20,
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: String,
}

fn error_reply(status: StatusCode, code: &str, message: String) -> Response {
    reply::with_status(
        reply::json(&ErrorBody {
            error: ErrorDetail { code, message },
        }),
        status,
    )
    .into_response()
}

fn from_error(e: Error) -> Response {
    match &e {
        Error::BadQuery(_) => error_reply(StatusCode::BAD_REQUEST, "bad_query", e.to_string()),
        Error::BadRequest(_) | Error::BadInput { .. } => {
            error_reply(StatusCode::BAD_REQUEST, "bad_request", e.to_string())
        }
        Error::NotFound(_) => error_reply(StatusCode::NOT_FOUND, "not_found", e.to_string()),
        Error::Timeout(_) => error_reply(StatusCode::SERVICE_UNAVAILABLE, "timeout", e.to_string()),
        _ => {
            // Ours: log the detail, tell the client only that it failed.
            tracing::error!(error = %e, "request failed");
            error_reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error".into(),
            )
        }
    }
}

fn json<T: Serialize>(v: &T) -> Response {
    reply::json(v).into_response()
}

/// A JSON body serialized earlier (a cached or just-computed search response).
fn json_bytes(body: Bytes) -> Response {
    let mut r = Response::new(body.into());
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    r
}

/// Query string to a map, refusing invalid UTF-8 in percent-encoding.
fn parse_query(raw: &str) -> Result<HashMap<String, Vec<String>>, Error> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            urlencoding::decode(&s.replace('+', " "))
                .map(|c| c.into_owned())
                .map_err(|_| Error::BadRequest(format!("parameter {k:?} is not valid UTF-8")))
        };
        out.entry(decode(k)?).or_default().push(decode(v)?);
    }
    Ok(out)
}

fn first<'a>(m: &'a HashMap<String, Vec<String>>, k: &str) -> Option<&'a str> {
    m.get(k)
        .and_then(|v| v.first())
        .map(String::as_str)
        .filter(|s| !s.is_empty())
}

fn required_q(m: &HashMap<String, Vec<String>>) -> Result<&str, Error> {
    first(m, "q").ok_or_else(|| Error::BadQuery("parameter q is required".into()))
}

fn date(m: &HashMap<String, Vec<String>>, k: &str) -> Result<Option<chrono::NaiveDate>, Error> {
    first(m, k)
        .map(|v| {
            v.parse()
                .map_err(|_| Error::BadRequest(format!("{k} {v:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

fn number(m: &HashMap<String, Vec<String>>, k: &str, default: usize) -> Result<usize, Error> {
    match first(m, k) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|_| Error::BadRequest(format!("{k} {v:?} is not a number"))),
    }
}

fn raw_q(raw: &str) -> String {
    parse_query(raw)
        .ok()
        .and_then(|m| first(&m, "q").map(str::to_string))
        .unwrap_or_default()
}

/// Writes into a bounded channel, so an export of any size holds a few chunks at most.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    buf: Vec<u8>,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::take(&mut self.buf);
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "client went away"))
    }
}

fn export_stream(engine: Engine, q: String, format: ExportFormat, fields: Vec<String>) -> Response {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::new(),
        };
        // A failure, even a panic, must end the stream with an error: a cleanly ended
        // stream would read as a complete (empty or short) export.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            engine.export(&q, format, &fields, &mut w)
        }));
        let failure = match result {
            Ok(Ok(_)) => None,
            Ok(Err(e)) => Some(e.to_string()),
            Err(_) => Some("internal error".to_string()),
        };
        if let Some(reason) = failure {
            tracing::warn!(error = %reason, "export ended early");
            let _ = tx.blocking_send(Err(std::io::Error::other(reason)));
        }
    });
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    let mut r = reply::stream(stream).into_response();
    let (ctype, ext) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::Jsonl => ("application/x-ndjson; charset=utf-8", "jsonl"),
    };
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(ctype),
    );
    if let Ok(v) =
        header::HeaderValue::from_str(&format!("attachment; filename=\"zhnews-export.{ext}\""))
    {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

fn search_request(m: &HashMap<String, Vec<String>>) -> Result<SearchRequest, Error> {
    let q = required_q(m)?;
    let mut req = SearchRequest::new(q);
    if let Some(l) = first(m, "limit") {
        req.limit = l
            .parse()
            .map_err(|_| Error::BadRequest(format!("limit {l:?} is not a number")))?;
        if req.limit == 0 || req.limit > MAX_LIMIT {
            return Err(Error::BadRequest(format!("limit must be 1..={MAX_LIMIT}")));
        }
    }
    req.cursor = first(m, "cursor").map(str::to_string);
    let date = |k: &str| -> Result<Option<chrono::NaiveDate>, Error> {
        first(m, k)
            .map(|v| {
                v.parse()
                    .map_err(|_| Error::BadRequest(format!("{k} {v:?} is not a date (YYYY-MM-DD)")))
            })
            .transpose()
    };
    req.from = date("from")?;
    req.to = date("to")?;
    req.source = first(m, "source").map(str::to_string);
    req.sort = match first(m, "sort") {
        None | Some("relevance") => Sort::Relevance,
        Some("date") => Sort::Date,
        Some(o) => {
            return Err(Error::BadRequest(format!(
                "sort {o:?} is not relevance or date"
            )))
        }
    };
    req.facets = matches!(first(m, "facets"), Some("true" | "1"));
    req.partial = matches!(first(m, "partial"), Some("true" | "1"));
    req.collapse = !matches!(first(m, "collapse"), Some("false" | "0"));
    req.exact_total = !matches!(first(m, "exact_total"), Some("false" | "0"));
    Ok(req)
}

/// Runs blocking work on the blocking pool, with the time budget.
async fn blocking<T: Send + 'static>(
    budget: Duration,
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let task = tokio::task::spawn_blocking(f);
    match tokio::time::timeout(budget, task).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(Error::Internal(format!("worker failed: {e}"))),
        Err(_) => Err(Error::Timeout(budget.as_millis() as u64)),
    }
}

/// Runs `f` under the budget and answers with its JSON or its error.
async fn respond<T: Serialize + Send + 'static>(
    budget: Duration,
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Response {
    match blocking(budget, f).await {
        Ok(v) => json(&v),
        Err(e) => from_error(e),
    }
}

fn raw_query() -> impl Filter<Extract = (String,), Error = Infallible> + Clone {
    warp::query::raw().or(warp::any().map(String::new)).unify()
}

pub fn routes(
    engine: Engine,
    options: ServeOptions,
) -> impl Filter<Extract = (impl Reply,), Error = Infallible> + Clone {
    let with = {
        let engine = engine.clone();
        warp::any().map(move || engine.clone())
    };
    let budget = options.time_budget;
    let cache = std::sync::Arc::new(ResponseCache::new(options.cache_bytes));

    let page = warp::path::end().and(warp::get()).map(|| {
        let mut r = reply::html(PAGE).into_response();
        r.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(CSP),
        );
        r
    });

    let search = warp::path!("api" / "search")
        .and(warp::get())
        .and(raw_query())
        .and(with.clone())
        .then({
            let cache = cache.clone();
            move |raw: String, engine: Engine| {
                let cache = cache.clone();
                async move {
                    // Keyed by the generation the reader holds now: after a commit is
                    // picked up, no earlier response can be served.
                    let generation = engine.searcher().generation().generation_id();
                    if let Some(body) = cache.get(generation, &raw) {
                        return json_bytes(body);
                    }
                    let mut req = match parse_query(&raw).and_then(|m| search_request(&m)) {
                        Ok(r) => r,
                        Err(e) => return from_error(e),
                    };
                    // The scan itself stops at the budget, so a timed-out request frees
                    // its thread.
                    req.budget = Some(budget);
                    let run = move || {
                        let resp = engine.search(&req)?;
                        serde_json::to_vec(&resp)
                            .map_err(|e| Error::Internal(format!("serialize: {e}")))
                    };
                    match blocking(budget, run).await {
                        Ok(body) => {
                            let body = Bytes::from(body);
                            cache.insert(generation, &raw, body.clone());
                            json_bytes(body)
                        }
                        Err(e) => from_error(e),
                    }
                }
            }
        });

    let article = warp::path!("api" / "articles" / String)
        .and(warp::get())
        .and(with.clone())
        .then(move |id: String, engine: Engine| async move {
            let id = match urlencoding::decode(&id) {
                Ok(i) => i.into_owned(),
                Err(_) => return from_error(Error::BadRequest("id is not valid UTF-8".into())),
            };
            match blocking(budget, move || engine.article(&id)).await {
                Ok(a) => json(&crate::extract::ExtractOutputWithId::from(&a)),
                Err(e) => from_error(e),
            }
        });

    let stats = warp::path!("api" / "stats")
        .and(warp::get())
        .and(with.clone())
        .then(move |engine: Engine| async move { respond(budget, move || engine.stats()).await });

    let health = warp::path!("healthz")
        .and(warp::get())
        .and(with.clone())
        .then(move |engine: Engine| {
            let cache = cache.clone();
            async move {
                match blocking(budget, move || engine.stats()).await {
                    Ok(s) => json(&serde_json::json!({
                        "status": "ok", "documents": s.documents, "last_commit": s.last_commit,
                        "cache": cache.stats(),
                    })),
                    Err(e) => from_error(e),
                }
            }
        });

    let related = warp::path!("api" / "articles" / String / "related")
        .and(warp::get())
        .and(raw_query())
        .and(with.clone())
        .then(move |id: String, raw: String, engine: Engine| async move {
            let params = parse_query(&raw).and_then(|m| {
                let id = urlencoding::decode(&id)
                    .map_err(|_| Error::BadRequest("id is not valid UTF-8".into()))?
                    .into_owned();
                let days = first(&m, "days")
                    .map(|d| {
                        d.parse::<u32>()
                            .map_err(|_| Error::BadRequest(format!("days {d:?} is not a number")))
                    })
                    .transpose()?;
                let limit = number(&m, "limit", 10)?;
                Ok((id, days, limit))
            });
            let (id, days, limit) = match params {
                Ok(p) => p,
                Err(e) => return from_error(e),
            };
            respond(budget, move || engine.related(&id, days, limit)).await
        });

    let trend = warp::path!("api" / "trend")
        .and(warp::get())
        .and(raw_query())
        .and(with.clone())
        .then(move |raw: String, engine: Engine| async move {
            let params = parse_query(&raw).and_then(|m| {
                let queries: Vec<String> = m
                    .get("q")
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|q| !q.is_empty())
                    .collect();
                if queries.is_empty() {
                    return Err(Error::BadQuery(
                        "parameter q is required (repeat it for several series)".into(),
                    ));
                }
                let interval: Interval = first(&m, "interval").unwrap_or("month").parse()?;
                let normalize = matches!(first(&m, "normalize"), Some("true" | "1"));
                let from = date(&m, "from")?;
                let to = date(&m, "to")?;
                Ok((queries, interval, normalize, from, to))
            });
            let (queries, interval, normalize, from, to) = match params {
                Ok(p) => p,
                Err(e) => return from_error(e),
            };
            respond(budget, move || {
                engine.trend(&queries, interval, normalize, from, to)
            })
            .await
        });

    let kwic = warp::path!("api" / "kwic")
        .and(warp::get())
        .and(raw_query())
        .and(with.clone())
        .then(move |raw: String, engine: Engine| async move {
            let params = parse_query(&raw).and_then(|m| {
                let q = required_q(&m)?.to_string();
                Ok((
                    q,
                    number(&m, "width", 20)?,
                    number(&m, "limit", 100)?.min(1000),
                ))
            });
            let (q, width, limit) = match params {
                Ok(p) => p,
                Err(e) => return from_error(e),
            };
            match blocking(budget, move || engine.kwic(&q, width, limit)).await {
                Ok(lines) => json(&serde_json::json!({"query": raw_q(&raw), "lines": lines})),
                Err(e) => from_error(e),
            }
        });

    let export = warp::path!("api" / "export")
        .and(warp::get())
        .and(raw_query())
        .and(with.clone())
        .then(move |raw: String, engine: Engine| async move {
            let params = parse_query(&raw).and_then(|m| {
                let q = required_q(&m)?.to_string();
                let format: ExportFormat = first(&m, "format").unwrap_or("csv").parse()?;
                let fields = parse_fields(first(&m, "fields"))?;
                // Parse now so a bad query is a 400, not a broken stream.
                engine.compile(&q, None, None, None)?;
                Ok((q, format, fields))
            });
            let (q, format, fields) = match params {
                Ok(p) => p,
                Err(e) => return from_error(e),
            };
            export_stream(engine, q, format, fields)
        });

    let spec = warp::path!("api" / "openapi.json")
        .and(warp::get())
        .map(|| json(&super::openapi()));

    page.or(search)
        .unify()
        .or(article)
        .unify()
        .or(related)
        .unify()
        .or(trend)
        .unify()
        .or(kwic)
        .unify()
        .or(export)
        .unify()
        .or(stats)
        .unify()
        .or(health)
        .unify()
        .or(spec)
        .unify()
        .recover(handle_rejection)
        .unify()
        .map(|mut r: Response| {
            let h = r.headers_mut();
            h.insert("x-content-type-options", header::HeaderValue::from_static("nosniff"));
            // Read-only GETs: simple CORS, no preflight needed.
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, header::HeaderValue::from_static("*"));
            r
        })
        .with(warp::log::custom(|info| {
            tracing::info!(method = %info.method(), path = info.path(), status = info.status().as_u16(), ms = info.elapsed().as_millis() as u64, "request");
        }))
}

async fn handle_rejection(r: Rejection) -> Result<Response, Infallible> {
    Ok(if r.is_not_found() {
        error_reply(StatusCode::NOT_FOUND, "not_found", "no such route".into())
    } else if r.find::<warp::reject::MethodNotAllowed>().is_some() {
        error_reply(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "only GET is served".into(),
        )
    } else if r.find::<warp::reject::PayloadTooLarge>().is_some() {
        error_reply(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "request too large".into(),
        )
    } else {
        error_reply(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "malformed request".into(),
        )
    })
}
