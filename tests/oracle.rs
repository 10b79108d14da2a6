//! The engine against a scan. A few thousand real articles of ../shared/data/news-text
//! (every 25th, with made-up sources and a copy of every 40th on the next day) are
//! indexed; queries are drawn from the articles themselves (strings and words of them,
//! in AND, OR and NOT, on title, body or both, with date and source filters); and every
//! answer that a scan can check is checked against the scan: totals, each page walked
//! with the cursor (no article twice, none missing, all within the filters; collapsed
//! and not; by relevance and by date), trends, exports and keyword-in-context lines.
//! Skipped, with a note, when ../shared/data is absent.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use zhnews::analyze::normalize::normalize;
use zhnews::search::compile::units;
use zhnews::search::export::{parse_fields, ExportRequest};
use zhnews::search::kwic::KwicRequest;
use zhnews::search::trend::{Interval, TrendRequest};
use zhnews::search::{Engine, Filters, SearchRequest, Sort, Syntax};

const SOURCES: [&str; 3] = ["新华网", "人民网", "央视网"];

/// One article as the scan sees it.
struct Doc {
    id: String,
    /// Normalized, whitespace taken out: what quoted strings are found in.
    title: String,
    body: String,
    /// The words view of each field.
    title_words: HashSet<String>,
    body_words: HashSet<String>,
    day: NaiveDate,
    source: String,
}

struct Corpus {
    _dir: tempfile::TempDir,
    engine: Engine,
    docs: Vec<Doc>,
    /// Reprint group of each article, read back from the index.
    group: HashMap<String, u64>,
}

fn squeeze(s: &str) -> String {
    normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

static CORPUS: LazyLock<Option<Corpus>> = LazyLock::new(|| {
    let text = common::news_text()?;
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(n, _)| n % 25 == 0) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let date = v["date"].as_str().unwrap_or("2020-01-01").to_string();
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let source = SOURCES[n % 3];
        let title = v["title"].as_str().unwrap_or_default().to_string();
        let body = v["body"].as_str().unwrap_or_default().to_string();
        if body.chars().count() >= 200 && n % 40 == 0 {
            let next = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .map(|d| (d + chrono::Duration::days(1)).to_string())
                .unwrap_or(date.clone());
            rows.push(
                serde_json::json!({"id": format!("{id}-copy"), "title": title,
                "body": format!("（来源：{}）{body}", SOURCES[(n + 1) % 3]), "date": next,
                "source": SOURCES[(n + 1) % 3]}),
            );
        }
        rows.push(serde_json::json!({"id": id, "title": title, "body": body, "date": date, "source": source}));
    }
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("sample.jsonl");
    let lines: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
    std::fs::write(&input, lines.join("\n")).expect("write sample");
    let summary = common::index_into(&dir.path().join("ix"), &[input], 1000);
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped.first());
    let engine = Engine::open(&dir.path().join("ix"), false).expect("open");
    let words = |s: &str| -> HashSet<String> {
        engine
            .words()
            .words(s)
            .into_iter()
            .map(|t| t.text)
            .collect()
    };
    let docs: Vec<Doc> = rows
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            Doc {
                id: s("id"),
                title: squeeze(&s("title")),
                body: squeeze(&s("body")),
                title_words: words(&s("title")),
                body_words: words(&s("body")),
                day: NaiveDate::parse_from_str(&s("date"), "%Y-%m-%d").expect("date"),
                source: s("source"),
            }
        })
        .collect();
    let searcher = engine.searcher();
    let mut group = HashMap::new();
    for d in &docs {
        let addr = engine
            .address_of(&searcher, &d.id)
            .expect("lookup")
            .expect("indexed");
        let g = searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .u64("group")
            .expect("group column")
            .first(addr.doc_id)
            .unwrap_or(0);
        group.insert(d.id.clone(), g);
    }
    Some(Corpus {
        _dir: dir,
        engine,
        docs,
        group,
    })
});

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Any,
    Title,
    Body,
}

/// A query the scan can answer, and its text in the query language.
#[derive(Debug, Clone)]
enum Q {
    /// A quoted string.
    Exact(Field, String),
    /// An unquoted word or short string: its words, or the string itself.
    Words(Field, String),
    And(Vec<Q>),
    Or(Vec<Q>),
    /// `a -b`
    AndNot(Box<Q>, Box<Q>),
}

fn prefix(f: Field) -> &'static str {
    match f {
        Field::Any => "",
        Field::Title => "title:",
        Field::Body => "body:",
    }
}

