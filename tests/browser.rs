//! The search page in a real browser (headless Chromium). One test loads a search URL with
//! `--dump-dom`; the others drive the page through the Chrome DevTools Protocol
//! (`common/cdp.rs`): type a query through a simulated input method, open the trend chart and
//! an article's related stories, and compare what is drawn with the JSON API.

#[path = "common/cdp.rs"]
mod cdp;
mod common;

use std::process::Command;
use std::time::Duration;

use cdp::Browser;
use common::*;
use serde_json::{json, Value};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn the_page_renders_highlighted_hits_for_a_chinese_query() {
    let Some(browser) = chromium() else {
        eprintln!("NOTE: no chromium on PATH; .ci/run installs it. Browser test not run here.");
        return;
    };
    let (_d, engine, _) = corpus_engine();
    let server = TestServer::start(engine);
    let addr = server.addr;
    let profile = tempfile::tempdir().expect("profile");
    let url = format!("http://{addr}/#/search?q=%E6%8F%B4%E7%96%86%20%E6%95%99%E8%82%B2");
    let out = Command::new(browser)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", &url])
        .output()
        .expect("chromium runs");
    server.stop();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("class=\"hit"),
        "no hits rendered:\n{}",
        &dom[..dom.len().min(3000)]
    );
    assert!(
        dom.contains("<em>援疆</em>"),
        "no highlight in the rendered page"
    );
    assert!(
        dom.contains("援疆教师扎根和田"),
        "the expected article is not listed"
    );
}

const QUERY: &str = "援疆 教育";
/// Spread over 2019–2022 with an empty 2021, and its hits include stories with related ones.
const TREND_QUERY: &str = "5G";

/// The demo corpus served on a free port and a browser at 1280×900, or `None` (with a
/// note) when chromium is not installed.
fn start_page() -> Option<(tempfile::TempDir, TestServer, Browser, String)> {
    let Some(binary) = chromium() else {
        eprintln!("NOTE: no chromium on PATH; .ci/run installs it. Browser test not run here.");
        return None;
    };
    let (dir, engine, _) = corpus_engine();
    let server = TestServer::start(engine);
    let base = format!("http://{}", server.addr);
    Some((dir, server, Browser::launch(binary, 1280, 900), base))
}

/// GET `path` from the test server and parse the JSON body.
fn api(base: &str, path: &str) -> Value {
    let url = format!("{base}{path}");
    let text = ureq::get(&url)
        .call()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
        .body_mut()
        .read_to_string()
        .unwrap_or_else(|e| panic!("GET {url}: reading the body: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {url}: not JSON ({e}): {text}"))
}

fn strings(v: &Value, what: &str) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what}: expected an array, got {v}"))
        .iter()
        .map(|x| {
            x.as_str()
                .unwrap_or_else(|| panic!("{what}: expected strings, got {x}"))
                .to_string()
        })
        .collect()
}

/// The ids the page lists for `selector` (elements carrying `data-id`).
fn page_ids(b: &mut Browser, selector: &str) -> Vec<String> {
    let sel = json!(selector);
    let ids = b.eval(&format!(
        "[...document.querySelectorAll({sel})].map(e => e.dataset.id)"
    ));
    strings(&ids, selector)
}

fn api_ids(v: &Value, what: &str) -> Vec<String> {
    let hits = v["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("{what}: no hits array in {v}"));
    hits.iter()
        .map(|h| {
            h["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{what}: hit without id: {h}"))
                .to_string()
        })
        .collect()
}

/// Focuses the search box, logs the composition and keydown events it gets, and counts the
/// page's requests to /api/search.
const INSTRUMENT: &str = r#"(() => {
  window.__log = [];
  const q = document.getElementById('q');
  for (const t of ['compositionstart', 'compositionend'])
    q.addEventListener(t, e => window.__log.push(t + ':' + e.data));
  q.addEventListener('keydown', e =>
    window.__log.push('keydown:' + e.key + ':' + e.keyCode + ':' + e.isComposing));
  window.__searches = 0;
  const fetch0 = window.fetch;
  window.fetch = function (u) {
    if (String(u).startsWith('/api/search')) window.__searches++;
    return fetch0.apply(this, arguments);
  };
  q.focus();
  return document.activeElement === q;
})()"#;

/// What the page shows of a search: the box, the route, request count, hits.
const SEARCH_STATE: &str = r#"({
  value: document.getElementById('q').value,
  hash: location.hash,
  searches: window.__searches,
  hits: document.querySelectorAll('#results .hit').length,
  log: window.__log
})"#;

