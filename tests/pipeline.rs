//! The pipeline end to end on the demo corpus: ingest, extract, index, search.

mod common;

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use common::*;
use zhnews::index::{create_or_open, IndexOptions, Indexer};
use zhnews::search::{Engine, SearchRequest, Sort};

#[test]
fn demo_corpus_indexes_every_page() {
    let (_dir, engine, summary) = corpus_engine();
    assert_eq!(summary.added, 50, "{:?}", summary.skipped);
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    let stats = engine.stats().expect("stats");
    assert_eq!(stats.documents, 50);
    // Both views of title and body hold tokens; the bigram view has one per CJK
    // character, more than the words view, whose words mostly span two or more.
    for field in ["title", "body", "title_exact", "body_exact"] {
        assert!(
            stats.tokens.get(field).is_some_and(|&n| n > 0),
            "{field}: {:?}",
            stats.tokens
        );
    }
    assert!(
        stats.tokens["body_exact"] > stats.tokens["body"],
        "{:?}",
        stats.tokens
    );
}

#[test]
fn keyword_search_finds_the_yuanjiang_stories_with_snippets() {
    let (_dir, engine, _) = corpus_engine();
    let resp = search(&engine, "援疆 教育");
    let t = titles(&resp);
    assert!(
        t.contains(&"援疆教师扎根和田 “组团式”教育援疆让课堂变了样".to_string()),
        "{t:?}"
    );
    // Both words far apart in one article still match (AND, not phrase).
    assert!(t.iter().any(|x| x.contains("一位援疆干部的三年")), "{t:?}");
    for h in &resp.hits {
        assert!(h.snippet.contains("<em>"), "no highlight in {}", h.snippet);
    }
}

#[test]
fn filters_sort_and_source() {
    let (_dir, engine, _) = corpus_engine();
    let mut req = SearchRequest::new("\"脱贫攻坚\"");
    req.limit = 20;
    req.filters.from = chrono::NaiveDate::from_ymd_opt(2020, 1, 1);
    req.filters.to = chrono::NaiveDate::from_ymd_opt(2020, 12, 31);
    req.filters.source = Some("新华网".into());
    req.sort = Sort::Date;
    let resp = engine.search(&req).expect("search");
    assert!(resp.total >= 2, "{resp:?}");
    let dates: Vec<String> = resp
        .hits
        .iter()
        .filter_map(|h| h.published.clone())
        .collect();
    assert_eq!(dates.len(), resp.hits.len());
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    for h in &resp.hits {
        assert_eq!(h.source.as_deref(), Some("新华网"));
        let p = h.published.as_deref().unwrap_or_default();
        assert!(p.starts_with("2020-"), "{p}");
        assert!(p.ends_with("+08:00"), "{p}");
    }
}

#[test]
fn paging_with_cursor_visits_every_hit_once() {
    let (_dir, engine, _) = corpus_engine();
    let all = search(&engine, "发展");
    assert!(all.hits.len() > 6);
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let mut req = SearchRequest::new("发展");
        req.limit = 3;
        req.cursor = cursor.clone();
        let page = engine.search(&req).expect("page");
        seen.extend(page.hits.iter().map(|h| h.id.clone()));
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let want: Vec<String> = all.hits.iter().map(|h| h.id.clone()).collect();
    assert_eq!(seen, want);
}

#[test]
fn reprints_collapse_to_one_hit_with_its_matching_copies() {
    let (_dir, engine, summary) = corpus_engine();
    assert_eq!(summary.reprints, 5);
    let resp = search(&engine, "\"一个山村的五年之变\"");
    assert_eq!(resp.hits.len(), 1, "{:?}", titles(&resp));
    assert_eq!((resp.total, resp.groups), (3, Some(1)));
    let hit = &resp.hits[0];
    let copies = hit.copies.as_ref().expect("copies");
    assert_eq!(copies.count, 2);
    // The hit and its copies are the three matching articles, each once.
    let mut all: Vec<&str> = copies.articles.iter().map(|a| a.id.as_str()).collect();
    all.push(&hit.id);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 3);
    let mut req = SearchRequest::new("\"一个山村的五年之变\"");
    req.collapse = false;
    req.partial = false;
    let every = engine.search(&req).expect("search");
    let mut ids: Vec<&str> = every.hits.iter().map(|h| h.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, all);
    // A filter that leaves out two copies leaves one hit without copies: what is shown
    // and listed always matches the filters.
    let only = every
        .hits
        .iter()
        .find(|h| h.source.is_some())
        .expect("a copy with a source");
    let mut req = SearchRequest::new("\"一个山村的五年之变\"");
    req.partial = false;
    req.filters.source = only.source.clone();
    let filtered = engine.search(&req).expect("search");
    let same_source = every
        .hits
        .iter()
        .filter(|h| h.source == only.source)
        .count() as u64;
    assert_eq!(filtered.total, same_source);
    for h in &filtered.hits {
        assert_eq!(h.source, only.source);
        for c in h.copies.iter().flat_map(|c| &c.articles) {
            assert_eq!(c.source, only.source);
        }
    }
}

