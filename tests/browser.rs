//! The search page in a real browser (headless Chromium). One test loads a search URL with
//! `--dump-dom`; the others drive the page through the Chrome DevTools Protocol
//! (`common/cdp.rs`): type a query through a simulated input method, open the trend chart,
//! an article's related stories and a hit's reprints, read partial hits, repaired queries
//! and failed requests, send a token from the page's URL, and compare what is drawn with the
//! JSON API.

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
    let expected: Vec<(String, u64)> = buckets
        .iter()
        .map(|bk| {
            let start = bk["start"]
                .as_str()
                .unwrap_or_else(|| panic!("bucket start: {bk}"));
            let count = bk["count"]
                .as_u64()
                .unwrap_or_else(|| panic!("bucket count: {bk}"));
            (bucket_label(start, interval), count)
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

    // The related stories of a hit (the first that has some according to the API), asked
    // for without a time window, like `zhnews related ID`.
    let ids = page_ids(&mut b, "#results .hit");
    let (id, related) = ids
        .iter()
        .map(|id| {
            let rel = api(
                &base,
                &format!("/api/articles/{}/related", urlencoding::encode(id)),
            );
            (id.clone(), rel)
        })
        .find(|(_, rel)| rel["hits"].as_array().is_some_and(|h| !h.is_empty()))
        .unwrap_or_else(|| panic!("no hit of {TREND_QUERY} has related stories: {ids:?}"));
    let article = api(
        &base,
        &format!("/api/articles/{}", urlencoding::encode(&id)),
    );
    b.eval(RECORD_REQUESTS);
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
    let asked = strings(
        &b.eval("window.__requests.filter(u => u.includes('/related'))"),
        "related requests",
    );
    assert_eq!(
        asked,
        vec![format!(
            "/api/articles/{}/related",
            urlencoding::encode(&id)
        )],
        "the page asks for related stories once, with no days window"
    );
    // Each related story shows the keywords it shares with the article.
    let reasons = b.eval(
        "[...document.querySelectorAll('#related li.related-hit')].map(li => \
         [...li.querySelectorAll('.reason .chip')].map(c => c.textContent))",
    );
    let want_reasons: Vec<Value> = related["hits"]
        .as_array()
        .map(|h| h.iter().map(|x| x["reason"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(reasons, Value::Array(want_reasons), "related reasons");

    // A quoted query is titled with its own (Chinese) quotes, not nested in another pair.
    let quoted = format!("\"{TREND_QUERY}\"");
    b.eval(&format!(
        "location.hash = '#/search?q=' + encodeURIComponent({})",
        json!(quoted)
    ));
    // Its hits drawn (the unquoted query's chart has the same title), then its chart. The
    // box holds the new query from when the route changes; loading shows until it is drawn.
    let want_ids = api_ids(
        &api(
            &base,
            &format!("/api/search?q={}&limit=10", urlencoding::encode(&quoted)),
        ),
        "/api/search",
    );
    let caption = b.wait_until(
        &format!(
            "(() => {{ const c = document.querySelector('#trend-chart .caption'); \
             const ids = [...document.querySelectorAll('#results .hit')].map(e => e.dataset.id); \
             return document.getElementById('q').value === {} && document.getElementById('loading').hidden \
             && JSON.stringify(ids) === {} && c && c.textContent; }})()",
            json!(quoted),
            json!(json!(want_ids).to_string())
        ),
        "the trend caption of the quoted query",
    );
    let caption = caption.as_str().unwrap_or_default();
    assert!(
        caption.starts_with(&format!("“{TREND_QUERY}” 报道数量"))
            && !caption.contains('"')
            && caption.matches('“').count() == 1,
        "trend caption of {quoted}: {caption:?}"
    );

    // Shares: one bar per bucket, as high as the query's share of the bucket's articles.
    b.click("#trend-normalize");
    b.wait_until(
        "document.querySelector('#trend-chart .caption')?.textContent.includes('报道占比')",
        "the trend chart in shares",
    );
    let trend = api(
        &base,
        &format!(
            "/api/trend?q={}&interval={interval}&normalize=true",
            urlencoding::encode(&quoted)
        ),
    );
    let buckets = trend["series"][0]["buckets"]
        .as_array()
        .unwrap_or_else(|| panic!("/api/trend has no buckets: {trend}"));
    let bars = b.eval(
        "[...document.querySelectorAll('#trend svg rect.bar')].map(r => \
         [r.querySelector('title').textContent, parseFloat(r.getAttribute('height'))])",
    );
    let bars = bars.as_array().unwrap_or_else(|| panic!("bars: {bars}"));
    assert_eq!(bars.len(), buckets.len(), "one bar per bucket: {bars:?}");
    let max_share = buckets
        .iter()
        .filter_map(|bk| bk["share"].as_f64())
        .fold(0.0, f64::max);
    let max_h = bars
        .iter()
        .filter_map(|x| x[1].as_f64())
        .fold(0.0, f64::max);
    assert!(max_share > 0.0, "no share above 0: {trend}");
    for (bk, bar) in buckets.iter().zip(bars) {
        let start = bk["start"].as_str().unwrap_or_default();
        let (count, total, share) = (
            bk["count"].clone(),
            bk["total"].clone(),
            bk["share"].as_f64(),
        );
        let title = bar[0].as_str().unwrap_or_default();
        let want = format!(
            "{}：{count} 篇 / 共 {total} 篇（",
            bucket_label(start, interval)
        );
        assert!(
            title.starts_with(&want),
            "bar title {title:?}, expected {want:?}…"
        );
        let h = bar[1].as_f64().unwrap_or(-1.0);
        let want_h = max_h * share.unwrap_or(0.0) / max_share;
        assert!(
            (h - want_h).abs() < 0.5,
            "bar {start} is {h}px high, expected {want_h}"
        );
    }
    let ticks = strings(
        &b.eval("[...document.querySelectorAll('#trend svg text.tick')].map(t => t.textContent)"),
        "ticks",
    );
    assert!(
        ticks.iter().skip(1).all(|t| t.ends_with('%')),
        "share ticks are percentages: {ticks:?}"
    );
    drop(b);
    server.stop();
}

/// The chart's label of a bucket starting at `start` (`2019-01-01…`): 2019年 or 2019年1月.
fn bucket_label(start: &str, interval: &str) -> String {
    let year = &start[..4];
    if interval == "year" {
        return format!("{year}年");
    }
    let month: u32 = start[5..7].parse().expect("month");
    format!("{year}年{month}月")
}

/// Records the path and query of every request the page makes from now on.
const RECORD_REQUESTS: &str = r#"(() => {
  window.__requests = [];
  const fetch0 = window.fetch;
  window.fetch = function (u) {
    window.__requests.push(String(u));
    return fetch0.apply(this, arguments);
  };
  return true;
})()"#;

/// Rewrites the JSON answers of requests whose path starts with `prefix` with `change(data)`,
/// to show what the page does with answers this corpus does not give.
fn rewrite_answers(b: &mut Browser, prefix: &str, change: &str) {
    b.eval(&format!(
        r#"(() => {{
  const fetch0 = window.fetch, prefix = {prefix}, change = {change};
  window.fetch = function (u) {{
    const p = fetch0.apply(this, arguments);
    if (!String(u).startsWith(prefix)) return p;
    return p.then(r => r.json().then(d => new Response(JSON.stringify(change(d)),
      {{ status: r.status, headers: {{ 'Content-Type': 'application/json' }} }})));
  }};
  return true;
}})()"#,
        prefix = json!(prefix)
    ));
}

