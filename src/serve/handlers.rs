//! One function per route: parameters to a library request, the request run in its lane
//! on the blocking pool under its deadline, the answer as JSON.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde::Serialize;
use warp::http::{header, HeaderValue, StatusCode};
use warp::reply::{self, Reply, Response};

use super::cache::ResponseCache;
use super::errors::{error_reply, from_error};
use super::lanes::{Lane, Lanes, Place};
use super::params::Params;
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::search::deadline::Deadline;
use crate::search::export::ExportFormat;
use crate::search::related::RelatedRequest;

/// What every handler shares.
#[derive(Clone)]
pub struct Context {
    pub engine: Backend,
    pub budget: Duration,
    pub lanes: Arc<Lanes>,
    pub cache: Arc<ResponseCache>,
}

fn json<T: Serialize>(v: &T) -> Response {
    match serde_json::to_vec(v) {
        Ok(body) => json_bytes(Bytes::from(body)),
        Err(e) => from_error(Error::Internal(format!("serialize: {e}"))),
    }
}

/// A JSON body serialized earlier (a cached or just-computed search response).
pub fn json_bytes(body: Bytes) -> Response {
    let mut r = Response::new(body.into());
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

impl Context {
    fn deadline(&self, arrived: Instant) -> Deadline {
        Deadline::since(arrived, self.budget)
    }

    /// Runs `f` on the blocking pool holding a place in `lane`, under the deadline. The
    /// scan itself stops at the deadline, so a timed-out request frees its thread.
    async fn run<T: Send + 'static>(
        &self,
        lane: &Lane,
        deadline: &Deadline,
        f: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let place = lane.enter(Some(deadline)).await?;
        let task = tokio::task::spawn_blocking(move || {
            let _place = place;
            f()
        });
        // A little past the deadline: the scan notices it and returns its own error.
        match tokio::time::timeout(deadline.remaining() + Duration::from_millis(100), task).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Err(Error::Internal(format!("worker failed: {e}"))),
            Err(_) => Err(Error::NoAnswer(deadline.budget().as_millis() as u64)),
        }
    }

    async fn respond<T: Serialize + Send + 'static>(
        &self,
        arrived: Instant,
        f: impl FnOnce(Deadline) -> Result<T> + Send + 'static,
    ) -> Response {
        let deadline = self.deadline(arrived);
        let d = deadline.clone();
        match self.run(&self.lanes.light, &deadline, move || f(d)).await {
            Ok(v) => json(&v),
            Err(e) => from_error(e),
        }
    }

    pub async fn search(self, raw: String, arrived: Instant) -> Response {
        // Keyed by the generation the reader holds now: after a commit is picked up, no
        // earlier response can be served.
        let generation = self.engine.generation();
        if let Some(body) = generation.and_then(|g| self.cache.get(g, &raw)) {
            return json_bytes(body);
        }
        let mut req = match Params::parse(&raw).and_then(|p| p.search()) {
            Ok(r) => r,
            Err(e) => return from_error(e),
        };
        let deadline = self.deadline(arrived);
        req.deadline = Some(deadline.clone());
        let engine = self.engine.clone();
        let lanes = self.lanes.clone();
        let run = move |light: Place| {
            // An expensive query gives up its light place and waits for the heavy lane.
            let mut places = vec![light];
            if engine.is_expensive(&req.query, req.syntax) {
                places.clear();
                places.push(lanes.heavy.enter_blocking(req.deadline.as_ref())?);
            }
            let resp = engine.search(&req)?;
            drop(places);
            serde_json::to_vec(&resp).map_err(|e| Error::Internal(format!("serialize: {e}")))
        };
        match self.run_in_light(&deadline, run).await {
            Ok(body) => {
                let body = Bytes::from(body);
                if let Some(g) = generation {
                    self.cache.insert(g, &raw, body.clone());
                }
                json_bytes(body)
            }
            Err(e) => from_error(e),
        }
    }

    /// Like [`Context::run`] in the light lane, handing the place to `f`, which may give
    /// it up (to wait for the heavy lane instead).
    async fn run_in_light<T: Send + 'static>(
        &self,
        deadline: &Deadline,
        f: impl FnOnce(Place) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let place = self.lanes.light.enter(Some(deadline)).await?;
        let task = tokio::task::spawn_blocking(move || f(place));
        match tokio::time::timeout(deadline.remaining() + Duration::from_millis(100), task).await {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => Err(Error::Internal(format!("worker failed: {e}"))),
            Err(_) => Err(Error::NoAnswer(deadline.budget().as_millis() as u64)),
        }
    }

    pub async fn article(self, id: String, arrived: Instant) -> Response {
        let id = match urlencoding::decode(&id) {
            Ok(i) => i.into_owned(),
            Err(_) => return from_error(Error::BadRequest("id is not valid UTF-8".into())),
        };
        let engine = self.engine.clone();
        self.respond(arrived, move |_| {
            let (a, entities) = engine.article_with_entities(&id)?;
            let mut shown = crate::extract::ExtractOutputWithId::from(&a);
            shown.entities = Some(&entities);
            serde_json::to_value(shown).map_err(|e| Error::Internal(format!("serialize: {e}")))
        })
        .await
    }

    pub async fn related(self, id: String, raw: String, arrived: Instant) -> Response {
        let params = Params::parse(&raw).and_then(|p| {
            let id = urlencoding::decode(&id)
                .map_err(|_| Error::BadRequest("id is not valid UTF-8".into()))?
                .into_owned();
            let days = p
                .get("days")
                .map(|d| {
                    d.parse::<u32>()
                        .map_err(|_| Error::BadRequest(format!("days {d:?} is not a number")))
                })
                .transpose()?;
            Ok((id, days, p.number("limit", 10)?))
        });
        let (id, days, limit) = match params {
            Ok(p) => p,
            Err(e) => return from_error(e),
        };
        let engine = self.engine.clone();
        self.respond(arrived, move |d| {
            let mut req = RelatedRequest::new(id);
            req.days = days;
            req.limit = limit;
            req.deadline = Some(d);
            engine.related(&req)
        })
        .await
    }

    pub async fn trend(self, raw: String, arrived: Instant) -> Response {
        let mut req = match Params::parse(&raw).and_then(|p| p.trend()) {
            Ok(r) => r,
            Err(e) => return from_error(e),
        };
        let engine = self.engine.clone();
        self.respond(arrived, move |d| {
            req.deadline = Some(d);
            engine.trend(&req)
        })
        .await
    }

    pub async fn kwic(self, raw: String, arrived: Instant) -> Response {
        let mut req = match Params::parse(&raw).and_then(|p| p.kwic()) {
            Ok(r) => r,
            Err(e) => return from_error(e),
        };
        let engine = self.engine.clone();
        self.respond(arrived, move |d| {
            req.deadline = Some(d);
            engine.kwic(&req)
        })
        .await
    }

    pub async fn entities(self, raw: String, arrived: Instant) -> Response {
        let mut req = match Params::parse(&raw).and_then(|p| p.entities()) {
            Ok(r) => r,
            Err(e) => return from_error(e),
        };
        let engine = self.engine.clone();
        self.respond(arrived, move |d| {
            req.deadline = Some(d);
            engine.entities(&req)
        })
        .await
    }

    pub async fn stats(self, arrived: Instant) -> Response {
        let engine = self.engine.clone();
        self.respond(arrived, move |_| {
            let mut v = serde_json::to_value(engine.stats()?)
                .map_err(|e| Error::Internal(e.to_string()))?;
            // Where the index lives on disk is nobody's business over HTTP.
            if let Some(o) = v.as_object_mut() {
                o.remove("path");
            }
            Ok(v)
        })
        .await
    }

    pub async fn health(self, arrived: Instant) -> Response {
        let engine = self.engine.clone();
        let cache = self.cache.clone();
        let deadline = self.deadline(arrived);
        let checked = self
            .run(&self.lanes.light, &deadline, move || {
                engine.check_readable()
            })
            .await;
        match checked {
            Ok(s) => json(&serde_json::json!({
                "status": "ok", "documents": s.documents, "last_commit": s.last_commit,
                "cache": cache.stats(),
            })),
            Err(e) => {
                let mut r = from_error(e);
                if r.status() != StatusCode::SERVICE_UNAVAILABLE {
                    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                }
                r
            }
        }
    }

    pub async fn export(self, raw: String) -> Response {
        let req = match Params::parse(&raw).and_then(|p| p.export()) {
            Ok(r) => r,
            Err(e) => return from_error(e),
        };
        // Read now so a bad query is a 400, not a broken stream.
        if let Err(e) = self
            .engine
            .check_query(&req.query, req.syntax, &req.filters)
        {
            return from_error(e);
        }
        let place = match self.lanes.export.enter(None).await {
            Ok(p) => p,
            Err(e) => return from_error(e),
        };
        export_stream(self.engine.clone(), req, place)
    }
}

/// Writes into a bounded channel, so an export of any size holds a few chunks at most.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<std::result::Result<Vec<u8>, std::io::Error>>,
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

fn export_stream(
    engine: Backend,
    req: crate::search::export::ExportRequest,
    place: Place,
) -> Response {
    let format = req.format;
    let (tx, mut rx) =
        tokio::sync::mpsc::channel::<std::result::Result<Vec<u8>, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let _place = place;
        let mut w = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::new(),
        };
        // A failure, even a panic, must end the stream with an error: a cleanly ended
        // stream would read as a complete (empty or short) export.
        let result =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.export(&req, &mut w)));
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
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"zhnews-export.{ext}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The reply for a route that does not exist.
pub fn not_found() -> Response {
    error_reply(StatusCode::NOT_FOUND, "not_found", "no such route")
}