#[test]
fn typing_chinese_through_an_input_method_searches_on_enter_after_composition_ends() {
    let Some((_d, server, mut b, base)) = start_page() else {
        return;
    };
    b.open(&format!("{base}/"));
    b.wait_until(
        "document.getElementById('stats').textContent.includes('文档数')",
        "the index stats in the header",
    );
    assert_eq!(
        b.eval(INSTRUMENT),
        json!(true),
        "the search box does not take focus"
    );

    // Pinyin being typed, then a candidate picked but not yet committed.
    b.compose("yuan");
    assert_eq!(b.eval(SEARCH_STATE)["value"], "yuan", "composition text");
    b.compose("援");
    // Enter while composing: Chrome delivers it with keyCode 229 (key "Process") to the page,
    // some IMEs/browsers as a plain Enter with isComposing. Neither may search.
    b.press("Process", "Enter", 229);
    b.press("Enter", "Enter", 13);
    std::thread::sleep(Duration::from_millis(500));
    let st = b.eval(SEARCH_STATE);
    let log = strings(&st["log"], "event log");
    assert_eq!(st["value"], "援", "composition text: {st}");
    assert!(
        log.first()
            .is_some_and(|e| e.starts_with("compositionstart")),
        "the input method did not start a composition: {st}"
    );
    assert!(
        log.contains(&"keydown:Process:229:true".to_string())
            && log.contains(&"keydown:Enter:13:true".to_string()),
        "both Enter presses must reach the page as composing keydowns: {st}"
    );
    assert_eq!(st["searches"], 0, "Enter during composition searched: {st}");
    assert_eq!(
        st["hash"], "",
        "Enter during composition changed the route: {st}"
    );
    assert_eq!(st["hits"], 0, "results rendered during composition: {st}");

    // The input method commits the words; now Enter searches.
    b.commit(QUERY);
    let st = b.eval(SEARCH_STATE);
    assert_eq!(st["value"], QUERY, "committed text: {st}");
    assert!(
        strings(&st["log"], "event log").contains(&format!("compositionend:{QUERY}")),
        "commit did not end the composition: {st}"
    );
    assert_eq!(st["searches"], 0, "committing alone searched: {st}");
    b.press("Enter", "Enter", 13);
    b.wait_until(
        "document.querySelectorAll('#results .hit').length > 0 && document.getElementById('loading').hidden",
        "search results after Enter",
    );

    let st = b.eval(SEARCH_STATE);
    assert_eq!(st["searches"], 1, "one search for one Enter: {st}");
    let q_in_hash =
        b.eval("new URLSearchParams(location.hash.slice(location.hash.indexOf('?') + 1)).get('q')");
    assert!(
        st["hash"]
            .as_str()
            .is_some_and(|h| h.starts_with("#/search?"))
            && q_in_hash == QUERY,
        "the route does not hold the query: {st}"
    );
    let ems = strings(
        &b.eval("[...document.querySelectorAll('#results .snippet em')].map(e => e.textContent)"),
        "highlights",
    );
    assert!(
        ems.iter().any(|e| e == "援疆" || e == "教育"),
        "no 援疆/教育 highlight among {ems:?}"
    );
    let titles =
        b.eval("[...document.querySelectorAll('#results .hit-title')].map(e => e.textContent)");
    assert!(
        strings(&titles, "hit titles")
            .iter()
            .any(|t| t.contains("援疆教师扎根和田")),
        "the expected article is not listed: {titles}"
    );
    // The page shows what the API answers for the same query, in the same order.
    let expected = api(
        &base,
        &format!("/api/search?q={}&limit=10", urlencoding::encode(QUERY)),
    );
    assert_eq!(
        page_ids(&mut b, "#results .hit"),
        api_ids(&expected, "/api/search"),
        "page hits differ from /api/search"
    );
    assert_eq!(
        b.eval("document.getElementById('total').dataset.total"),
        json!(expected["total"].to_string()),
        "total differs from /api/search"
    );

    // The results page as a picture (docs/search-page.png comes from
    // `ZHNEWS_SCREENSHOT=docs/search-page.png cargo test --release --test browser`).
    b.eval("document.activeElement.blur(); window.scrollTo(0, 0)");
    let png = b.screenshot();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "screenshot is not a PNG"
    );
    let dim = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
    assert_eq!((dim(16), dim(20)), (1280, 900), "screenshot size");
    if let Ok(path) = std::env::var("ZHNEWS_SCREENSHOT") {
        let path = project().join(path);
        std::fs::write(&path, &png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        eprintln!("screenshot: {} ({} bytes)", path.display(), png.len());
    }
    drop(b);
    server.stop();
}

