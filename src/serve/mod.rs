//! The HTTP API and search page (`zhnews serve`): read-only over an index, reloading on
//! each commit. Routes are built by [`routes`] so they can be tested without a socket;
//! [`serve`] runs them over HTTP/1.1 with limits on every connection.
//!
//! - `routes.rs`: the route table, methods, token, CORS, caching headers, size limits.
//! - `handlers.rs`: one function per route.
//! - `params.rs`: query strings to the library's requests.
//! - `lanes.rs`: how many requests run at once, cheap and expensive ones apart.
//! - `errors.rs`: every error as JSON with the status its fault decides.
//! - `conn.rs`: a connection that is closed once it makes no progress.

mod cache;
mod conn;
mod errors;
mod handlers;
mod lanes;
mod openapi;
mod params;
mod routes;

pub use cache::{CacheStats, ResponseCache};
pub use openapi::openapi;
pub use routes::{routes, ServeOptions, MAX_HEADER_BYTES, MAX_HEADER_COUNT, MAX_URI_BYTES};

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;

use crate::backend::Backend;
use crate::error::{Error, Result};

/// The search request the API makes of a query string (`q=…&limit=…`), as `/api/search`
/// would run it.
pub fn request_of(raw: &str) -> Result<crate::search::SearchRequest> {
    params::Params::parse(raw)?.search()
}

/// How long a connection may go without reading or writing a byte: a client that sends
/// its headers slowly, holds an idle keep-alive connection, or stops reading an export is
/// cut off instead of holding a socket and a thread.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections open at once; more wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 1024;
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// What hyper may buffer of a request head: a 1 MB header still reaches the routes' JSON
/// 431; beyond it, hyper closes the connection.
const MAX_BUF_BYTES: usize = 1536 * 1024;

/// Serves until `shutdown` completes. Returns the bound address through `on_bound` (port 0
/// picks a free port).
pub async fn serve(
    engine: impl Into<Backend>,
    addr: SocketAddr,
    options: ServeOptions,
    on_bound: impl FnOnce(SocketAddr),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Internal(format!("cannot listen on {addr}: {e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Error::Internal(e.to_string()))?;
    on_bound(bound);
    let engine: Backend = engine.into();
    let service = warp::service(routes(engine, options));
    let graceful = GracefulShutdown::new();
    let connections = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            s = connections.clone().acquire_owned() => match s {
                Ok(s) => s,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(service.clone());
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            let _slot = slot;
            // A request line hyper would refuse with an empty body gets our JSON error.
            // The line's method, target, spaces, version and CRLF around the longest target.
            let max_line = MAX_URI_BYTES + 64;
            match conn::check_request_line(&stream, IDLE_TIMEOUT, max_line).await {
                conn::Line::Ok => {}
                conn::Line::Closed => return,
                conn::Line::Bad(reply) => {
                    conn::write_and_close(stream, &reply).await;
                    return;
                }
            }
            let io = conn::Idle::new(stream, IDLE_TIMEOUT);
            let builder = auto::Builder::new(TokioExecutor::new());
            // HTTP/1.1 only: its idle and header limits hold for every connection.
            let mut builder = builder.http1_only();
            // Room for hyper to read what the routes then refuse with a JSON 431 (hyper's
            // own refusals have no body).
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(IDLE_TIMEOUT)
                .max_headers(MAX_HEADER_COUNT * 4)
                .max_buf_size(MAX_BUF_BYTES);
            let conn = builder.serve_connection(TokioIo::new(io), service);
            if let Err(e) = watcher.watch(conn).await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    // Let requests in flight finish, but not forever.
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {}
    }
    Ok(())
}
