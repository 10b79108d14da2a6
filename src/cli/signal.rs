//! Waiting for SIGINT or SIGTERM, the one way the binary is told to stop.

use anyhow::Result;

/// Completes on SIGINT or SIGTERM.
pub async fn stop_requested() {
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Runs `f` on SIGINT or SIGTERM, on a small thread with its own runtime.
pub fn on_signal(f: impl FnOnce() + Send + 'static) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::spawn(move || {
        rt.block_on(stop_requested());
        f();
    });
    Ok(())
}
