//! The `zhnews` command line: parses flags, calls the library, prints, maps errors to
//! exit codes (0 ok, 1 nothing found, 2 error). The subcommands live in `cli/`.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// jemalloc instead of glibc's malloc, whose per-thread arenas fragment under tantivy's
/// indexing threads (figures in benches/README.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ZHNEWS_LOG")
                .unwrap_or_else(|_| "warn,html5ever=off".into()),
        )
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let args = cli::Cli::parse_from(cli::query_words_last(std::env::args_os().collect()));
    // A panic is a bug, or an index damaged in a way no checksum was read for: either way
    // a message and exit status 2, not a backtrace and 101.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "zhnews: internal error ({info}); if the index may be damaged, `zhnews check` \
             names the damaged files"
        );
    }));
    match std::panic::catch_unwind(|| cli::run(args)) {
        Ok(Ok(code)) => code,
        Ok(Err(e)) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("zhnews: {e:#}");
            ExitCode::from(2)
        }
        Err(_) => ExitCode::from(2),
    }
}