impl Q {
    fn render(&self) -> String {
        match self {
            Q::Exact(f, s) => format!("{}\"{s}\"", prefix(*f)),
            Q::Words(f, s) => format!("{}{s}", prefix(*f)),
            Q::And(v) => v.iter().map(Q::render).collect::<Vec<_>>().join(" "),
            Q::Or(v) => format!(
                "({})",
                v.iter().map(Q::render).collect::<Vec<_>>().join(" OR ")
            ),
            Q::AndNot(a, b) => format!("{} -{}", a.render(), b.render()),
        }
    }

    fn matches(&self, d: &Doc, units_of: &dyn Fn(&str) -> Vec<String>) -> bool {
        let fields = |f: Field| -> Vec<(&str, &HashSet<String>)> {
            let t = (d.title.as_str(), &d.title_words);
            let b = (d.body.as_str(), &d.body_words);
            match f {
                Field::Any => vec![t, b],
                Field::Title => vec![t],
                Field::Body => vec![b],
            }
        };
        match self {
            Q::Exact(f, s) => fields(*f).iter().any(|(text, _)| text.contains(s.as_str())),
            Q::Words(f, s) => {
                let needed = units_of(s);
                fields(*f).iter().any(|(text, words)| {
                    text.contains(&squeeze(s)) || needed.iter().all(|u| words.contains(u))
                })
            }
            Q::And(v) => v.iter().all(|q| q.matches(d, units_of)),
            Q::Or(v) => v.iter().any(|q| q.matches(d, units_of)),
            Q::AndNot(a, b) => a.matches(d, units_of) && !b.matches(d, units_of),
        }
    }
}

/// The scan's answer: the ids of the articles that match `q` within `filters`.
fn scan(c: &Corpus, q: &Q, filters: &Filters) -> HashSet<String> {
    let units_of = |s: &str| -> Vec<String> {
        let (words, units) = units(&c.engine.words().words(s));
        units.iter().map(|u| words[u.whole].clone()).collect()
    };
    c.docs
        .iter()
        .filter(|d| filters.from.is_none_or(|f| d.day >= f))
        .filter(|d| filters.to.is_none_or(|t| d.day <= t))
        .filter(|d| filters.source.as_deref().is_none_or(|s| d.source == s))
        .filter(|d| q.matches(d, &units_of))
        .map(|d| d.id.clone())
        .collect()
}

/// A piece of an article to search for: 1-6 characters of its title or body, or one of
/// its words (of at most three units, whose matching the scan can state exactly).
fn leaf(c: &Corpus, pick: (usize, usize, usize, u8, u8)) -> Option<Q> {
    let (doc, offset, len, kind, field) = pick;
    let d = &c.docs[doc % c.docs.len()];
    let field = match field % 4 {
        0 => Field::Title,
        1 => Field::Body,
        _ => Field::Any,
    };
    let text: Vec<char> = if field == Field::Title || offset % 3 == 0 {
        d.title.chars().collect()
    } else {
        d.body.chars().collect()
    };
    if text.len() < 2 {
        return None;
    }
    if kind % 2 == 0 {
        let len = 1 + len % 6;
        let start = offset % text.len().saturating_sub(len).max(1);
        let s: String = text[start..(start + len).min(text.len())].iter().collect();
        if s.is_empty()
            || s.contains(['"', '“', '”', '「', '」'])
            || !s.chars().any(char::is_alphanumeric)
        {
            return None;
        }
        Some(Q::Exact(field, s))
    } else {
        let words: Vec<String> = c
            .engine
            .words()
            .words(&text.iter().collect::<String>())
            .into_iter()
            .map(|t| t.text)
            .filter(|w| w.chars().count() >= 2 && w.chars().all(zhnews::analyze::is_cjk))
            .collect();
        let w = words.get(offset % words.len().max(1))?.clone();
        let (_, u) = units(&c.engine.words().words(&w));
        (u.len() <= 3).then_some(Q::Words(field, w))
    }
}

type Pick = (usize, usize, usize, u8, u8);

fn pick() -> impl Strategy<Value = Pick> {
    (
        any::<usize>(),
        any::<usize>(),
        any::<usize>(),
        any::<u8>(),
        any::<u8>(),
    )
}

fn query(c: &Corpus, shape: u8, picks: &[Pick]) -> Option<Q> {
    let leaves: Vec<Q> = picks.iter().filter_map(|p| leaf(c, *p)).collect();
    let take = |n: usize| -> Option<Vec<Q>> { (leaves.len() >= n).then(|| leaves[..n].to_vec()) };
    Some(match shape % 5 {
        0 => take(1)?.remove(0),
        1 => Q::And(take(2)?),
        2 => Q::Or(take(2)?),
        3 => {
            let mut v = take(2)?;
            let b = v.pop()?;
            Q::AndNot(Box::new(v.pop()?), Box::new(b))
        }
        _ => Q::And(vec![Q::Or(take(2)?), take(3)?.remove(2)]),
    })
}

