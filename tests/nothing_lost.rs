//! Nothing hangs and nothing is silently lost: files of every name and kind read or
//! reported, a run cut short that left many segments merged by the next, another user
//! dictionary refused, a damaged index named instead of a panic, a reader that cannot
//! take the lock file, pages that would make the HTML parser run away, and a health check
//! that notices when the index is gone.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use zhnews::index::{create_or_open, IndexOptions, Indexer};
use zhnews::search::Engine;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zhnews")
}

fn page(title: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><h1>{title}</h1>\
         <p>{title}的正文第一段，记者从有关部门获悉，相关工作正在有序推进之中。</p>\
         <p>第二段进一步介绍了具体情况，有关负责人表示将继续加强管理，确保各项措施落实到位。</p></body></html>"
    )
}

fn run_index(
    paths: &[std::path::PathBuf],
    ix: &Path,
    options: IndexOptions,
) -> zhnews::index::IndexSummary {
    let open = create_or_open(ix, None).expect("index");
    zhnews::pipeline::index(
        &mut Indexer::new(open, options).expect("writer"),
        paths,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
        &mut |_| {},
    )
    .expect("run")
}

fn options() -> IndexOptions {
    IndexOptions {
        commit_every: 1000,
        threads: 2,
        heap_bytes: 64 << 20,
        final_merge: true,
        detect_reprints: true,
    }
}

/// Every file in a folder is read or reported, whatever its name, and a FIFO (which would
/// block a read forever) is reported, not read.
#[cfg(unix)]
#[test]
fn every_file_is_read_or_reported() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tmp");
    let crawl = dir.path().join("crawl");
    std::fs::create_dir(&crawl).expect("mkdir");
    std::fs::write(crawl.join("ok.html"), page("普通文件名")).expect("w");
    for (n, raw) in [&b"\xff\xfe-gbk.html"[..], &b"\xc3\x28.html"[..]]
        .into_iter()
        .enumerate()
    {
        let name = std::ffi::OsStr::from_bytes(raw);
        std::fs::write(crawl.join(name), page(&format!("非UTF8文件名{n}"))).expect("w");
    }
    std::fs::write(crawl.join("style.css"), "body{}").expect("w");
    let fifo = crawl.join("pipe.html");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let started = Instant::now();
    let s = run_index(
        std::slice::from_ref(&crawl),
        &dir.path().join("ix"),
        options(),
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "a FIFO must not block the run"
    );
    assert_eq!(s.added, 3, "{:?}", s.skipped);
    assert_eq!(s.ignored.len(), 1, "{:?}", s.ignored);
    if made.is_ok_and(|m| m.success()) {
        assert!(
            s.skipped.iter().any(|k| k.origin.ends_with("pipe.html") && k.reason.contains("not a regular file")),
            "{:?}",
            s.skipped
        );
    }
}

