//! Answers a scan can check, one test per wrong answer found by trying zhnews as a user:
//! reprints that are not copies, collapsed pages that broke filters and totals, exact
//! strings next to Latin letters and digits, cursors reused with another query,
//! indexing that depended on the thread count, trends cut at their ends, and the
//! smaller ones (a missing input, a misspelled field, a query that starts with `-`).

mod common;

use std::collections::HashSet;
use std::process::Command;

use common::*;
use zhnews::index::{create_or_open, IndexOptions, Indexer};
use zhnews::search::kwic::KwicRequest;
use zhnews::search::trend::{Interval, TrendRequest};
use zhnews::search::{batch, Engine, SearchRequest, Sort, Syntax};

fn strict(q: &str) -> SearchRequest {
    let mut req = SearchRequest::new(q);
    req.syntax = Syntax::Strict;
    req.partial = false;
    req.limit = 100;
    req
}

fn ids(engine: &Engine, req: &SearchRequest) -> Vec<String> {
    let mut v: Vec<String> = engine
        .search(req)
        .unwrap_or_else(|e| panic!("{}: {e}", req.query))
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    v.sort();
    v
}

fn zhnews(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zhnews"))
        .args(args)
        .output()
        .expect("run zhnews")
}

/// A daily report filled in with other figures, and the same announcement a year later,
/// are other stories; the same text two days later is a copy.
#[test]
fn templates_and_other_days_are_not_reprints() {
    let report = |day: u32, cases: u32, deaths: u32| {
        format!(
            "国家卫生健康委员会今日通报，{day}日0—24时，31个省（自治区、直辖市）和新疆生产建设兵团报告新增确诊病例{cases}例，\
             其中境外输入病例{deaths}例，本土病例在多个省份报告；当日新增治愈出院病例若干例，解除医学观察的密切接触者若干人，\
             重症病例较前一日有所减少。各地继续做好常态化疫情防控工作，加强重点人群核酸检测，落实入境人员闭环管理措施，\
             严格执行外防输入、内防反弹的总策略，统筹推进疫情防控和经济社会发展。"
        )
    };
    let (a, b, c) = (report(12, 23, 7), report(13, 31, 9), report(14, 18, 4));
    let (_d, e) = engine_with(&[
        ("r1", "国家卫生健康委通报最新疫情", &a, "2021-06-13"),
        ("r2", "国家卫生健康委通报最新疫情", &b, "2021-06-14"),
        ("r3", "国家卫生健康委通报最新疫情", &c, "2021-06-15"),
        ("r4", "国家卫生健康委通报最新疫情", &a, "2021-06-15"),
        ("r5", "国家卫生健康委通报最新疫情", &a, "2022-06-13"),
    ]);
    let resp = e
        .search(&strict("title:\"国家卫生健康委通报最新疫情\""))
        .expect("search");
    assert_eq!((resp.total, resp.groups), (5, Some(4)));
    let grouped: Vec<(String, usize)> = resp
        .hits
        .iter()
        .map(|h| (h.id.clone(), h.copies.as_ref().map_or(0, |c| c.count)))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(grouped.len(), 1, "{grouped:?}");
    let copy = resp
        .hits
        .iter()
        .find_map(|h| h.copies.as_ref())
        .expect("one pair of copies");
    let mut pair: Vec<&str> = vec![copy.articles[0].id.as_str()];
    pair.extend(
        resp.hits
            .iter()
            .filter(|h| h.copies.is_some())
            .map(|h| h.id.as_str()),
    );
    pair.sort();
    assert_eq!(pair, vec!["r1", "r4"]);
}

