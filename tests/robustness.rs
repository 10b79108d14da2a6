//! Nothing lost, nothing crashes: SIGKILL during indexing, a second writer, hostile files.

mod common;

use std::io::Write;
use std::process::Command;
use std::time::Duration;

use common::*;
use zhnews::search::Engine;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zhnews")
}

/// Documents and distinct ids in an index.
/// The index's document count and its distinct ids, after checking that a sample of
/// them can be looked up and found by their title.
fn committed(ix: &std::path::Path) -> (u64, std::collections::HashSet<String>) {
    let e = Engine::open(ix, false).expect("index opens after a kill");
    let docs = e.stats().expect("stats").documents;
    let searcher = e.searcher();
    let all = searcher
        .search(
            &tantivy::query::AllQuery,
            &tantivy::collector::DocSetCollector,
        )
        .expect("all docs");
    let articles: Vec<_> = all
        .into_iter()
        .map(|a| e.article_at(&searcher, a).expect("stored doc"))
        .collect();
    for a in articles.iter().step_by(997) {
        assert_eq!(e.article(&a.id).expect("lookup by id").id, a.id);
        let title: String = a
            .title
            .chars()
            .take_while(|c| zhnews::analyze::is_cjk(*c))
            .take(6)
            .collect();
        if title.chars().count() == 6 {
            let mut req = zhnews::search::SearchRequest::new(format!("title:\"{title}\""));
            req.limit = 100;
            req.collapse = false;
            // Common titles (国际联播快讯) fill many pages: follow the cursor.
            let mut found = false;
            loop {
                let resp = e.search(&req).expect("search");
                found |= resp.hits.iter().any(|h| h.id == a.id);
                match resp.next_cursor {
                    Some(c) if !found => req.cursor = Some(c),
                    _ => break,
                }
            }
            assert!(found, "{} not found by {title}", a.id);
        }
    }
    let ids = articles.into_iter().map(|a| a.id).collect();
    (docs, ids)
}

#[test]
fn sigkill_never_loses_committed_documents() {
    let Some(text) = news_text() else {
        return;
    };
    let lines: Vec<&str> = text.lines().take(20_000).collect();
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in.jsonl");
    std::fs::write(&input, lines.join("\n")).expect("w");
    let ix = tmp.path().join("ix");
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut last = std::collections::HashSet::new();
    let mut kills = 0;
    let mut attempts = 0;
    // Each re-run resumes with less left to do, so a run can end before its kill lands;
    // the window then shrinks until 20 kills have landed.
    let mut window_ms = 3000u64;
    while kills < 20 && attempts < 80 {
        attempts += 1;
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let wait = Duration::from_millis(100 + seed % window_ms);
        let mut child = Command::new(bin())
            .args(["index", "--commit-every", "1000", "--index"])
            .arg(&ix)
            .arg(&input)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(wait);
        if child.try_wait().expect("wait").is_none() {
            child.kill().expect("SIGKILL");
            kills += 1;
        } else {
            window_ms = (window_ms * 2 / 3).max(300);
        }
        let _ = child.wait();
        if !ix.join("meta.json").exists() {
            continue;
        }
        let (docs, ids) = committed(&ix);
        assert_eq!(docs as usize, ids.len(), "duplicates after a kill");
        let lost = last.difference(&ids).count();
        assert_eq!(lost, 0, "{lost} committed documents were lost");
        last = ids;
    }
    assert_eq!(
        kills, 20,
        "only {kills} of {attempts} runs were killed mid-way"
    );
    let status = Command::new(bin())
        .args(["index", "--index"])
        .arg(&ix)
        .arg(&input)
        .output()
        .expect("final run");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let distinct_ids: std::collections::HashSet<String> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| {
            v["title"].as_str().is_some_and(|t| !t.is_empty())
                || v["body"].as_str().is_some_and(|b| !b.is_empty())
        })
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect();
    let e = Engine::open(&ix, false).expect("open");
    assert_eq!(
        e.stats().expect("stats").documents as usize,
        distinct_ids.len()
    );
    eprintln!(
        "survived {kills} kills in {attempts} runs ({} documents committed before the \
         final run); final index holds {} documents",
        last.len(),
        distinct_ids.len()
    );
}