fn filters(c: &Corpus, f: (u8, usize, usize)) -> Filters {
    let (kind, a, b) = f;
    let days: Vec<NaiveDate> = c.docs.iter().map(|d| d.day).collect();
    let (x, y) = (days[a % days.len()], days[b % days.len()]);
    let (from, to) = if x <= y { (x, y) } else { (y, x) };
    Filters {
        from: (kind & 1 != 0).then_some(from),
        to: (kind & 2 != 0).then_some(to),
        source: (kind & 4 != 0).then(|| SOURCES[a % 3].to_string()),
    }
}

/// Every hit of a search, page by page through the cursor; with collapsing, each hit's
/// listed copies too. Fails on an article seen twice.
fn walk(
    c: &Corpus,
    text: &str,
    filters: &Filters,
    sort: Sort,
    collapse: bool,
) -> (u64, Vec<String>) {
    let mut req = SearchRequest::new(text);
    req.syntax = Syntax::Strict;
    req.partial = false;
    req.limit = 7;
    req.filters = filters.clone();
    req.sort = sort;
    req.collapse = collapse;
    let mut seen = Vec::new();
    let mut total = None;
    for _ in 0..10_000 {
        let r = c
            .engine
            .search(&req)
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(
            total.is_none_or(|t| t == r.total),
            "{text}: total changed while paging"
        );
        total = Some(r.total);
        for h in &r.hits {
            seen.push(h.id.clone());
            for a in h.copies.iter().flat_map(|c| &c.articles) {
                seen.push(a.id.clone());
            }
        }
        match r.next_cursor {
            Some(next) => req.cursor = Some(next),
            None => break,
        }
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "{text}: an article came twice");
    (total.unwrap_or(0), seen)
}

fn check(c: &Corpus, q: &Q, f: &Filters) -> Result<(), TestCaseError> {
    let text = q.render();
    let want = scan(c, q, f);
    if std::env::var("ORACLE_VERBOSE").is_ok() {
        eprintln!("{} matches for {text} {f:?}", want.len());
    }
    let by_id: HashMap<&str, &Doc> = c.docs.iter().map(|d| (d.id.as_str(), d)).collect();
    for (sort, collapse) in [
        (Sort::Relevance, false),
        (Sort::Relevance, true),
        (Sort::Date, true),
        (Sort::Date, false),
    ] {
        let (total, seen) = walk(c, &text, f, sort, collapse);
        prop_assert_eq!(
            total,
            want.len() as u64,
            "{} {:?} {:?}",
            text,
            f,
            (sort, collapse)
        );
        let got: HashSet<String> = seen.iter().cloned().collect();
        prop_assert!(
            got == want,
            "{text} {f:?} {sort:?} collapse {collapse}: {} missing, {} extra",
            want.difference(&got).count(),
            got.difference(&want).count()
        );
        if sort == Sort::Date && !collapse {
            let days: Vec<NaiveDate> = seen.iter().map(|id| by_id[id.as_str()].day).collect();
            prop_assert!(
                days.windows(2).all(|w| w[0] >= w[1]),
                "{text}: dates out of order"
            );
        }
    }
    // Stories: the distinct groups among the matches.
    let mut req = SearchRequest::new(&text);
    req.syntax = Syntax::Strict;
    req.partial = false;
    req.filters = f.clone();
    let r = c.engine.search(&req).expect("search");
    let groups: HashSet<u64> = want.iter().map(|id| c.group[id]).collect();
    prop_assert_eq!(r.groups, Some(groups.len() as u64), "{}", text);
    // Trend: the buckets add up to the total, and none lies outside the dates asked.
    let mut t = TrendRequest::new(vec![text.clone()]);
    t.syntax = Syntax::Strict;
    t.interval = Interval::Month;
    t.filters = f.clone();
    let trend = c.engine.trend(&t).expect("trend");
    let sum: u64 = trend.series[0].buckets.iter().map(|b| b.count).sum();
    prop_assert_eq!(sum, want.len() as u64, "trend of {}", text);
    for b in &trend.series[0].buckets {
        let start = NaiveDate::parse_from_str(&b.start, "%Y-%m-%d").expect("bucket");
        prop_assert!(
            f.to.is_none_or(|to| start <= to),
            "bucket {} after {:?}",
            b.start,
            f.to
        );
        prop_assert!(f
            .from
            .is_none_or(|from| start >= Interval::Month.bucket(from)));
    }
    // Export: one row per match.
    let mut e = ExportRequest::new(&text);
    e.syntax = Syntax::Strict;
    e.filters = f.clone();
    e.fields = parse_fields(Some("id")).expect("fields");
    let mut out = Vec::new();
    let n = c.engine.export(&e, &mut out).expect("export");
    prop_assert_eq!(n, want.len() as u64);
    let rows: HashSet<String> = String::from_utf8(out)
        .expect("utf8")
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    prop_assert!(rows == want, "export of {}", text);
    Ok(())
}