/// What a collapsed page shows lies within the filters, each article once, and the pages
/// hold exactly `total` articles; the hits paging reaches are the stories, `groups`.
#[test]
fn collapsed_pages_keep_the_filters_and_add_up() {
    let body = |n: u32| {
        format!(
            "第{n}条：本地疫情防控工作有序推进，社区加强人员排查和健康监测，学校和企业按要求做好防控。\
             有关部门表示将持续做好物资保障和应急准备，确保群众生活平稳有序。疫情防控指挥部要求各地压实责任，\
             及时发现和处置风险，做好重点场所消毒和通风，引导群众做好个人防护，坚持科学精准防控。"
        )
    };
    let texts: Vec<String> = (0..12).map(body).collect();
    let mut docs: Vec<(String, String, String, String)> = Vec::new();
    for (n, t) in texts.iter().enumerate() {
        let day = format!("2021-01-{:02}", 1 + n * 2);
        docs.push((
            format!("s{n}"),
            format!("疫情简讯{n}"),
            t.clone(),
            day.clone(),
        ));
        // A copy the next day: in the range for some stories, out of it for others.
        let next = format!("2021-01-{:02}", 2 + n * 2);
        docs.push((
            format!("s{n}-copy"),
            format!("疫情简讯{n}"),
            format!("（来源：某网）{t}"),
            next,
        ));
    }
    let rows: Vec<(&str, &str, &str, &str)> = docs
        .iter()
        .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
        .collect();
    let (_d, e) = engine_with(&rows);
    let mut req = strict("疫情");
    req.limit = 3;
    req.filters.from = chrono::NaiveDate::from_ymd_opt(2021, 1, 4);
    req.filters.to = chrono::NaiveDate::from_ymd_opt(2021, 1, 15);
    let (from, to) = ("2021-01-04", "2021-01-16");
    let mut seen = Vec::new();
    let mut hits = 0;
    let total = loop {
        let r = e.search(&req).expect("search");
        hits += r.hits.len() as u64;
        for h in &r.hits {
            let mut dates = vec![h.published.clone().unwrap_or_default()];
            seen.push(h.id.clone());
            for c in h.copies.iter().flat_map(|c| &c.articles) {
                seen.push(c.id.clone());
                dates.push(c.published.clone().unwrap_or_default());
            }
            for d in dates {
                assert!(
                    d.as_str() >= from && d.as_str() < to,
                    "{d} outside the range"
                );
            }
        }
        match r.next_cursor {
            Some(c) => req.cursor = Some(c),
            None => {
                assert_eq!(Some(hits), r.groups, "every story reached by paging");
                break r.total;
            }
        }
    };
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "an article came twice");
    assert_eq!(seen.len() as u64, total, "the pages hold what total counts");
    assert_eq!(total, 12, "2021-01-04 … 2021-01-15 holds 12 articles");
}

/// `batch` runs the request the API makes of `q` alone: the same ids, in the same
/// order, with the same scores.
#[test]
fn batch_runs_what_the_api_runs() {
    let (_dir, engine, _) = corpus_engine();
    let queries: Vec<(String, String)> = [
        "援疆 教育",
        "脱贫攻坚收官之年：一个山村的五年之变",
        "\"人民银行\" 利率",
        "(北京 OR 上海",
        "iPhone 12 售价",
    ]
    .iter()
    .enumerate()
    .map(|(i, q)| (format!("q{i}"), q.to_string()))
    .collect();
    let run = batch::run(&|r| engine.search(r), &queries, 10, 0);
    for ((_, q), r) in queries.iter().zip(&run) {
        let params = format!("q={}&limit=10", urlencoding::encode(q));
        let mut req = zhnews::serve::request_of(&params).expect("params");
        req.ids_only = true;
        let api = engine.search(&req).expect("search");
        let api: Vec<(String, f32)> = api.hits.into_iter().map(|h| (h.id, h.score)).collect();
        assert_eq!(api, r.hits, "{q}");
    }
}

/// The one-path rule on the real dev queries: `batch` over the QBQTC titles and both query
/// sets gives what `GET /api/search?q=…&limit=10` gives, id for id and score for score.
#[test]
fn batch_equals_the_api_on_the_dev_queries() {
    let Some(dev) = shared_data("retrieval-dev") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tmp");
    index_into(
        &dir.path().join("ix"),
        &[dev.join("qbqtc/corpus.jsonl")],
        100_000,
    );
    let engine = Engine::open(&dir.path().join("ix"), false).expect("open");
    let mut queries = Vec::new();
    for set in ["qbqtc", "xwlb-headline"] {
        let text = std::fs::read_to_string(dev.join(set).join("queries.dev.tsv")).expect("queries");
        // Every 4th QBQTC query keeps the test short; every headline.
        let step = if set == "qbqtc" { 4 } else { 1 };
        queries.extend(
            text.lines()
                .step_by(step)
                .filter_map(|l| l.split_once('\t'))
                .map(|(id, q)| (format!("{set}-{id}"), q.to_string())),
        );
    }
    assert!(queries.len() > 3_000, "{} queries", queries.len());
    let run = batch::run(&|r| engine.search(r), &queries, 10, 0);
    let mut differ = Vec::new();
    for ((id, q), r) in queries.iter().zip(&run) {
        let params = format!("q={}&limit=10", urlencoding::encode(q));
        let mut req = zhnews::serve::request_of(&params).expect("params");
        req.ids_only = true;
        let api = engine.search(&req).expect("search");
        let api: Vec<(String, f32)> = api.hits.into_iter().map(|h| (h.id, h.score)).collect();
        if api != r.hits {
            differ.push(id.clone());
        }
    }
    assert!(
        differ.is_empty(),
        "{} queries differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(10)]
    );
}

