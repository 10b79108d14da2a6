//! The HTTP API and search page (`zhnews serve`): read-only over an index, reloading on
//! each commit. Routes are built by [`routes`] so they can be tested without a socket.

mod cache;
mod openapi;
mod routes;

pub use cache::{CacheStats, ResponseCache};
pub use openapi::openapi;
pub use routes::{routes, ServeOptions};

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;

use crate::error::{Error, Result};
use crate::search::Engine;

/// Serves until `shutdown` completes. Returns the bound address through `on_bound` (port 0
/// picks a free port).
pub async fn serve(
    engine: Engine,
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
    let service = warp::service(routes(engine, options));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
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
            // hyper's header timer starts at the first byte: a client that connects and
            // sends nothing gets the same limit here.
            let mut first = [0u8; 1];
            match tokio::time::timeout(HEADER_READ_TIMEOUT, stream.peek(&mut first)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => return,
            }
            let mut builder = auto::Builder::new(TokioExecutor::new());
            // A client that sends its headers slowly, or holds an idle keep-alive
            // connection, is cut off instead of holding a socket forever (slowloris).
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
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

/// How long a client may take to send a request's headers, and how long an idle
/// keep-alive connection stays open.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
