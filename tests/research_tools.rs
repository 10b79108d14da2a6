//! Related stories, reprint grouping, trends, keyword in context, export and facets on the
//! demo corpus, each checked against a direct scan of the extracted pages.

mod common;

use std::collections::BTreeMap;

use common::*;
use zhnews::analyze::normalize::normalize;
use zhnews::search::export::{parse_fields, ExportFormat, ExportRequest};
use zhnews::search::kwic::KwicRequest;
use zhnews::search::related::RelatedRequest;
use zhnews::search::trend::{Interval, TrendRequest};
use zhnews::search::SearchRequest;

fn trend_of(
    engine: &zhnews::search::Engine,
    queries: &[&str],
    interval: Interval,
    normalize: bool,
) -> zhnews::search::trend::Trend {
    let mut req = TrendRequest::new(queries.iter().map(|q| q.to_string()).collect());
    req.interval = interval;
    req.normalize = normalize;
    engine.trend(&req).expect("trend")
}

/// Every demo page extracted directly (no index): (title, body, year).
fn scanned() -> Vec<(String, String, Option<i32>)> {
    let mut out = Vec::new();
    zhnews::ingest::read_paths(&[corpus()], &mut |item| {
        if let Ok(a) = item.and_then(|i| zhnews::extract::extract(&i)) {
            out.push((
                a.title,
                a.body,
                a.published
                    .map(|p| chrono::Datelike::year(&p.beijing_day())),
            ));
        }
    });
    out
}

#[test]
fn trend_counts_match_a_scan() {
    let (_d, engine, _) = corpus_engine();
    let t = trend_of(&engine, &["\"脱贫攻坚\"", "\"援疆\""], Interval::Year, true);
    for (series, needle) in t.series.iter().zip(["脱贫攻坚", "援疆"]) {
        let mut want: BTreeMap<String, u64> = BTreeMap::new();
        for (title, body, year) in scanned() {
            if let Some(y) = year {
                if normalize(&title).contains(needle) || normalize(&body).contains(needle) {
                    *want.entry(format!("{y}-01-01")).or_default() += 1;
                }
            }
        }
        let got: BTreeMap<String, u64> = series
            .buckets
            .iter()
            .filter(|b| b.count > 0)
            .map(|b| (b.start.clone(), b.count))
            .collect();
        assert_eq!(got, want, "{needle}");
        assert!(series
            .buckets
            .iter()
            .all(|b| b.total.is_some_and(|t| t >= b.count)));
    }
    // The demo corpus has six 2020 pages with 脱贫攻坚 in title or body.
    assert_eq!(
        t.series[0]
            .buckets
            .iter()
            .find(|b| b.start == "2020-01-01")
            .map(|b| b.count),
        Some(6)
    );
    let monthly = trend_of(&engine, &["\"脱贫攻坚\""], Interval::Month, false);
    let sum: u64 = monthly.series[0].buckets.iter().map(|b| b.count).sum();
    assert_eq!(
        sum,
        t.series[0].buckets.iter().map(|b| b.count).sum::<u64>()
    );
    assert!(zhnews::search::chart::to_svg(&t)
        .expect("svg")
        .contains("<svg"));
}

#[test]
fn related_excludes_reprints_and_explains_itself() {
    let (_d, engine, _) = corpus_engine();
    let lead = search(&engine, "\"一个山村的五年之变\"");
    let id = lead.hits[0].id.clone();
    let copies = lead.hits[0].copies.clone().expect("reprints");
    let r = engine
        .related(&RelatedRequest::new(id.clone()))
        .expect("related");
    assert_eq!(r.reprints, 2);
    assert!(!r.keywords.is_empty());
    assert!(!r.hits.is_empty());
    for h in &r.hits {
        assert_ne!(h.hit.id, id);
        assert!(
            !copies.articles.iter().any(|c| c.id == h.hit.id),
            "a reprint was listed"
        );
        assert!(!h.reason.is_empty(), "{} has no reason", h.hit.title);
    }
    // The closest stories share the 脱贫 theme.
    assert!(
        r.hits
            .iter()
            .take(3)
            .any(|h| h.hit.title.contains("脱贫") || h.reason.iter().any(|k| k.contains("脱贫"))),
        "{:?}",
        r.hits.iter().map(|h| &h.hit.title).collect::<Vec<_>>()
    );
    let windowed = engine
        .related(&RelatedRequest {
            days: Some(30),
            ..RelatedRequest::new(id.clone())
        })
        .expect("related");
    for h in &windowed.hits {
        let p = h.hit.published.as_deref().unwrap_or_default();
        assert!(p.starts_with("2020-1"), "{p} outside 30 days of 2020-11-20");
    }
    assert!(matches!(
        engine.related(&RelatedRequest::new("nope")),
        Err(zhnews::Error::NotFound(_))
    ));
}

#[test]
fn kwic_offsets_are_exact() {
    let (_d, engine, _) = corpus_engine();
    let mut req = KwicRequest::new("援疆");
    req.width = 10;
    let kwic = engine.kwic(&req).expect("kwic");
    assert!(!kwic.truncated);
    let lines = kwic.lines;
    let total: usize = scanned()
        .iter()
        .map(|(t, b, _)| t.matches("援疆").count() + b.matches("援疆").count())
        .sum();
    assert_eq!(lines.len(), total);
    for l in &lines {
        let a = engine.article(&l.id).expect("article");
        let body = match l.field {
            zhnews::search::kwic::KwicField::Title => a.title,
            zhnews::search::kwic::KwicField::Body => a.body,
        };
        let chars: Vec<char> = body.chars().collect();
        let m: String = chars[l.offset..l.offset + l.matched.chars().count()]
            .iter()
            .collect();
        assert_eq!(m, l.matched);
        assert!(l.left.chars().count() <= 10 && l.right.chars().count() <= 10);
        let before: String = chars[l.offset.saturating_sub(l.left.chars().count())..l.offset]
            .iter()
            .collect();
        assert_eq!(before.replace('\n', " "), l.left);
    }
}