/// A quoted string is found wherever the normalized text holds it, Latin and digits
/// included; unquoted Latin words split where letters meet digits.
#[test]
fn exact_strings_next_to_latin_and_digits() {
    let (_d, e) = engine_with(&[
        ("l1", "新品", "苹果发布iPhone4，售价公布。", "2010-06-08"),
        ("l2", "新品", "IPHONE4销量创新高。", "2010-07-01"),
        ("l3", "新品", "Iphone5将于明年上市。", "2011-09-01"),
        ("l4", "会议", "2014APEC会议在北京举行。", "2014-11-10"),
        ("l5", "年份", "2021年经济运行总体平稳。", "2022-01-17"),
        ("l6", "无关", "电话号码不公开。", "2022-01-18"),
    ]);
    assert_eq!(ids(&e, &strict("\"iPhone\"")), vec!["l1", "l2", "l3"]);
    assert_eq!(ids(&e, &strict("APEC")), vec!["l4"]);
    assert_eq!(ids(&e, &strict("\"021\"")), vec!["l5"]);
    assert_eq!(ids(&e, &strict("\"4APEC会\"")), vec!["l4"]);
    // Unquoted: iphone is a word of iPhone4 and of IPHONE4 (and the string of Iphone5).
    assert_eq!(ids(&e, &strict("iphone")), vec!["l1", "l2", "l3"]);
    assert_eq!(ids(&e, &strict("iphone 4")), vec!["l1", "l2"]);
}

/// A cursor belongs to its query, filters and order: used with another, it is refused.
#[test]
fn a_cursor_is_tied_to_its_query() {
    let (_dir, engine, _) = corpus_engine();
    let mut req = strict("的");
    req.limit = 2;
    req.sort = Sort::Date;
    let first = engine.search(&req).expect("search");
    let cursor = first.next_cursor.expect("more pages");
    let mut other = strict("发展");
    other.limit = 2;
    other.sort = Sort::Date;
    other.cursor = Some(cursor.clone());
    let err = engine.search(&other).expect_err("another query");
    assert!(err.to_string().contains("another query"), "{err}");
    let mut filtered = req.clone();
    filtered.cursor = Some(cursor.clone());
    filtered.filters.source = Some("新华网".into());
    assert!(engine.search(&filtered).is_err());
    let mut same = req.clone();
    same.cursor = Some(cursor);
    assert!(engine.search(&same).is_ok());
}

/// Two captures of one id: the later in input order wins, whatever the thread count, and
/// the index holds the same articles either way.
#[test]
fn the_later_record_wins_whatever_the_threads() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("captures.jsonl");
    let mut lines = Vec::new();
    for n in 0..400 {
        let id = format!("u{}", n % 100);
        lines.push(
            serde_json::json!({"id": id, "title": format!("版本{n}"), "body": format!("第{n}次抓取的正文内容。"), "date": "2020-01-01"})
                .to_string(),
        );
    }
    std::fs::write(&input, lines.join("\n")).expect("write");
    let mut kept = Vec::new();
    for threads in [1, 4] {
        let ix = dir.path().join(format!("ix{threads}"));
        let open = create_or_open(&ix, None).expect("index");
        let options = IndexOptions {
            commit_every: 37,
            threads,
            heap_bytes: 64 << 20,
            final_merge: true,
            detect_reprints: true,
        };
        let s = zhnews::pipeline::index(
            &mut Indexer::new(open, options).expect("writer"),
            std::slice::from_ref(&input),
            std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
            &mut |_| {},
        )
        .expect("run");
        assert_eq!((s.added, s.duplicate_ids, s.documents), (100, 300, 100));
        let e = Engine::open(&ix, false).expect("open");
        let titles: Vec<String> = (0..100)
            .map(|n| e.article(&format!("u{n}")).expect("article").title)
            .collect();
        for (n, t) in titles.iter().enumerate() {
            assert_eq!(
                t,
                &format!("版本{}", 300 + n),
                "u{n} with {threads} threads"
            );
        }
        kept.push(titles);
    }
    assert_eq!(kept[0], kept[1]);
}