#[test]
fn show_returns_all_fields() {
    let (_dir, engine, _) = corpus_engine();
    let resp = search(&engine, "\"组团式\"");
    let id = &resp.hits[0].id;
    let a = engine.article(id).expect("article");
    assert_eq!(a.source.as_deref(), Some("新华网"));
    assert_eq!(a.author.as_deref(), Some("张晓明"));
    assert!(a.body.contains('\n'), "paragraphs kept");
    assert!(matches!(
        engine.article("no-such-id"),
        Err(zhnews::Error::NotFound(_))
    ));
}

#[test]
fn reindexing_the_same_input_adds_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let first = index_into(dir.path(), &[corpus()], 7);
    assert_eq!(first.added, 50);
    let second = index_into(dir.path(), &[corpus()], 7);
    assert_eq!((second.added, second.updated, second.unchanged), (0, 0, 50));
    assert_eq!(second.documents, 50);
}

#[test]
fn changed_records_are_updated_in_place() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, &[("a1", "旧标题", "第一版正文内容", "2020-01-02")]);
    let ix = dir.path().join("ix");
    index_into(&ix, std::slice::from_ref(&input), 10);
    write_jsonl(&input, &[("a1", "新标题", "第二版正文内容", "2020-01-02")]);
    let s = index_into(&ix, &[input], 10);
    assert_eq!((s.added, s.updated, s.documents), (0, 1, 1));
    let engine = zhnews::search::Engine::open(&ix, false).expect("open");
    assert_eq!(engine.article("a1").expect("a1").title, "新标题");
}

#[test]
fn bad_input_is_reported_and_the_rest_indexed() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(input.join("empty.html"), b"").expect("w");
    std::fs::write(
        input.join("junk.html"),
        (0..4000u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<u8>>(),
    )
    .expect("w");
    std::fs::write(input.join("truncated.html"), "<html><head><title>半截").expect("w");
    std::fs::write(
        input.join("nobody.html"),
        "<html><body><div></div></body></html>",
    )
    .expect("w");
    std::fs::write(
        input.join("bad.jsonl"),
        "{\"title\":\"好的\",\"body\":\"正常的一条新闻正文。\"}\nnot json\n{\"title\": 7}\n",
    )
    .expect("w");
    std::fs::write(
        input.join("broken.warc"),
        "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\nshort",
    )
    .expect("w");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"{\"title\":\"t\",\"body\":\"b\"}\n")
        .expect("gz");
    let gz = gz.finish().expect("gz");
    std::fs::write(input.join("cut.jsonl.gz"), &gz[..gz.len() / 2]).expect("w");
    let s = index_into(&dir.path().join("ix"), &[input], 10);
    assert_eq!(s.added, 1, "only the good JSON line: {s:?}");
    let reasons: Vec<String> = s
        .skipped
        .iter()
        .map(|k| format!("{}: {}", k.origin, k.reason))
        .collect();
    for needle in [
        "empty.html",
        "junk.html",
        "nobody.html",
        "bad.jsonl:2",
        "bad.jsonl:3",
        "broken.warc",
        "cut.jsonl.gz",
        "truncated.html",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(needle)),
            "{needle} not reported in {reasons:#?}"
        );
    }
}