/// Occurrences of `needle` in `text`, left to right without overlap.
fn occurrences(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_answer_equals_the_scan(
        shape in any::<u8>(),
        picks in prop::collection::vec(pick(), 3),
        f in (any::<u8>(), any::<usize>(), any::<usize>()),
    ) {
        let Some(c) = CORPUS.as_ref() else { return Ok(()) };
        let Some(q) = query(c, shape, &picks) else { return Ok(()) };
        let filters = filters(c, f);
        check(c, &q, &filters)?;
    }

    #[test]
    fn kwic_lines_are_the_occurrences(p in pick()) {
        let Some(c) = CORPUS.as_ref() else { return Ok(()) };
        let Some(Q::Exact(Field::Any, s)) = leaf(c, (p.0, p.1, p.2, 0, 3)) else { return Ok(()) };
        let mut req = KwicRequest::new(format!("\"{s}\""));
        req.limit = 10_000;
        let k = c.engine.kwic(&req).expect("kwic");
        let want: usize = c.docs.iter().map(|d| occurrences(&d.title, &s) + occurrences(&d.body, &s)).sum();
        prop_assert_eq!(k.lines.len(), want.min(10_000), "{}", s);
        prop_assert_eq!(k.truncated, want > 10_000);
        if !k.truncated {
            let docs: HashSet<&str> = k.lines.iter().map(|l| l.id.as_str()).collect();
            prop_assert_eq!(k.articles as usize, docs.len());
        }
    }
}

/// The default search (partial matches on) shows every-word matches first, then only
/// partial ones; `total` counts only the first.
#[test]
fn partial_hits_come_after_every_word_matches() {
    let Some(c) = CORPUS.as_ref() else { return };
    let mut n = 0;
    for d in c.docs.iter().step_by(97).take(30) {
        let title: String = d.title.chars().take(14).collect();
        let r = c
            .engine
            .search(&SearchRequest::new(&title))
            .expect("search");
        let full = r.hits.iter().take_while(|h| !h.partial).count() as u64;
        assert!(r.hits[full as usize..].iter().all(|h| h.partial), "{title}");
        // One hit per story: every-word stories fill the page before any partial hit.
        let stories = r.groups.unwrap_or(r.total);
        assert_eq!(full, stories.min(10), "{title}");
        n += usize::from((full as usize) < r.hits.len());
    }
    assert!(n > 0, "no query was topped up");
}

/// The same input indexed again, with other thread counts and commit sizes, groups the
/// same copies and answers the same pages (ties are broken by id everywhere).
#[test]
fn indexing_is_reproducible() {
    let Some(c) = CORPUS.as_ref() else { return };
    let dir = tempfile::tempdir().expect("tmp");
    let input = c._dir.path().join("sample.jsonl");
    let open = zhnews::index::create_or_open(dir.path(), None).expect("index");
    let options = zhnews::index::IndexOptions {
        commit_every: 97,
        threads: 1,
        heap_bytes: 32 << 20,
        final_merge: false,
        detect_reprints: true,
    };
    let mut w = zhnews::index::Indexer::new(open, options).expect("writer");
    zhnews::pipeline::index(
        &mut w,
        &[input],
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
        &mut |_| {},
    )
    .expect("run");
    drop(w);
    let other = Engine::open(dir.path(), false).expect("open");
    assert!(
        other.searcher().segment_readers().len() > 1,
        "wanted many segments"
    );
    let mut by_group: BTreeMap<u64, Vec<&str>> = BTreeMap::new();
    for d in &c.docs {
        by_group.entry(c.group[&d.id]).or_default().push(&d.id);
    }
    let searcher = other.searcher();
    for members in by_group.values().filter(|m| m.len() > 1) {
        let groups: HashSet<u64> = members
            .iter()
            .map(|id| {
                let a = other
                    .address_of(&searcher, id)
                    .expect("lookup")
                    .expect("indexed");
                searcher
                    .segment_reader(a.segment_ord)
                    .fast_fields()
                    .u64("group")
                    .expect("group")
                    .first(a.doc_id)
                    .unwrap_or(0)
            })
            .collect();
        assert_eq!(groups.len(), 1, "{members:?} grouped otherwise");
    }
    for d in c.docs.iter().step_by(211).take(10) {
        let q: String = d.title.chars().take(8).collect();
        let page = |e: &Engine| -> Vec<(String, bool)> {
            e.search(&SearchRequest::new(&q))
                .expect("search")
                .hits
                .into_iter()
                .map(|h| (h.id, h.partial))
                .collect()
        };
        assert_eq!(page(&c.engine), page(&other), "{q}");
    }
}