/// Within `--from/--to`, every bucket is listed, empty ones too; `normalize` gives each
/// bucket's share.
#[test]
fn trend_buckets_fill_the_range_and_give_shares() {
    let (_dir, engine, _) = corpus_engine();
    let mut req = TrendRequest::new(vec!["\"援疆\"".to_string()]);
    req.interval = Interval::Month;
    req.filters.from = chrono::NaiveDate::from_ymd_opt(2020, 1, 1);
    req.filters.to = chrono::NaiveDate::from_ymd_opt(2020, 12, 31);
    req.normalize = true;
    let t = engine.trend(&req).expect("trend");
    let starts: Vec<&str> = t.series[0]
        .buckets
        .iter()
        .map(|b| b.start.as_str())
        .collect();
    assert_eq!(starts.len(), 12, "{starts:?}");
    assert_eq!(starts[0], "2020-01-01");
    assert_eq!(starts[11], "2020-12-01");
    for b in &t.series[0].buckets {
        let total = b.total.expect("total");
        let share = b.share.expect("share");
        let want = if total == 0 {
            0.0
        } else {
            b.count as f64 / total as f64
        };
        assert!((share - want).abs() < 1e-9);
    }
    // The CLI prints the shares in table, CSV and JSON.
    let (_d2, ix) = corpus_index_dir();
    for format in ["table", "csv", "json"] {
        let out = zhnews(&[
            "trend",
            "\"援疆\"",
            "--index",
            ix.to_str().unwrap_or_default(),
            "--normalize",
            "--format",
            format,
            "--from",
            "2020-01-01",
            "--to",
            "2020-12-31",
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("share"), "{format}: {text}");
    }
}

fn corpus_index_dir() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tmp");
    let ix = dir.path().join("ix");
    index_into(&ix, &[corpus()], 1000);
    (dir, ix)
}

/// A path that does not exist is an error (exit 2) and nothing is committed.
#[test]
fn indexing_a_missing_path_fails_and_commits_nothing() {
    let (_d, ix) = corpus_index_dir();
    let meta = std::fs::metadata(ix.join("meta.json"))
        .expect("meta")
        .modified()
        .expect("mtime");
    let out = zhnews(&[
        "index",
        "/no/such/dir",
        "--index",
        ix.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/dir"));
    let after = std::fs::metadata(ix.join("meta.json"))
        .expect("meta")
        .modified()
        .expect("mtime");
    assert_eq!(meta, after, "nothing may be committed");
    // Re-reading what is there changes nothing and commits nothing either.
    let out = zhnews(&[
        "index",
        corpus().to_str().unwrap_or_default(),
        "--index",
        ix.to_str().unwrap_or_default(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let again = std::fs::metadata(ix.join("meta.json"))
        .expect("meta")
        .modified()
        .expect("mtime");
    assert_eq!(meta, again, "an unchanged run commits nothing");
}

/// A misspelled field is an error naming the fields in strict syntax, and a warning,
/// with the text searched as text, in the default.
#[test]
fn a_misspelled_field_is_never_silent() {
    let (_dir, engine, _) = corpus_engine();
    let err = engine.search(&strict("titel:脱贫")).expect_err("strict");
    assert!(err.to_string().contains("not a field"), "{err}");
    assert!(err.to_string().contains("title"), "{err}");
    let r = engine
        .search(&SearchRequest::new("titel:脱贫"))
        .expect("lenient");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("titel is not a field")),
        "{:?}",
        r.warnings
    );
}

/// `search 扶贫 -教育` is a query with an exclusion, not an unknown option.
#[test]
fn a_minus_after_the_first_word_is_part_of_the_query() {
    let (_d, ix) = corpus_index_dir();
    let ix = ix.to_str().unwrap_or_default();
    let out = zhnews(&["search", "--index", ix, "--json", "扶贫", "-教育"]);
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["interpreted_as"], "扶贫 -教育");
    let out = zhnews(&["search", "--index", ix, "--json", "--", "-教育", "扶贫"]);
    assert!(
        out.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A proximity written either way finds the same lines in context.
#[test]
fn kwic_takes_both_spellings_of_a_proximity() {
    let (_d, e) = engine_with(&[(
        "k1",
        "北京发布新规",
        "北京市今天发布新规，明确垃圾分类要求。北京的新规从下月起实施。",
        "2020-04-01",
    )]);
    let lines = |q: &str| {
        let mut req = KwicRequest::new(q);
        req.syntax = Syntax::Strict;
        e.kwic(&req).expect("kwic").lines.len()
    };
    let quoted = lines("\"北京 新规\"~5");
    assert!(quoted > 0);
    assert_eq!(quoted, lines("NEAR/5(北京 新规)"));
}

/// Hits beyond the stories paging reaches are listed as copies, so offsets past the
/// stories find nothing while the copies are all shown.
#[test]
fn total_counts_articles_and_groups_count_what_paging_reaches() {
    let (_dir, engine, _) = corpus_engine();
    let r = engine
        .search(&strict("\"一个山村的五年之变\""))
        .expect("search");
    assert_eq!((r.total, r.groups), (3, Some(1)));
    let mut req = strict("\"一个山村的五年之变\"");
    req.offset = 1;
    assert!(engine.search(&req).expect("search").hits.is_empty());
}
