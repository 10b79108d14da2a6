//! Shared helpers: build an index in a temp dir, find the shared data.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use zhnews::index::{create_or_open, IndexOptions, IndexSummary, Indexer};
use zhnews::search::{Engine, SearchRequest, SearchResponse};

pub fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn corpus() -> PathBuf {
    project().join("corpus")
}

/// `../shared/data/NAME`, or None (with a note on stderr) when it is not there.
pub fn shared_data(name: &str) -> Option<PathBuf> {
    let p = project().join("../shared/data").join(name);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "NOTE: {} is absent; this check needs ../shared/data",
            p.display()
        );
        None
    }
}

/// The 76k-article news corpus, decompressed, or None when ../shared/data is absent.
pub fn news_text() -> Option<String> {
    let dir = shared_data("news-text")?;
    let file = std::fs::File::open(dir.join("xwlb-2012-2026.jsonl.zst")).expect("open news-text");
    Some(String::from_utf8(zstd::decode_all(file).expect("decompress news-text")).expect("utf8"))
}

/// A real `zhnews serve` on a free loopback port, stopped by `stop`.
pub struct TestServer {
    pub addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<zhnews::Result<()>>>,
}

impl TestServer {
    pub fn start(engine: Engine) -> TestServer {
        TestServer::start_with(engine, zhnews::serve::ServeOptions::default())
    }

    pub fn start_with(engine: Engine, options: zhnews::serve::ServeOptions) -> TestServer {
        let rt = tokio::runtime::Runtime::new().expect("rt");
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            rt.block_on(zhnews::serve::serve(
                engine,
                "127.0.0.1:0".parse().expect("addr"),
                options,
                move |a| {
                    let _ = tx.send(a);
                },
                async move {
                    let _ = stop_rx.await;
                },
            ))
        });
        let addr = rx.recv().expect("server bound");
        TestServer {
            addr,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// Shuts down gracefully and reports how the server ended.
    pub fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            t.join().expect("server thread").expect("server");
        }
    }
}

pub fn index_into(dir: &Path, paths: &[PathBuf], commit_every: usize) -> IndexSummary {
    let open = create_or_open(dir, None).expect("index opens");
    let options = IndexOptions {
        commit_every,
        threads: 2,
        heap_bytes: 64 << 20,
        final_merge: true,
        detect_reprints: true,
    };
    let mut indexer = Indexer::new(open, options).expect("writer");
    zhnews::pipeline::index(
        &mut indexer,
        paths,
        Arc::new(AtomicBool::new(false)),
        &mut |_| {},
    )
    .expect("indexing runs")
}

/// The demo corpus indexed in a fresh temp dir (kept alive by the returned guard).
pub fn corpus_engine() -> (tempfile::TempDir, Engine, IndexSummary) {
    let dir = tempfile::tempdir().expect("temp dir");
    let summary = index_into(dir.path(), &[corpus()], 1000);
    let engine = Engine::open(dir.path(), false).expect("engine");
    (dir, engine, summary)
}

/// `docs` (id, title, body, date) indexed in a fresh temp dir (kept alive by the guard).
pub fn engine_with(docs: &[(&str, &str, &str, &str)]) -> (tempfile::TempDir, Engine) {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("docs.jsonl");
    write_jsonl(&input, docs);
    index_into(&dir.path().join("ix"), &[input], 100);
    let engine = Engine::open(&dir.path().join("ix"), false).expect("open");
    (dir, engine)
}

/// The JSON a real server answers a GET of `url` with.
pub fn get_json(url: &str) -> serde_json::Value {
    ureq::get(url)
        .call()
        .unwrap_or_else(|e| panic!("{url}: {e}"))
        .body_mut()
        .read_to_string()
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| panic!("{url}: not JSON"))
}

/// Every-word matches of `q` (no partial top-up), up to 100.
pub fn search(engine: &Engine, q: &str) -> SearchResponse {
    let mut req = SearchRequest::new(q);
    req.limit = 100;
    req.partial = false;
    engine.search(&req).unwrap_or_else(|e| panic!("{q}: {e}"))
}

pub fn titles(resp: &SearchResponse) -> Vec<String> {
    resp.hits.iter().map(|h| h.title.clone()).collect()
}

/// Writes an extracted-article JSONL file.
pub fn write_jsonl(path: &Path, articles: &[(&str, &str, &str, &str)]) {
    let lines: Vec<String> = articles
        .iter()
        .map(|(id, title, body, date)| serde_json::json!({"id": id, "title": title, "body": body, "date": date, "source": "测试台"}).to_string())
        .collect();
    std::fs::write(path, lines.join("\n")).expect("write jsonl");
}