/// Waits for the search of the page's current route to be drawn.
fn wait_for_results(b: &mut Browser, what: &str) {
    b.wait_until(
        "document.getElementById('loading').hidden && !document.getElementById('total').hidden",
        what,
    );
}

fn text(b: &mut Browser, selector: &str) -> String {
    let v = b.eval(&format!(
        "(document.querySelector({}) || {{}}).textContent || ''",
        json!(selector)
    ));
    v.as_str().unwrap_or_default().to_string()
}

#[test]
fn partial_hits_reprints_and_repaired_queries_are_shown() {
    let Some((_d, server, mut b, base)) = start_page() else {
        return;
    };
    // An unbalanced parenthesis: read leniently, the repair told in Chinese; the three
    // every-word hits come first, then hits matching only 援疆 or 教育, marked.
    let typed = "援疆 (教育";
    b.open(&format!("{base}/#/search?q={}", urlencoding::encode(typed)));
    wait_for_results(&mut b, "results of a repaired query");
    let resp = api(
        &base,
        &format!("/api/search?q={}&limit=10", urlencoding::encode(typed)),
    );
    assert_eq!(resp["interpreted_as"], "援疆 教育", "{resp}");
    assert_eq!(text(&mut b, "#interp"), "按以下方式理解：援疆 教育");
    let warnings = strings(
        &b.eval("[...document.querySelectorAll('#warnings li')].map(l => l.textContent)"),
        "warnings",
    );
    assert_eq!(
        warnings,
        vec!["左括号“(”没有对应的右括号（第 4 个字符处），已按普通文字处理".to_string()],
        "the warning of {resp}"
    );
    assert_eq!(
        page_ids(&mut b, "#results .hit"),
        api_ids(&resp, "/api/search"),
        "page hits differ from /api/search"
    );
    let hits = resp["hits"].as_array().expect("hits");
    let partial: Vec<Value> = hits
        .iter()
        .filter(|h| h["partial"] == json!(true))
        .map(|h| h["id"].clone())
        .collect();
    let whole = hits.len() - partial.len();
    assert!(
        whole > 0 && !partial.is_empty(),
        "{typed} should give both kinds of hits: {resp}"
    );
    assert_eq!(
        b.eval("[...document.querySelectorAll('#results .hit.partial')].map(e => e.dataset.id)"),
        Value::Array(partial.clone()),
        "hits marked partial"
    );
    assert_eq!(
        b.eval(
            "[...document.querySelectorAll('#results .hit')].map(e =>              (e.querySelector('.partial-badge') || {}).textContent || '')"
        ),
        json!(hits
            .iter()
            .map(|h| if h["partial"] == json!(true) { "部分匹配" } else { "" })
            .collect::<Vec<_>>()),
        "the 部分匹配 badges"
    );
    // One divider, right before the first partial hit.
    assert_eq!(
        b.eval(
            "[...document.querySelectorAll('#results > li')].map(e =>              e.classList.contains('partial-divider') ? '-' : e.classList.contains('partial') ? 'p' : 'w').join('')"
        ),
        json!(format!("{}-{}", "w".repeat(whole), "p".repeat(partial.len()))),
        "every-word hits, the divider, partial hits"
    );
    assert_eq!(
        text(&mut b, "#total"),
        format!(
            "共 {} 篇文章匹配全部词语，{} 个报道",
            resp["total"], resp["groups"]
        )
    );

    // A story with reprints: the badge opens and closes the list of its copies.
    let q = "脱贫攻坚";
    b.eval(&format!(
        "location.hash = '#/search?q=' + encodeURIComponent({})",
        json!(q)
    ));
    b.wait_until(
        &format!("document.getElementById('q').value === {} && document.getElementById('loading').hidden && !!document.querySelector('#results .copies')", json!(q)),
        "results with a reprint badge",
    );
    let resp = api(
        &base,
        &format!("/api/search?q={}&limit=10", urlencoding::encode(q)),
    );
    assert_eq!(
        text(&mut b, "#total"),
        format!(
            "共 {} 篇文章匹配全部词语，{} 个报道",
            resp["total"], resp["groups"]
        ),
        "the count line of {resp}"
    );
    let hit = resp["hits"]
        .as_array()
        .and_then(|h| h.iter().find(|h| h["copies"]["count"].as_u64() > Some(0)))
        .unwrap_or_else(|| panic!("no hit of {q} has copies: {resp}"))
        .clone();
    let copies = hit["copies"]["articles"].as_array().expect("copies");
    let mut sources: Vec<&str> = Vec::new();
    for c in copies {
        let s = c["source"].as_str().unwrap_or_default();
        if !s.is_empty() && !sources.contains(&s) {
            sources.push(s);
        }
    }
    let li = format!("#results .hit[data-id={}]", json!(hit["id"]));
    assert_eq!(
        text(&mut b, &format!("{li} .copies")),
        format!("{} 篇转载：{}", hit["copies"]["count"], sources.join("、")),
        "the badge"
    );
    let list_state = format!(
        "(() => {{ const l = document.querySelector({}); return [l.hidden, document.querySelector({}).getAttribute('aria-expanded')]; }})()",
        json!(format!("{li} .copies-list")),
        json!(format!("{li} .copies"))
    );
    assert_eq!(
        b.eval(&list_state),
        json!([true, "false"]),
        "closed at first"
    );
    b.click(&format!("{li} .copies"));
    assert_eq!(
        b.eval(&list_state),
        json!([false, "true"]),
        "opened by the badge"
    );
    let shown = b.eval(&format!(
        "[...document.querySelectorAll({})].map(c => [c.dataset.id, c.querySelector('a').textContent, \
         c.querySelector('a').getAttribute('href'), (c.querySelector('.copy-source') || {{}}).textContent || null])",
        json!(format!("{li} .copies-list li.copy"))
    ));
    let want: Vec<Value> = copies
        .iter()
        .map(|c| {
            let id = c["id"].as_str().unwrap_or_default();
            json!([
                id,
                c["title"],
                format!("#/article/{}", urlencoding::encode(id)),
                c["source"]
            ])
        })
        .collect();
    assert_eq!(shown, Value::Array(want), "the copies listed");
    b.click(&format!("{li} .copies"));
    assert_eq!(b.eval(&list_state), json!([true, "false"]), "closed again");
    b.click(&format!("{li} .copies"));
    let first = copies[0]["id"].as_str().unwrap_or_default().to_string();
    b.click(&format!("{li} .copies-list li.copy a"));
    b.wait_until(
        &format!(
            "location.hash === {} && document.getElementById('article-title')?.textContent",
            json!(format!("#/article/{}", urlencoding::encode(&first)))
        ),
        "the copy's article",
    );

    // Facet lists are drawn whatever their keys; a person is added to the query.
    rewrite_answers(
        &mut b,
        "/api/search",
        "d => { if (d.facets) d.facets.person = [{value: '吴志刚', count: 2}]; return d; }",
    );
    // The facets of the last search (real people among them) must not pass for the new ones.
    b.eval("document.getElementById('facets').replaceChildren()");
    b.eval("location.hash = '#/search?q=' + encodeURIComponent('脱贫')");
    b.wait_until(
        "document.getElementById('q').value === '脱贫' && document.getElementById('loading').hidden && !!document.querySelector('#facets [data-facet=person] button')",
        "the person facet",
    );
    assert_eq!(
        b.eval("[...document.querySelectorAll('#facets h4')].map(e => e.textContent)"),
        json!(["来源", "年份", "人物", "地点", "机构"]),
        "facet headings"
    );
    b.click("#facets [data-facet=person] button");
    b.wait_until(
        "document.getElementById('q').value === '脱贫 person:吴志刚' && document.getElementById('loading').hidden          && !!document.querySelector('#facets [data-facet=person] button.active')",
        "the person added to the query",
    );
    // A question: the words it did not require, told in Chinese.
    let question = "援疆教育怎么样";
    b.open(&format!(
        "{base}/#/search?q={}",
        urlencoding::encode(question)
    ));
    wait_for_results(&mut b, "results of a question");
    b.wait_until(
        "document.getElementById('loading').hidden && !document.getElementById('warnings').hidden",
        "the question's warning",
    );
    assert_eq!(
        strings(
            &b.eval("[...document.querySelectorAll('#warnings li')].map(l => l.textContent)"),
            "warnings",
        ),
        vec!["疑问词不要求出现：怎么样".to_string()]
    );
    drop(b);
    server.stop();
}