#[test]
fn a_second_writer_is_refused_with_the_holder_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    let ix = tmp.path().join("ix");
    let open = zhnews::index::create_or_open(&ix, None).expect("open");
    let _first =
        zhnews::index::Indexer::new(open.clone(), Default::default()).expect("first writer");
    let err = zhnews::index::Indexer::new(open, Default::default())
        .err()
        .expect("second writer refused");
    let msg = err.to_string();
    assert!(
        msg.contains(&ix.display().to_string())
            && msg.contains(&format!("pid {}", std::process::id())),
        "{msg}"
    );
    let out = Command::new(bin())
        .args(["index", "--index"])
        .arg(&ix)
        .arg(corpus())
        .output()
        .expect("cli");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("being written by another process"));
}

#[test]
fn hostile_files_are_reported_and_the_run_finishes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("hostile");
    std::fs::create_dir_all(&d).expect("mkdir");
    let w = |name: &str, bytes: &[u8]| std::fs::write(d.join(name), bytes).expect("write");
    w("zero.html", b"");
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    w("random.html", &random);
    let mut huge = b"<html><body><p>".to_vec();
    huge.resize(50 * 1024 * 1024, b'a');
    w("huge.html", &huge);
    w(
        "deep.html",
        format!(
            "<html><body>{}正文{}</body></html>",
            "<div>".repeat(100_000),
            "</div>".repeat(100_000)
        )
        .as_bytes(),
    );
    let mut bad_utf8 =
        "<html><head><meta charset=\"utf-8\"></head><body><p>新闻正文内容，测试无效编码。"
            .as_bytes()
            .to_vec();
    bad_utf8.extend_from_slice(&[0xFF, 0xFE, 0xC0]);
    bad_utf8.extend_from_slice("这是后面的正文，仍然要能读出来。</p></body></html>".as_bytes());
    w("bad-utf8.html", &bad_utf8);
    let (gbk, _, _) = encoding_rs::GB18030.encode("<html><head><meta charset=\"big5\"></head><body><p>标签写错了编码的页面，正文应当仍然可以读取。</p></body></html>");
    w("mislabelled.html", &gbk);
    w(
        "nul.html",
        b"<html>\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0</html>",
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&b"{\"title\":\"a\",\"body\":\"b\"}\n".repeat(1000))
        .expect("gz");
    let gz = gz.finish().expect("gz");
    w("cut.jsonl.gz", &gz[..gz.len() / 3]);
    let zst =
        zstd::encode_all(&b"{\"title\":\"a\",\"body\":\"b\"}\n".repeat(1000)[..], 3).expect("zst");
    w("cut.jsonl.zst", &zst[..zst.len() / 3]);
    w("cut.warc", b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:x>\r\nContent-Length: 5000\r\n\r\nHTTP/1.1 200 OK\r\n");
    w("types.jsonl", b"{\"title\": [1,2], \"body\": {}}\n{\"id\": null, \"title\": \"ok\", \"body\": \"fine\"}\n{\"html\": 5}\n");
    let mut long_line = b"{\"title\":\"x\",\"body\":\"".to_vec();
    long_line.resize(17 * 1024 * 1024, b'y');
    long_line.extend_from_slice(b"\"}\n{\"title\":\"after\",\"body\":\"the long line\"}\n");
    w("long-line.jsonl", &long_line);

    let out = Command::new(bin())
        .args(["index", "--json", "--index"])
        .arg(tmp.path().join("ix"))
        .arg(&d)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("summary json");
    let skipped: Vec<String> = summary["skipped"]
        .as_array()
        .expect("skipped")
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s["origin"].as_str().unwrap_or_default(),
                s["reason"].as_str().unwrap_or_default()
            )
        })
        .collect();
    for name in [
        "zero.html",
        "random.html",
        "huge.html",
        "deep.html",
        "nul.html",
        "cut.jsonl.gz",
        "cut.jsonl.zst",
        "cut.warc",
        "types.jsonl:1",
        "types.jsonl:3",
        "long-line.jsonl:1",
    ] {
        assert!(
            skipped.iter().any(|s| s.contains(name)),
            "{name} not reported: {skipped:#?}"
        );
    }
    // The readable parts still made it in.
    let e = Engine::open(&tmp.path().join("ix"), false).expect("open");
    for id_query in ["\"后面的正文\"", "\"标签写错了编码\"", "\"the long line\""] {
        assert_eq!(search(&e, id_query).total, 1, "{id_query}");
    }
    eprintln!(
        "hostile files tried: 13, records skipped with a reason: {}",
        skipped.len()
    );
}