#[test]
fn warc_and_compressed_inputs_are_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let page =
        std::fs::read(corpus().join("huaxia/2020-10-28-yuanjiang-jiaoyu.html")).expect("page");
    let mut http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
    http.extend_from_slice(&page);
    let record = warc::RecordBuilder::default()
        .warc_type(warc::RecordType::Response)
        .header(warc::WarcHeader::TargetURI, "https://example.cn/a.html")
        .body(http)
        .build()
        .expect("record");
    let plain = dir.path().join("crawl.warc");
    {
        let mut w = warc::WarcWriter::from_path(&plain).expect("writer");
        w.write(&record).expect("write");
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(&plain).expect("warc"))
        .expect("gz");
    let path = dir.path().join("crawl.warc.gz");
    std::fs::write(&path, gz.finish().expect("gz")).expect("w");
    let jsonl = dir.path().join("pages.jsonl.zst");
    let line = serde_json::json!({"url": "https://example.cn/b.html", "html": String::from_utf8_lossy(&page)}).to_string();
    std::fs::write(&jsonl, zstd::encode_all(line.as_bytes(), 3).expect("zstd")).expect("w");
    let s = index_into(&dir.path().join("ix"), &[path, jsonl, plain], 10);
    assert_eq!(s.skipped.len(), 0, "{:?}", s.skipped);
    // Same canonical URL inside the page: one article, the others are duplicate ids.
    assert_eq!((s.added, s.duplicate_ids), (1, 2));
}

#[test]
fn news_text_sample_indexes_and_searches() {
    let Some(text) = news_text() else {
        return;
    };
    let sample: Vec<&str> = text.lines().take(2000).collect();
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("sample.jsonl");
    std::fs::write(&input, sample.join("\n")).expect("w");
    let s = index_into(&tmp.path().join("ix"), &[input], 500);
    assert_eq!(
        s.added + s.duplicate_ids,
        2000,
        "{:?}",
        &s.skipped[..s.skipped.len().min(3)]
    );
    let engine = zhnews::search::Engine::open(&tmp.path().join("ix"), false).expect("open");
    let first: serde_json::Value = serde_json::from_str(sample[0]).expect("json");
    let title = first["title"].as_str().expect("title");
    let resp = search(&engine, &format!("\"{title}\""));
    assert!(
        resp.hits
            .iter()
            .any(|h| h.id == first["id"].as_str().unwrap_or_default()),
        "{title}"
    );
}

#[test]
fn missing_or_foreign_index_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let err = zhnews::search::Engine::open(&dir.path().join("nope"), false)
        .err()
        .expect("error");
    assert!(err.to_string().contains("no index here"), "{err}");
    std::fs::write(dir.path().join("other.txt"), "x").expect("w");
    let err = zhnews::search::Engine::open(dir.path(), false)
        .err()
        .expect("error");
    assert!(err.to_string().contains("not a zhnews index"), "{err}");
    let err = zhnews::index::create_or_open(dir.path(), None)
        .err()
        .expect("error");
    assert!(err.to_string().contains("not empty"), "{err}");
}

#[test]
fn a_run_that_changes_the_index_merges_it_into_one_segment() {
    let options = |final_merge| IndexOptions {
        commit_every: 5,
        threads: 2,
        heap_bytes: 64 << 20,
        final_merge,
        detect_reprints: true,
    };
    let run = |dir: &std::path::Path, final_merge| {
        let open = create_or_open(dir, None).expect("index opens");
        let mut indexer = Indexer::new(open, options(final_merge)).expect("writer");
        let s = zhnews::pipeline::index(
            &mut indexer,
            &[corpus()],
            Arc::new(AtomicBool::new(false)),
            &mut |_| {},
        )
        .expect("indexing runs");
        drop(indexer);
        let engine = Engine::open(dir, false).expect("engine");
        (s, engine.stats().expect("stats"), engine)
    };
    // Ten commits of five pages leave several segments without the final merge …
    let unmerged = tempfile::tempdir().expect("temp dir");
    let (s, stats, _) = run(unmerged.path(), false);
    assert_eq!(s.segments_merged, 0);
    assert!(stats.segments > 1, "{} segments", stats.segments);
    // … and one with it, every document still there and searchable.
    let merged = tempfile::tempdir().expect("temp dir");
    let (s, stats, engine) = run(merged.path(), true);
    assert!(s.segments_merged > 1, "{s:?}");
    assert_eq!(stats.segments, 1);
    assert_eq!(stats.documents, 50);
    let total = search(&engine, "援疆").total;
    assert!(total > 0);
    assert_eq!(total, search_total_unmerged(unmerged.path()));
}

fn search_total_unmerged(dir: &std::path::Path) -> u64 {
    let engine = Engine::open(dir, false).expect("engine");
    search(&engine, "援疆").total
}