#[test]
fn failures_and_empty_lists_are_told_in_chinese() {
    let Some((_d, server, mut b, base)) = start_page() else {
        return;
    };
    let error = |b: &mut Browser| {
        b.wait_until(
            "!document.getElementById('error').hidden && document.getElementById('loading').hidden",
            "an error message",
        );
        (
            b.eval("document.getElementById('error').dataset.code || ''"),
            text(b, "#error .error-main"),
            text(b, "#error .error-detail"),
        )
    };
    // Strict syntax from the URL: an unbalanced quote is a bad query.
    b.open(&format!(
        "{base}/#/search?q={}&syntax=strict",
        urlencoding::encode("\"援疆")
    ));
    let (code, main, detail) = error(&mut b);
    assert_eq!(code, "bad_query");
    assert_eq!(
        main,
        "查询语句无法解析，请检查引号、括号和字段名是否成对、正确。"
    );
    assert!(
        detail.starts_with("服务器信息：") && detail.contains("unbalanced quote"),
        "the server's words as a second line: {detail:?}"
    );
    assert_eq!(
        b.eval("document.querySelectorAll('#results .hit').length"),
        json!(0)
    );

    // Too many hits per page.
    b.eval("location.hash = '#/search?q=' + encodeURIComponent('援疆') + '&limit=1000'");
    let (code, main, _) = error(&mut b);
    assert_eq!(
        (code, main.as_str()),
        (
            json!("bad_request"),
            "请求参数有误，请检查日期、来源、每页条数等条件。"
        )
    );

    // Dates the wrong way round are caught before asking.
    b.eval("location.hash = '#/search?q=' + encodeURIComponent('援疆') + '&from=2022-01-01&to=2020-01-01'");
    let (_, main, _) = error(&mut b);
    assert!(
        main.starts_with("开始日期（2022-01-01）晚于结束日期（2020-01-01）"),
        "{main}"
    );

    // Dates are typed the Chinese way, whatever the browser's language; a year or a month
    // stands for its first (from) or last (to) day.
    b.eval(
        "(() => { const v = (id, x) => { document.getElementById(id).value = x; }; \
         v('q', '援疆'); v('from', '2019年'); v('to', '2020年12月'); return true; })()",
    );
    b.click("#search-btn");
    b.wait_until(
        "location.hash.includes('from=2019-01-01&to=2020-12-31') && document.getElementById('loading').hidden \
         && document.getElementById('error').hidden && document.querySelectorAll('#results .hit').length > 0",
        "a search within typed dates",
    );
    assert_eq!(
        b.eval("[document.getElementById('from').value, document.getElementById('to').value]"),
        json!(["2019-01-01", "2020-12-31"]),
        "the dates as searched"
    );
    b.eval("document.getElementById('from').value = '2020-02-30'");
    b.click("#search-btn");
    let (_, main, _) = error(&mut b);
    assert!(main.starts_with("日期格式有误"), "{main}");
    assert_eq!(
        b.eval("document.activeElement.id"),
        json!("from"),
        "the wrong date gets the focus"
    );

    // An article that does not exist.
    b.eval("location.hash = '#/article/nope'");
    let (code, main, _) = error(&mut b);
    assert_eq!(
        (code, main.as_str()),
        (json!("not_found"), "没有找到这篇文章（编号：nope）。")
    );

    // No related stories.
    rewrite_answers(
        &mut b,
        "/api/articles/",
        "d => { if (d.hits) d.hits = []; return d; }",
    );
    let resp = api(&base, "/api/search?q=%E6%8F%B4%E7%96%86&limit=1");
    let id = resp["hits"][0]["id"].as_str().expect("id").to_string();
    b.eval(&format!(
        "location.hash = {}",
        json!(format!("#/article/{id}"))
    ));
    b.wait_until(
        "!!document.querySelector('#related .related-empty')",
        "the empty related list",
    );
    assert_eq!(text(&mut b, "#related .related-empty"), "没有找到相关报道");
    assert!(b.eval("document.getElementById('error').hidden") == json!(true));
    drop(b);
    server.stop();
}