#[test]
fn the_trend_chart_and_related_stories_match_the_api() {
    let Some((_d, server, mut b, base)) = start_page() else {
        return;
    };
    b.open(&format!(
        "{base}/#/search?q={}",
        urlencoding::encode(TREND_QUERY)
    ));
    b.wait_until(
        "document.querySelectorAll('#results .hit').length > 0 && document.getElementById('stats').textContent !== ''",
        "search results",
    );

    // The trend chart: the page buckets by year when the index spans over three years, else by month.
    b.click("#trend-btn");
    b.wait_until(
        "document.getElementById('trend').open",
        "the trend panel to open",
    );
    b.wait_until(
        "document.querySelectorAll('#trend svg rect.bar').length > 0",
        "trend bars",
    );
    let stats = api(&base, "/api/stats");
    let day = |k: &str| {
        stats[k]
            .as_str()
            .and_then(|d| d.get(..10))
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or_else(|| panic!("/api/stats {k}: {stats}"))
    };
    let span_days = (day("latest") - day("earliest")).num_days() as f64;
    let interval = if span_days > 3.0 * 365.25 {
        "year"
    } else {
        "month"
    };
    let trend = api(
        &base,
        &format!(
            "/api/trend?q={}&interval={interval}&normalize=false",
            urlencoding::encode(TREND_QUERY)
        ),
    );
    let buckets = trend["series"][0]["buckets"]
        .as_array()
        .unwrap_or_else(|| panic!("/api/trend has no buckets: {trend}"));
    let label_len = if interval == "year" { 4 } else { 7 };
    let expected: Vec<(String, u64)> = buckets
        .iter()
        .map(|bk| {
            let start = bk["start"]
                .as_str()
                .unwrap_or_else(|| panic!("bucket start: {bk}"));
            let count = bk["count"]
                .as_u64()
                .unwrap_or_else(|| panic!("bucket count: {bk}"));
            (start[..label_len].to_string(), count)
        })
        .collect();
    assert!(
        expected.iter().any(|(_, c)| *c > 0),
        "the trend API finds nothing for {TREND_QUERY}: {trend}"
    );
    let bars = b.eval(
        "[...document.querySelectorAll('#trend svg rect.bar')].map(r => \
         [r.querySelector('title').textContent, parseFloat(r.getAttribute('height'))])",
    );
    let bars: Vec<(String, f64)> = bars
        .as_array()
        .unwrap_or_else(|| panic!("bars: {bars}"))
        .iter()
        .map(|x| {
            let title = x[0].as_str().unwrap_or_else(|| panic!("bar title: {x}"));
            let height = x[1].as_f64().unwrap_or_else(|| panic!("bar height: {x}"));
            (title.to_string(), height)
        })
        .collect();
    let titles: Vec<String> = bars.iter().map(|(t, _)| t.clone()).collect();
    let want: Vec<String> = expected
        .iter()
        .map(|(l, c)| format!("{l}：{c} 篇"))
        .collect();
    assert_eq!(
        titles, want,
        "one bar per /api/trend bucket, labelled with its count"
    );
    // Heights are proportional to the counts.
    let (max_c, max_h) = expected
        .iter()
        .zip(&bars)
        .map(|((_, c), (_, h))| (*c as f64, *h))
        .fold((0.0, 0.0), |a, x| if x.0 > a.0 { x } else { a });
    for ((label, c), (_, h)) in expected.iter().zip(&bars) {
        let want_h = max_h * *c as f64 / max_c;
        assert!(
            (h - want_h).abs() < 0.5,
            "bar {label} is {h}px high, expected {want_h} for {c} of {max_c}"
        );
    }
    let total: u64 = expected.iter().map(|(_, c)| c).sum();
    let unit = if interval == "year" {
        "按年"
    } else {
        "按月"
    };
    let caption = b.eval("document.querySelector('#trend-chart .caption').textContent");
    let caption = caption
        .as_str()
        .unwrap_or_else(|| panic!("trend caption: {caption}"));
    assert!(
        caption.contains(unit) && caption.contains(&format!("合计 {total} 篇")),
        "trend caption {caption:?} should say {unit} and 合计 {total} 篇"
    );
    let first_label = &expected[0].0;
    let axis = b.eval("[...document.querySelectorAll('#trend svg text')].map(t => t.textContent)");
    assert!(
        strings(&axis, "axis labels").contains(first_label),
        "the x axis does not start at {first_label}: {axis}"
    );

    // The related stories of a hit (the first that has some according to the API).
    let ids = page_ids(&mut b, "#results .hit");
    let (id, related) = ids
        .iter()
        .map(|id| {
            let rel = api(
                &base,
                &format!("/api/articles/{}/related?days=30", urlencoding::encode(id)),
            );
            (id.clone(), rel)
        })
        .find(|(_, rel)| rel["hits"].as_array().is_some_and(|h| !h.is_empty()))
        .unwrap_or_else(|| panic!("no hit of {TREND_QUERY} has related stories: {ids:?}"));
    let article = api(
        &base,
        &format!("/api/articles/{}", urlencoding::encode(&id)),
    );
    let sel = format!("#results .hit[data-id={}] .hit-title a", json!(id));
    b.click(&sel);
    b.wait_until(
        "location.hash.startsWith('#/article/') && !!document.querySelector('#related li.related-hit')",
        "the article view with related stories",
    );
    assert_eq!(
        b.eval("decodeURIComponent(location.hash.slice('#/article/'.length))"),
        json!(id),
        "clicking the title opens that article"
    );
    assert_eq!(
        b.eval("document.getElementById('article-title').textContent"),
        article["title"],
        "article title"
    );
    assert_eq!(
        page_ids(&mut b, "#related li.related-hit"),
        api_ids(&related, "/api/articles/{id}/related"),
        "related list differs from the API"
    );
    let shown = b.eval(
        "[...document.querySelectorAll('#related li.related-hit > a')].map(a => a.textContent)",
    );
    let want_titles: Vec<Value> = related["hits"]
        .as_array()
        .map(|h| h.iter().map(|x| x["title"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(shown, Value::Array(want_titles), "related titles");
    drop(b);
    server.stop();
}