#[test]
fn without_reprint_detection_every_copy_is_its_own_story() {
    let dir = tempfile::tempdir().expect("temp dir");
    let open = create_or_open(dir.path(), None).expect("index opens");
    let options = IndexOptions {
        detect_reprints: false,
        ..IndexOptions::default()
    };
    let s = zhnews::pipeline::index(
        &mut Indexer::new(open, options).expect("writer"),
        &[corpus()],
        Arc::new(AtomicBool::new(false)),
        &mut |_| {},
    )
    .expect("indexing runs");
    assert_eq!((s.added, s.reprints), (50, 0));
    let engine = Engine::open(dir.path(), false).expect("engine");
    let resp = search(&engine, "\"一个山村的五年之变\"");
    assert_eq!(resp.hits.len(), 3);
    assert!(resp.hits.iter().all(|h| h.copies.is_none()));
}

#[test]
fn a_search_past_its_time_budget_stops_and_says_so() {
    let (_dir, engine, _) = corpus_engine();
    let mut req = SearchRequest::new("援疆");
    req.deadline = Some(zhnews::search::deadline::Deadline::after(
        std::time::Duration::from_secs(30),
    ));
    assert!(!engine.search(&req).expect("in budget").hits.is_empty());
    // A spent budget stops the scorers before the first document: an error, never a
    // silently short page.
    req.deadline = Some(zhnews::search::deadline::Deadline::after(
        std::time::Duration::ZERO,
    ));
    let err = engine.search(&req).expect_err("past the budget");
    assert!(
        matches!(err, zhnews::error::Error::Timeout(0)),
        "unexpected {err}"
    );
}

#[test]
fn batch_ranks_a_query_file_and_times_each_query() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("articles.jsonl");
    write_jsonl(
        &data,
        &[
            (
                "a",
                "央行下调存款准备金率",
                "中国人民银行决定下调金融机构存款准备金率。",
                "2024-01-02",
            ),
            (
                "b",
                "长江流域启动防汛应急响应",
                "水利部针对长江流域启动洪水防御应急响应。",
                "2024-06-30",
            ),
            (
                "c",
                "A股三大指数集体收涨",
                "沪深股市今日全线上涨，成交额放大。",
                "2024-03-05",
            ),
        ],
    );
    let ix = dir.path().join("ix");
    index_into(&ix, &[data], 100);
    let queries = dir.path().join("queries.tsv");
    std::fs::write(
        &queries,
        "q1\t长江防汛应急响应\nq2\tqqqzzz\n\nq3 without a tab\nq4\t股\n",
    )
    .expect("write queries");
    let times = dir.path().join("times.tsv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhnews"))
        .arg("batch")
        .arg(&queries)
        .arg("--index")
        .arg(&ix)
        .args(["--k", "2", "--times"])
        .arg(&times)
        .output()
        .expect("zhnews batch runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A TREC run: qid Q0 doc rank score tag, at most k per query.
    let run: Vec<Vec<String>> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split(' ').map(str::to_string).collect())
        .collect();
    for line in &run {
        assert_eq!(line.len(), 6, "{line:?}");
        assert_eq!((line[1].as_str(), line[5].as_str()), ("Q0", "zhnews"));
        assert!(line[4].parse::<f32>().is_ok(), "{line:?}");
    }
    let hits = |q: &str| -> Vec<&str> {
        run.iter()
            .filter(|l| l[0] == q)
            .map(|l| l[2].as_str())
            .collect()
    };
    assert_eq!(hits("q1").first(), Some(&"b"), "{run:?}");
    assert!(hits("q1").len() <= 2);
    assert!(hits("q2").is_empty(), "{run:?}");
    // A lone character matches inside a run of characters: 股市 and A股.
    let mut lone = hits("q4");
    lone.sort();
    assert_eq!(lone, vec!["c"], "{run:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("queries.tsv:4: no tab between id and query"),
        "{err}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(err.split("SUMMARY ").nth(1).expect("a SUMMARY line").trim())
            .expect("SUMMARY is JSON");
    assert_eq!(summary["queries"], 3);
    assert_eq!(summary["failed"], 1);
    assert!(summary["q_p50_ms"].as_f64().is_some_and(|ms| ms > 0.0));
    let timed: Vec<String> = std::fs::read_to_string(&times)
        .expect("times written")
        .lines()
        .map(|l| {
            let (qid, ms) = l.split_once('\t').expect("id<TAB>ms");
            assert!(ms.parse::<f64>().is_ok_and(|ms| ms > 0.0), "{l}");
            qid.to_string()
        })
        .collect();
    assert_eq!(timed, vec!["q1", "q2", "q4"]);
}