#[test]
fn export_streams_every_match() {
    let (_d, engine, _) = corpus_engine();
    let mut req = SearchRequest::new("发展");
    req.collapse = false;
    let total = engine.search(&req).expect("search").total;
    let mut csv = Vec::new();
    let n = engine
        .export(&ExportRequest::new("发展"), &mut csv)
        .expect("export");
    assert_eq!(n, total);
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        vec!["id", "url", "title", "published", "source", "author"]
    );
    assert_eq!(reader.records().count() as u64, total);
    let mut jsonl = Vec::new();
    let mut req = ExportRequest::new("发展");
    req.format = ExportFormat::Jsonl;
    req.fields = parse_fields(Some("id,title,body")).expect("fields");
    engine.export(&req, &mut jsonl).expect("export");
    let lines: Vec<serde_json::Value> = String::from_utf8(jsonl)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len() as u64, total);
    let has = |v: &serde_json::Value| v.as_str().is_some_and(|t| normalize(t).contains("发展"));
    assert!(lines.iter().all(|l| has(&l["body"]) || has(&l["title"])));
    assert!(parse_fields(Some("id,password")).is_err());
}

#[test]
fn facets_count_sources_and_years() {
    let (_d, engine, _) = corpus_engine();
    let mut req = SearchRequest::new("\"脱贫攻坚\"");
    req.facets = true;
    req.collapse = false;
    let resp = engine.search(&req).expect("search");
    let f = resp.facets.expect("facets");
    let years: u64 = f.year.iter().map(|c| c.count).sum();
    assert_eq!(years, resp.total, "every demo page has a date");
    assert!(
        f.source.iter().any(|c| c.value == "新华网" && c.count >= 2),
        "{:?}",
        f.source
    );
}

#[test]
fn reprints_of_perturbed_real_articles_are_grouped() {
    let Some(text) = news_text() else {
        return;
    };
    let mut originals = Vec::new();
    for line in text.lines().step_by(97) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let body = v["body"].as_str().unwrap_or_default();
        if body.chars().count() >= 300 && !v["title"].as_str().unwrap_or_default().contains("快讯")
        {
            originals.push((
                v["id"].as_str().unwrap_or_default().to_string(),
                v["title"].as_str().unwrap_or_default().to_string(),
                body.to_string(),
            ));
        }
        if originals.len() == 300 {
            break;
        }
    }
    // Copies: head and tail cut by 10%, other boilerplate, other punctuation.
    let mut rows = Vec::new();
    for (i, (id, title, body)) in originals.iter().enumerate() {
        rows.push(
            serde_json::json!({"id": id, "title": title, "body": body, "date": "2020-01-01"})
                .to_string(),
        );
        let chars: Vec<char> = body.chars().collect();
        let cut = chars.len() / 10;
        let mid: String = chars[cut..chars.len() - cut].iter().collect();
        let copy = format!(
            "（来源：转载网{i}）{}\n责任编辑：编辑{i}",
            mid.replace('，', ",")
                .replace('。', ". ")
                .replace('“', "\"")
        );
        rows.push(serde_json::json!({"id": format!("{id}-copy"), "title": title, "body": copy, "date": "2020-01-02"}).to_string());
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("pairs.jsonl");
    std::fs::write(&input, rows.join("\n")).expect("w");
    index_into(&tmp.path().join("ix"), &[input], 10_000);
    let engine = zhnews::search::Engine::open(&tmp.path().join("ix"), false).expect("open");
    let searcher = engine.searcher();
    let group_of = |id: &str| -> u64 {
        let addr = engine
            .address_of(&searcher, id)
            .expect("lookup")
            .expect("indexed");
        searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64("group")
            .expect("col")
            .first(addr.doc_id)
            .unwrap_or(0)
    };
    let groups: Vec<(u64, u64)> = originals
        .iter()
        .map(|(id, _, _)| (group_of(id), group_of(&format!("{id}-copy"))))
        .collect();
    let true_pairs = groups.len();
    let found = groups.iter().filter(|(a, b)| a == b).count();
    // Every pair of documents sharing a group is a predicted pair; only original+copy is right.
    let mut docs_per_group: BTreeMap<u64, usize> = BTreeMap::new();
    for (a, b) in &groups {
        *docs_per_group.entry(*a).or_default() += 1;
        *docs_per_group.entry(*b).or_default() += 1;
    }
    let predicted_pairs: usize = docs_per_group.values().map(|n| n * (n - 1) / 2).sum();
    let precision = found as f64 / predicted_pairs.max(1) as f64;
    let recall = found as f64 / true_pairs as f64;
    eprintln!("reprint pairs: {true_pairs} true, {found} found, precision {precision:.3}, recall {recall:.3}");
    assert!(recall >= 0.95, "recall {recall}");
    assert!(precision >= 0.95, "precision {precision}");
}
