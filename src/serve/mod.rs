//! The HTTP API and search page (`zhnews serve`): read-only over an index, reloading on
//! each commit. Routes are built by [`routes`] so they can be tested without a socket.

mod openapi;
mod routes;

pub use openapi::openapi;
pub use routes::{routes, ServeOptions};

use std::future::Future;
use std::net::SocketAddr;

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
    warp::serve(routes(engine, options))
        .incoming(listener)
        .graceful(shutdown)
        .run()
        .await;
    Ok(())
}