#[test]
fn a_token_in_the_page_url_is_sent_to_the_api() {
    let Some(binary) = chromium() else {
        eprintln!("NOTE: no chromium on PATH; .ci/run installs it. Browser test not run here.");
        return;
    };
    let (_d, engine, _) = corpus_engine();
    let options = zhnews::serve::ServeOptions {
        token: Some("t0ken".into()),
        ..Default::default()
    };
    let server = TestServer::start_with(engine, options);
    let base = format!("http://{}", server.addr);
    let mut b = Browser::launch(binary, 1280, 900);
    let q = urlencoding::encode("援疆");
    for url in [
        format!("{base}/#/search?q={q}&access_token=t0ken"),
        format!("{base}/?access_token=t0ken#/search?q={q}"),
    ] {
        // Each form read on its own: nothing kept from the previous load.
        b.eval("try { sessionStorage.clear(); } catch (e) {} true");
        b.open(&url);
        b.wait_until(
            "document.querySelectorAll('#results .hit').length > 0 && document.getElementById('stats').textContent.includes('文档数')",
            &format!("results through {url}"),
        );
    }
    // Kept for the tab: a link without it still works.
    b.eval("location.hash = '#/search?q=' + encodeURIComponent('教育')");
    b.wait_until(
        "document.getElementById('q').value === '教育' && document.getElementById('loading').hidden && document.querySelectorAll('#results .hit').length > 0",
        "results after the token left the URL",
    );
    // Without one, the page says what is missing.
    b.eval("sessionStorage.clear(); true");
    b.open(&format!("{base}/?again#/search?q={q}"));
    b.wait_until(
        "document.getElementById('error').dataset.code === 'unauthorized'",
        "the missing token reported",
    );
    assert!(text(&mut b, "#error .error-main").starts_with("需要访问令牌"));
    drop(b);
    server.stop();
}
