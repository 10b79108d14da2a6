//! What the page says about itself in `<head>`: meta tags, canonical link, `<title>`,
//! JSON-LD, `<time>`.

use std::collections::HashMap;
use std::sync::LazyLock;

use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector parses")
}

static META: LazyLock<Selector> = LazyLock::new(|| sel("meta"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| sel("link[rel=canonical]"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static JSON_LD: LazyLock<Selector> = LazyLock::new(|| sel("script[type='application/ld+json']"));
static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time[datetime], time[pubdate]"));
static FIRST_H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1, h2, .title, .article-title, #title"));

#[derive(Debug, Default)]
pub struct HeadInfo {
    /// name/property/itemprop (lowercase) → content; the first of each wins.
    pub meta: HashMap<String, String>,
    pub canonical: Option<String>,
    pub title: Option<String>,
    /// Headline candidates from h1/h2/title-classed elements, in document order.
    pub headings: Vec<String>,
    /// The first `<h1>` with text.
    pub h1: Option<String>,
    pub ld_published: Option<String>,
    pub ld_headline: Option<String>,
    pub ld_author: Option<String>,
    pub time_element: Option<String>,
    /// What the first `<time>` element shows: the page's own clock for `time_element`.
    pub time_text: Option<String>,
}

impl HeadInfo {
    pub fn get(&self, keys: &[&str]) -> Option<&str> {
        keys.iter()
            .find_map(|k| self.meta.get(*k))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }
}

fn text_of(el: scraper::ElementRef) -> String {
    let mut s = String::new();
    for t in el.text() {
        s.push_str(t);
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn read(doc: &Html) -> HeadInfo {
    let mut info = HeadInfo::default();
    for m in doc.select(&META) {
        let e = m.value();
        let key = e
            .attr("property")
            .or_else(|| e.attr("name"))
            .or_else(|| e.attr("itemprop"))
            .or_else(|| e.attr("http-equiv"));
        if let (Some(k), Some(v)) = (key, e.attr("content")) {
            info.meta
                .entry(k.trim().to_ascii_lowercase())
                .or_insert_with(|| v.trim().to_string());
        }
    }
    info.canonical = doc
        .select(&CANONICAL)
        .find_map(|l| l.value().attr("href"))
        .map(|h| h.trim().to_string())
        .filter(|h| h.starts_with("http"));
    info.title = doc
        .select(&TITLE)
        .next()
        .map(text_of)
        .filter(|t| !t.is_empty());
    info.headings = doc
        .select(&H1)
        .take(20)
        .map(text_of)
        .filter(|t| {
            let n = t.chars().count();
            (2..=120).contains(&n)
        })
        .collect();
    info.h1 = doc
        .select(&FIRST_H1)
        .map(text_of)
        .find(|t| (2..=120).contains(&t.chars().count()));
    for script in doc.select(&JSON_LD) {
        let raw: String = script.text().collect();
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&raw) {
            read_ld(&v, &mut info, 0);
        }
    }
    if let Some(t) = doc.select(&TIME).next() {
        let shown = text_of(t);
        info.time_element = t
            .value()
            .attr("datetime")
            .map(str::to_string)
            .or_else(|| Some(shown.clone()));
        info.time_text = Some(shown);
    }
    info
}

fn read_ld(v: &serde_json::Value, info: &mut HeadInfo, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        serde_json::Value::Array(items) => items.iter().for_each(|i| read_ld(i, info, depth + 1)),
        serde_json::Value::Object(o) => {
            let s = |k: &str| o.get(k).and_then(|x| x.as_str()).map(str::to_string);
            if info.ld_published.is_none() {
                info.ld_published = s("datePublished").or_else(|| s("dateCreated"));
            }
            if info.ld_headline.is_none() {
                info.ld_headline = s("headline");
            }
            if info.ld_author.is_none() {
                info.ld_author = match o.get("author") {
                    Some(serde_json::Value::String(a)) => Some(a.clone()),
                    Some(serde_json::Value::Object(a)) => {
                        a.get("name").and_then(|n| n.as_str()).map(str::to_string)
                    }
                    Some(serde_json::Value::Array(a)) => {
                        let names: Vec<&str> = a
                            .iter()
                            .filter_map(|x| x.get("name").and_then(|n| n.as_str()).or(x.as_str()))
                            .collect();
                        (!names.is_empty()).then(|| names.join(" "))
                    }
                    _ => None,
                };
            }
            if let Some(g) = o.get("@graph") {
                read_ld(g, info, depth + 1);
            }
        }
        _ => {}
    }
}