/// A run cut short during its final merge leaves many segments; the next run merges them
/// even when it has nothing new to add.
#[test]
fn too_many_segments_are_merged_by_the_next_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("a.jsonl");
    let rows: Vec<(String, String, String, String)> = (0..60)
        .map(|n| {
            (
                format!("m{n}"),
                format!("标题{n}"),
                format!("第{n}条消息的正文内容，用于测试合并。"),
                "2021-01-01".to_string(),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
        .collect();
    write_jsonl(&input, &refs);
    let ix = dir.path().join("ix");
    // What a kill during the merge leaves: every commit a segment, none merged.
    let mut o = options();
    o.commit_every = 5;
    o.final_merge = false;
    run_index(std::slice::from_ref(&input), &ix, o);
    let segments = |ix: &Path| {
        Engine::open(ix, false)
            .expect("open")
            .searcher()
            .segment_readers()
            .len()
    };
    assert!(segments(&ix) > 8, "{}", segments(&ix));
    let s = run_index(&[input], &ix, options());
    assert_eq!((s.added, s.unchanged), (0, 60));
    assert!(s.segments_merged > 8);
    assert_eq!(segments(&ix), 1);
}

/// An index keeps the user dictionary it was built with: another one is refused with a
/// message that says how to rebuild.
#[test]
fn another_user_dictionary_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let (d1, d2) = (dir.path().join("d1.txt"), dir.path().join("d2.txt"));
    std::fs::write(&d1, "功胜科技 100\n").expect("w");
    std::fs::write(&d2, "潘功胜 100 nr\n").expect("w");
    let ix = dir.path().join("ix");
    create_or_open(&ix, Some(&d1)).expect("created with d1");
    assert!(
        create_or_open(&ix, Some(&d1)).is_ok(),
        "the same words again are fine"
    );
    assert!(
        create_or_open(&ix, None).is_ok(),
        "no dictionary keeps the index's"
    );
    let err = create_or_open(&ix, Some(&d2))
        .err()
        .expect("another dictionary");
    let msg = err.to_string();
    assert!(msg.contains("--user-dict") && msg.contains("new"), "{msg}");
}

/// A damaged segment file is named by `zhnews check`; searching it fails with a clear
/// message instead of a panic, and the server refuses to start on it.
#[test]
fn a_damaged_index_is_named_not_a_panic() {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = dir.path().join("ix");
    index_into(&ix, &[corpus()], 1000);
    let victim = std::fs::read_dir(&ix)
        .expect("ls")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "fieldnorm"))
        .expect("a fieldnorm file");
    let mut bytes = std::fs::read(&victim).expect("read");
    for b in bytes.iter_mut().take(64) {
        *b ^= 0x5a;
    }
    std::fs::write(&victim, &bytes).expect("damage");
    let ix_s = ix.to_str().unwrap_or_default();
    let out = Command::new(bin())
        .args(["check", "--index", ix_s])
        .output()
        .expect("check");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(victim.file_name().and_then(|n| n.to_str()).unwrap_or("?")),
        "{err}"
    );
    let out = Command::new(bin())
        .args(["search", "--index", ix_s, "援疆"])
        .output()
        .expect("search");
    assert_ne!(
        out.status.code(),
        Some(101),
        "a panic: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(bin())
        .args(["serve", "--index", ix_s, "--addr", "127.0.0.1:0"])
        .output()
        .expect("serve");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
}

/// A reader that cannot create the lock file taken while meta.json is read (a read-only
/// folder; here the lock's name is taken by a folder) still searches.
#[test]
fn a_reader_needs_no_lock_file() {
    let (dir, engine, _) = corpus_engine();
    drop(engine);
    let ix = dir.path();
    let lock = ix.join(".tantivy-meta.lock");
    let _ = std::fs::remove_file(&lock);
    std::fs::create_dir(&lock).expect("block the lock file");
    let engine = Engine::open(ix, false).expect("opens without the lock");
    assert!(search(&engine, "援疆").total > 0);
    engine.reload().expect("reloads without the lock");
}

/// Hostile pages cost bounded time: formatting tags left open by the thousand, and an
/// element with hundreds of thousands of attributes.
#[test]
fn pages_that_would_run_the_parser_away_are_bounded() {
    let unclosed: String = (0..3000)
        .map(|i| format!("<p><b id=\"b{i}\">第{i}段 新闻正文内容，测试加粗未闭合。"))
        .collect();
    let unclosed =
        format!("<html><head><title>未闭合</title></head><body>{unclosed}</body></html>");
    let attrs: String = (0..200_000).map(|i| format!(" a{i}=\"x\"")).collect();
    let attrs =
        format!("<html><head><title>属性</title></head><body><div{attrs}>正文</div></body></html>");
    for (html, ok) in [(unclosed, true), (attrs, false)] {
        let started = Instant::now();
        let got = zhnews::extract::extract_page(&zhnews::ingest::RawPage {
            origin: "hostile.html".into(),
            url: None,
            bytes: html.into_bytes(),
            http_charset: None,
            fetched_at: None,
        });
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(got.is_ok(), ok, "{:?}", got.err());
        if let Ok(a) = got {
            assert!(
                a.body.contains("第2999段"),
                "the text stays when the tags go"
            );
        }
    }
}

/// `/healthz` says the index cannot be read once its folder is gone.
#[tokio::test]
async fn health_notices_a_missing_index() {
    let (dir, engine, _) = corpus_engine();
    let api = zhnews::serve::routes(engine, zhnews::serve::ServeOptions::default());
    let ok = warp::test::request().path("/healthz").reply(&api).await;
    assert_eq!(ok.status().as_u16(), 200);
    std::fs::remove_dir_all(dir.path()).expect("delete the index");
    let gone = warp::test::request().path("/healthz").reply(&api).await;
    assert_eq!(gone.status().as_u16(), 503);
    let body: serde_json::Value = serde_json::from_slice(gone.body()).expect("json");
    assert_eq!(body["error"]["code"], "index_unavailable", "{body}");
    assert!(
        !body
            .to_string()
            .contains(dir.path().to_str().unwrap_or("/")),
        "no paths over HTTP"
    );
}
