//! HTML to [`Article`]: charset, main content, title, publish time, byline, section and
//! keywords. The only stage that touches HTML.
//!
//! `charset.rs` decodes the bytes and `dom.rs` flattens the parsed page into nodes and lines
//! of visible text. `content.rs` picks the article container by punctuation and link density;
//! `blocks.rs` scores every line with signals that hold across sites and a small learned
//! model (`block_model.rs`, data written by `examples/extract_blocks.rs`), and decides where
//! the story starts and ends in and around that container. `title.rs` reconciles `<h1>`,
//! og:title and `<title>`; `date.rs` reads publish times; `byline.rs` reads 来源/作者/编辑;
//! `meta.rs` reads what `<head>` says. This file drives them and holds the output types.

mod block_model;
pub mod blocks;
mod bounds;
mod byline;
mod charset;
mod content;
pub mod date;
mod dom;
mod meta;
mod title;

use std::sync::LazyLock;

use regex::Regex;
use scraper::Html;
use serde::Serialize;

pub use blocks::BlockModel;
pub use byline::Byline;
pub use charset::decode;

use crate::article::{stable_id, Article};
use crate::error::{Error, Result};
use crate::ingest::{ExtractedRecord, Item, RawPage};

/// Turns one ingested item into an article.
pub fn extract(item: &Item) -> Result<Article> {
    match item {
        Item::Page(page) => extract_page(page),
        Item::Extracted { origin, record } => from_record(origin, record),
        Item::Ignored { origin } => Err(Error::bad_input(origin, "not an input file")),
    }
}

/// Pages with more tags than this are refused (see `extract_page`).
pub const MAX_TAGS: usize = 60_000;

/// Control bytes (other than tab, newline, carriage return, form feed and escape) are rare
/// in text in any charset and common in binary files.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let control = head
        .iter()
        .filter(|b| matches!(**b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F))
        .count();
    control * 100 > head.len()
}

fn memchr_count(bytes: &[u8], b: u8) -> usize {
    bytes.iter().filter(|x| **x == b).count()
}

/// Extracts an article from a crawled page.
pub fn extract_page(page: &RawPage) -> Result<Article> {
    let (text, _) = decode(&page.bytes, page.http_charset.as_deref());
    if looks_binary(&page.bytes) {
        return Err(Error::bad_input(
            &page.origin,
            "binary data, not an HTML page",
        ));
    }
    // The HTML parser slows quadratically on pathological nesting; no article page has
    // anywhere near this many tags.
    let tags = memchr_count(text.as_bytes(), b'<');
    if tags > MAX_TAGS {
        return Err(Error::bad_input(
            &page.origin,
            format!("{tags} tags, over the cap of {MAX_TAGS} (not an article page)"),
        ));
    }
    let scan = bounds::scan(&text);
    if scan.max_attributes > bounds::MAX_ATTRIBUTES {
        return Err(Error::bad_input(
            &page.origin,
            format!(
                "an element with {} attributes, over the cap of {} (not an article page)",
                scan.max_attributes,
                bounds::MAX_ATTRIBUTES
            ),
        ));
    }
    // Formatting left open would be re-opened in every later block: take it out.
    let text = if scan.unclosed_formatting > bounds::MAX_UNCLOSED_FORMATTING {
        bounds::strip_formatting(&text)
    } else {
        text
    };
    // When the page was fetched anchors stamps that count back (`3小时前`, `昨天 12:30`).
    let fetched = page
        .fetched_at
        .as_deref()
        .and_then(date::parse)
        .map(|f| f.time);
    extract_document(&text, page.url.as_deref(), fetched, &block_model::MODEL)
        .map_err(|reason| Error::bad_input(&page.origin, reason))
}

/// The JSON Lines output of `zhnews extract`.
#[derive(Debug, Serialize)]
pub struct ExtractOutput<'a> {
    /// Where the input came from (`path`, `path:line`, `path#record`), so a reader can find
    /// the page again; absent where the caller has no input to name (the HTTP API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<&'a str>,
    /// The page's address: `<link rel=canonical>`, else og:url, else the URL the crawl (WARC,
    /// JSON Lines) fetched it from.
    pub url: Option<&'a str>,
    pub title: &'a str,
    pub published: Option<String>,
    pub source: Option<&'a str>,
    pub author: Option<&'a str>,
    pub editor: Option<&'a str>,
    pub section: Option<&'a str>,
    pub keywords: &'a [String],
    pub body: &'a str,
}

impl<'a> From<&'a Article> for ExtractOutput<'a> {
    fn from(a: &'a Article) -> Self {
        ExtractOutput {
            origin: None,
            url: a.url.as_deref(),
            title: &a.title,
            published: a.published.map(|t| t.to_string()),
            source: a.source.as_deref(),
            author: a.author.as_deref(),
            editor: a.editor.as_deref(),
            section: a.section.as_deref(),
            keywords: &a.keywords,
            body: &a.body,
        }
    }
}

impl<'a> ExtractOutput<'a> {
    /// The output for an article read from the input named `origin`.
    pub fn with_origin(a: &'a Article, origin: &'a str) -> Self {
        ExtractOutput {
            origin: Some(origin),
            ..ExtractOutput::from(a)
        }
    }
}

/// An article as the API returns it: the extract output plus its id.
#[derive(Debug, Serialize)]
pub struct ExtractOutputWithId<'a> {
    pub id: &'a str,
    #[serde(flatten)]
    pub fields: ExtractOutput<'a>,
    /// People, places and organisations found at index time (`show`, the API).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<&'a crate::analyze::entities::Entities>,
}

impl<'a> From<&'a Article> for ExtractOutputWithId<'a> {
    fn from(a: &'a Article) -> Self {
        ExtractOutputWithId {
            id: &a.id,
            fields: ExtractOutput::from(a),
            entities: None,
        }
    }
}

static BREADCRUMB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置|現在位置|当前页面)\s*[:：]?\s*(.+)").expect("breadcrumb regex")
});

fn section_from(lines: &[dom::Line], head: &meta::HeadInfo) -> Option<String> {
    for line in lines.iter().take(400) {
        if line.chars > 80 {
            continue;
        }
        if let Some(c) = BREADCRUMB.captures(&line.text) {
            let parts: Vec<&str> = c[1]
                .split(['>', '›', '»', '＞', '/', '|', '→'])
                .map(str::trim)
                .filter(|p| {
                    !p.is_empty()
                        && !matches!(
                            *p,
                            "首页"
                                | "正文"
                                | "网站首页"
                                | "新闻中心"
                                | "新闻"
                                | "内容"
                                | "正文内容"
                        )
                })
                .collect();
            if let Some(last) = parts.last() {
                if last.chars().count() <= 12 {
                    return Some(last.to_string());
                }
            }
        }
    }
    head.get(&[
        "article:section",
        "section",
        "columnname",
        "catalogs",
        "category",
    ])
    .map(str::to_string)
}

/// Extracts from decoded HTML. The error is the reason, without the origin.
pub fn extract_html(html: &str, url: Option<&str>) -> std::result::Result<Article, String> {
    extract_html_with(html, url, &block_model::MODEL)
}

/// The model that scores lines as story text or not, as shipped.
pub fn block_model() -> &'static BlockModel {
    &block_model::MODEL
}

/// The lines of visible text in and around a page's article container, with their block
/// features, for training and checking the block model (`examples/extract_blocks.rs`).
pub fn block_features(html: &str) -> Vec<(String, [f32; blocks::N_FEATURES])> {
    let doc = Html::parse_document(html);
    let head = meta::read(&doc);
    let flat = dom::Flat::new(&doc);
    let Some(main) = content::find_main(&flat) else {
        return Vec::new();
    };
    let all_lines = flat.lines(0..flat.nodes.len(), &|_| false);
    let title = title::choose(&head, &all_lines, main);
    let layout = layout(&flat, &all_lines, main, &title);
    let (x, _) = blocks::features(&flat, &all_lines, &layout);
    let in_main = in_container(&flat, &all_lines, main);
    let window = blocks::window(&in_main);
    all_lines
        .into_iter()
        .map(|l| l.text)
        .zip(x)
        .enumerate()
        .filter(|(i, _)| window.contains(i))
        .map(|(_, row)| row)
        .collect()
}

/// For each line, whether it is in the container `main` and not in a box of other things
/// inside it (share bars, related stories, comments).
fn in_container(flat: &dom::Flat, lines: &[dom::Line], main: usize) -> Vec<bool> {
    let end = main + flat.nodes[main].size;
    let mut boxed_until = 0usize;
    let mut boxed = vec![false; end.saturating_sub(main)];
    for i in main + 1..end {
        // Only blocks: a `<span class="hljs-comment">` in a code listing is no box.
        if i >= boxed_until && flat.is_block(i) && content::is_boilerplate_box(flat, i) {
            boxed_until = i + flat.nodes[i].size;
        }
        boxed[i - main] = i < boxed_until;
    }
    lines
        .iter()
        .map(|l| (main..end).contains(&l.node) && !boxed[l.node - main])
        .collect()
}

/// The main container and the headline's line.
fn layout<'t>(
    flat: &dom::Flat,
    all_lines: &[dom::Line],
    main: usize,
    title: &'t str,
) -> blocks::Layout<'t> {
    let main_end = main + flat.nodes[main].size;
    let first_body_line = all_lines
        .iter()
        .position(|l| l.node >= main)
        .unwrap_or(all_lines.len());
    let title_line = all_lines[..first_body_line].iter().rposition(|l| {
        !title.is_empty() && l.chars >= 4 && (l.text.contains(title) || title.contains(&l.text))
    });
    blocks::Layout {
        main: main..main_end,
        title_line,
        title,
    }
}

/// [`extract_html`] with another block model (to check a model trained without some pages).
pub fn extract_html_with(
    html: &str,
    url: Option<&str>,
    model: &BlockModel,
) -> std::result::Result<Article, String> {
    extract_document(html, url, None, model)
}

/// Extracts from decoded HTML fetched at `fetched` (when known).
fn extract_document(
    html: &str,
    url: Option<&str>,
    fetched: Option<chrono::DateTime<chrono::FixedOffset>>,
    model: &BlockModel,
) -> std::result::Result<Article, String> {
    let doc = Html::parse_document(html);
    let head = meta::read(&doc);
    let flat = dom::Flat::new(&doc);
    let Some(main) = content::find_main(&flat) else {
        return Err("no text found in the page".into());
    };
    let main_end = main + flat.nodes[main].size;
    let body_lines = flat.lines(main..main_end, &|i| content::is_boilerplate_box(&flat, i));
    let all_lines = flat.lines(0..flat.nodes.len(), &|_| false);

    let title = title::choose(&head, &all_lines, main);
    let first_body_line = all_lines
        .iter()
        .position(|l| l.node >= main)
        .unwrap_or(all_lines.len());
    let layout = layout(&flat, &all_lines, main, &title);
    let title_line = layout.title_line;
    let (x, roles) = blocks::features(&flat, &all_lines, &layout);
    let probs: Vec<f32> = x.iter().map(|x| model.probability(x)).collect();
    let in_main = in_container(&flat, &all_lines, main);
    let chosen_ix = blocks::select(&all_lines, &probs, &roles, &in_main, title_line, model);
    let chosen: Vec<&dom::Line> = chosen_ix.iter().filter_map(|i| all_lines.get(*i)).collect();
    // The container's lines the model left out still carry bylines and time stamps.
    let mut is_chosen = vec![false; all_lines.len()];
    for &i in &chosen_ix {
        is_chosen[i] = true;
    }
    let candidates: Vec<(&dom::Line, bool)> = all_lines
        .iter()
        .enumerate()
        .filter(|(i, _)| is_chosen[*i] || in_main[*i])
        .map(|(i, l)| (l, is_chosen[i]))
        .collect();
    // The header: from the headline to where the story starts, wherever the template put
    // the two (a headline inside the container, a stamp in a share box beside it), else the
    // lines just above the container.
    let n_title = title.chars().count();
    let headlines: Vec<usize> = all_lines
        .iter()
        .enumerate()
        .filter(|(_, l)| n_title >= 4 && l.chars <= n_title + 12 && l.text.contains(title.as_str()))
        .map(|(i, _)| i)
        .take(3)
        .collect();
    let story_start = chosen_ix.first().copied().unwrap_or(first_body_line);
    let header_range = match title_line.or(headlines.first().copied()) {
        Some(h) if h < story_start && story_start - h <= 20 => h..story_start,
        _ => {
            title_line
                .unwrap_or(0)
                .max(first_body_line.saturating_sub(15))..first_body_line
        }
    };
    // Menus are no header, but a stamp may be a link (to the day's archive).
    let header: Vec<&dom::Line> = all_lines[header_range]
        .iter()
        .filter(|l| l.link_ratio() < 0.9 || l.chars < 20 || date::find_first(&l.text).is_some())
        .collect();
    let after_body: Vec<&dom::Line> = all_lines
        .iter()
        .filter(|l| l.node >= main_end)
        .take(6)
        .collect();

    // Body: drop furniture and bylines, stop at lists of other stories.
    let title_key: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    let mut paragraphs: Vec<&str> = Vec::new();
    let mut byline_text = String::new();
    let mut body_chars = 0usize;
    let mut para_nodes: Vec<usize> = Vec::new();
    for (line, kept) in candidates {
        if !kept {
            // Above the story: header matter. Below it only labelled lines: a bare date
            // there stamps a related story.
            let above = body_chars == 0;
            if line.chars <= 80
                && line.link_ratio() < 0.5
                && (above || byline::is_meta_line(&line.text))
            {
                byline_text.push_str(&line.spaced);
                byline_text.push('\n');
            }
            continue;
        }
        if content::is_closing_notice(line)
            || body_chars >= 100 && content::is_site_footer(line)
            || body_chars >= 300 && content::is_rule_line(line)
        {
            break;
        }
        // A line that is only a date stamps an entry. Above the story it is the header's (with
        // the short headline lines before it); once a story has run, a stamp with a time of day
        // opens the next entry of an archive or thread page.
        if date::is_date_only(&line.text) {
            let timed = date::find_first(&line.text).is_some_and(|f| f.has_time);
            if body_chars >= 200 && timed {
                if paragraphs.last().is_some_and(|p| p.chars().count() <= 30) {
                    paragraphs.pop();
                    para_nodes.pop();
                }
                break;
            }
            if body_chars < 100 && paragraphs.iter().all(|p| p.chars().count() <= 30) {
                paragraphs.clear();
                para_nodes.clear();
                body_chars = 0;
            }
            if body_chars == 0 || timed {
                byline_text.push_str(&line.spaced);
                byline_text.push('\n');
                continue;
            }
        }
        // A related-stories heading ends the story, unless the story has not begun yet.
        if content::is_list_heading(line) {
            if body_chars >= 100 {
                break;
            }
            paragraphs.push(&line.text);
            para_nodes.push(line.node);
            continue;
        }
        if paragraphs.is_empty() && content::is_promo(line)
            || body_chars < 100
                && (content::is_widget_crumb(line)
                    || line.chars <= 80 && BREADCRUMB.is_match(&line.text))
        {
            continue;
        }
        let key: String = line.text.chars().filter(|c| !c.is_whitespace()).collect();
        if paragraphs.is_empty() && key == title_key {
            continue;
        }
        // A bare name above the first paragraph is the writer's byline (essays, papers).
        let lone_byline = body_chars == 0 && byline::lone_names(&line.text).is_some();
        if lone_byline || byline::is_meta_line(&line.text) {
            byline_text.push_str(&line.spaced);
            byline_text.push('\n');
            continue;
        }
        if content::is_furniture(line) {
            continue;
        }
        body_chars += line.chars;
        para_nodes.push(line.node);
        paragraphs.push(&line.text);
    }
    while paragraphs.len() > 1
        && chosen
            .iter()
            .any(|l| paragraphs.last().is_some_and(|p| *p == l.text) && content::is_promo(l))
    {
        paragraphs.pop();
        para_nodes.pop();
    }
    let body = paragraphs.join("\n");
    if body.chars().filter(|c| !c.is_whitespace()).count() < 10 {
        return Err("no article text found".into());
    }

    // Byline: the header first, then lines the body dropped, the body's edges, after it.
    let header_text: String = header.iter().map(|l| format!("{}\n", l.spaced)).collect();
    let edges: String = paragraphs
        .iter()
        .take(6)
        .chain(paragraphs.iter().rev().take(6))
        .map(|p| format!("{p}\n"))
        .collect();
    // What the container holds after the story (boxes skipped, the next entry, a stamp under a
    // drawn rule) and then what follows the container.
    let after_text: String = all_lines
        .iter()
        .filter(|l| l.node > para_nodes.last().copied().unwrap_or(main) && l.node < main_end)
        .take(6)
        .chain(after_body.iter().copied())
        .map(|l| format!("{}\n", l.spaced))
        .collect();
    let from_header = byline::parse(&header_text);
    let from_rest = byline::parse(&format!("{byline_text}{edges}{after_text}"));
    let dated = byline::from_dated_line(&format!("{header_text}{byline_text}{edges}"));
    let meta_author = [
        "author",
        "article:author",
        "citation_author",
        "citation_authors",
        "dc.creator",
    ]
    .iter()
    .filter_map(|k| head.get(&[k]))
    .map(byline::tidy_meta_name)
    .chain(head.ld_author.clone())
    .collect::<Vec<_>>();
    // A person named in any author tag, else a medium (a source when no 来源 line says one).
    let meta_person = meta_author
        .iter()
        .find(|a| byline::looks_like_person(a))
        .cloned();
    let meta_media = meta_author
        .iter()
        .find(|a| byline::looks_like_media(a))
        .cloned();
    // Essays and papers print the writer's bare name right under the headline (wherever
    // the page shows it: a breadcrumb may repeat it), or, where no line shows the headline,
    // at the top of the container.
    let mut under_headline: Vec<usize> = headlines
        .iter()
        .flat_map(|&i| i + 1..(i + 4).min(all_lines.len()))
        .collect();
    if under_headline.is_empty() {
        under_headline = (0..all_lines.len())
            .filter(|&i| in_main[i])
            .take(3)
            .collect();
    }
    let lone = under_headline
        .into_iter()
        .filter_map(|i| all_lines.get(i))
        .filter(|l| l.link_chars == 0)
        .find_map(|l| byline::lone_names(&l.text));
    let source = from_header
        .source
        .or(from_rest.source)
        .or(dated.source)
        .or_else(|| {
            head.get(&["source", "og:source", "article:source", "mediaid"])
                .map(str::to_string)
        })
        .or_else(|| {
            headlines.iter().find_map(|&h| {
                let below: Vec<&str> = all_lines
                    .iter()
                    .skip(h + 1)
                    .take(6)
                    .map(|l| l.text.as_str())
                    .collect();
                byline::beside_stamp(&below, &title)
            })
        })
        .or_else(|| meta_media.clone().filter(|a| a.chars().count() <= 20));
    // Names after a date with no label (`2020-06-05 20:35 某某 某某`) are left to the
    // labelled rules: without a label they are as often a column or a source as writers.
    // An author tag is taken only when the page shows the name, and not as its editor
    // (CMSs put the editor there).
    let shown_as_writer = |name: &str| {
        let key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        all_lines.iter().any(|l| {
            let text: String = l.text.chars().filter(|c| !c.is_whitespace()).collect();
            text.contains(&key) && !byline::names_editor(&text)
        })
    };
    let author = from_header
        .author
        .or(from_rest.author)
        .or(lone)
        .or_else(|| {
            meta_person.filter(|a| {
                byline::looks_like_person(a)
                    && !title.contains(a.as_str())
                    && source.as_deref() != Some(a.as_str())
                    && !head
                        .title
                        .as_deref()
                        .is_some_and(|t| t.contains(a.as_str()))
                    && shown_as_writer(a)
            })
        });
    let editor = from_header.editor.or(from_rest.editor);

    let canonical = head
        .canonical
        .clone()
        .or_else(|| {
            head.get(&["og:url"])
                .filter(|u| u.starts_with("http"))
                .map(str::to_string)
        })
        .or_else(|| url.map(str::to_string));
    let page_time = publish_time(
        &head,
        &TimeClues {
            header: &header_text,
            body_meta: &byline_text,
            lines: &all_lines,
            headline: title_line.or(headlines.first().copied()),
            story_end: chosen_ix.last().map_or(first_body_line, |i| i + 1),
            main_end,
            fetched,
        },
        canonical.as_deref().or(url),
    );
    // A reprint is dated by its own header, not by when the page reposted it.
    let published = match (reprint_date(&body_lines), page_time) {
        (Some(r), Some(p)) if r.time.date_naive() < p.time.date_naive() => Some(r),
        (Some(r), None) => Some(r),
        (_, p) => p,
    }
    .map(date::Found::published);
    let keywords = head
        .get(&["keywords", "news_keywords", "article:tag"])
        .map(|k| {
            k.split([',', '，', ';', '；', '、', ' ', '|'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let section = section_from(&all_lines, &head);
    Ok(Article {
        id: stable_id(canonical.as_deref(), &title, &body),
        url: canonical,
        title,
        published,
        source,
        author,
        editor,
        section,
        keywords,
        body,
    })
}

/// Lines of a story header: headline, subtitle, author or organisation, none of them prose.
const REPRINT_HEADER_LINES: usize = 6;

/// The date a reprinted story carries in its own header: the text opens with the original's
/// headline or author lines and then a dateline (`2003-7-24 某某晚报`, `2003年5月`). A
/// dateline as the very first line is the page's own stamp, one after prose has begun is part
/// of the story, and links (menus, other stories) are neither header nor dateline.
fn reprint_date(body_lines: &[dom::Line]) -> Option<date::Found> {
    let mut header_lines = 0;
    for line in body_lines
        .iter()
        .filter(|l| l.chars > 0 && l.link_ratio() < 0.5)
    {
        if let Some(found) = date::dateline(&line.text) {
            return (header_lines > 0).then_some(found);
        }
        if line.chars > 40 || line.text.contains('。') || header_lines >= REPRINT_HEADER_LINES {
            return None;
        }
        // A line with a date of its own is the page's stamp, not the original's header.
        if date::find_first(&line.text).is_none() {
            header_lines += 1;
        }
    }
    None
}

/// Where a page may state when it was published.
struct TimeClues<'a> {
    /// From the headline to the story.
    header: &'a str,
    /// Byline and stamp lines the body set aside.
    body_meta: &'a str,
    lines: &'a [dom::Line],
    headline: Option<usize>,
    /// The line after the story's last.
    story_end: usize,
    /// The node after the article container.
    main_end: usize,
    /// When the page was fetched, for stamps that count back from it.
    fetched: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// Words that label a stamp as the time a story was posted, when it follows the story
/// (`posted @ 2024-05-09 14:45`, `发表于 2005-9-15`).
const POSTED_LABELS: &[&str] = &[
    "posted",
    "Posted",
    "POSTED",
    "发表于",
    "发布于",
    "发表时间",
    "发布时间",
    "發表於",
    "發佈於",
    "published",
    "Published",
];

/// The publish time, most trusted first: a dated byline near the title, meta tags, JSON-LD,
/// `<time>`, a labelled stamp under the story, then dates in the page's text nearest the
/// story (not in links or the footer), then the URL. An "updated" stamp counts only where
/// nothing else is dated.
fn publish_time(
    head: &meta::HeadInfo,
    clues: &TimeClues,
    url: Option<&str>,
) -> Option<date::Found> {
    // A stamp with a time of day beats a bare date in the same header (`建立于:2004年10月6日`
    // in a blog's sidebar above `发表于 2005-9-15 11:46`).
    let first_timed = |t: &str| date::publish_stamps(t).into_iter().find(|f| f.has_time);
    let first = |t: &str| date::publish_stamps(t).into_iter().next();
    let byline = first_timed(clues.header)
        .or_else(|| first(clues.header))
        .or_else(|| first_timed(clues.body_meta))
        .or_else(|| first(clues.body_meta));
    if let Some(f) = byline.filter(|f| f.has_time) {
        return Some(f);
    }
    let meta_keys = [
        "article:published_time",
        "og:article:published_time",
        "og:release_date",
        "pubdate",
        "publishdate",
        "publish_date",
        "publish-date",
        "publishtime",
        "publish_time",
        "release_date",
        "datepublished",
        "dc.date",
        "dc.date.issued",
        "weibo:article:create_at",
        "firstpublishedtime",
        "date",
        "sailthru.date",
    ];
    // Machine-readable times are shown on Beijing's clock, unless the page prints the same
    // instant on its own clock (`<time datetime="…T12:48Z">06/02/2022 - 13:48</time>`).
    let structured = head
        .get(&meta_keys)
        .and_then(date::parse)
        .or_else(|| head.ld_published.as_deref().and_then(date::parse))
        .or_else(|| head.time_element.as_deref().and_then(date::parse))
        .map(|s| {
            head.time_text
                .as_deref()
                .filter(|_| s.zoned)
                .and_then(|shown| date::as_printed(s, shown))
                .unwrap_or_else(|| s.in_beijing())
        });
    match (byline, structured) {
        (Some(b), Some(s)) if s.has_time && s.time.date_naive() == b.time.date_naive() => {
            return Some(s)
        }
        (Some(b), _) => return Some(b),
        (None, Some(s)) => return Some(s),
        (None, None) => {}
    }
    // A header stamp that counts back (`3小时前`, `10-08 12:00`), where the fetch time
    // anchors it.
    if let Some(r) = clues.fetched.and_then(|at| {
        date::relative(clues.header, at).or_else(|| date::relative(clues.body_meta, at))
    }) {
        return Some(r);
    }
    let lines = clues.lines;
    let plain = |l: &&dom::Line| {
        l.link_ratio() < 0.5
            && !l.text.contains('©')
            && !l.text.contains("版权")
            && !l.text.to_ascii_lowercase().contains("copyright")
    };
    // A stamp labelled as the posting time just under the story (blogs put it there).
    let posted = lines
        .iter()
        .skip(clues.story_end)
        .take(15)
        .filter(|l| l.chars <= 80 && POSTED_LABELS.iter().any(|w| l.text.contains(w)))
        .find_map(|l| first(&l.text));
    // Dates in the text, nearest the story first: from the headline down to the end of
    // the container, then upwards from the headline (a site's calendar widget is furthest).
    let start = clues.headline.unwrap_or(0).min(lines.len());
    let down = lines[start..].iter().filter(|l| l.node < clues.main_end);
    let up = lines[..start].iter().rev();
    let in_text = down
        .clone()
        .chain(up.clone())
        .filter(plain)
        .find_map(|l| first(&l.text))
        .or_else(|| {
            down.chain(up)
                .filter(|l| l.link_ratio() < 0.5 && l.chars <= 200)
                .find_map(|l| date::find_month(&l.text))
        });
    // Last resorts: the page's own "updated" stamp, then a date in the URL.
    posted
        .or(in_text)
        .or_else(|| {
            head.get(&["dateupdate", "datemodified", "article:modified_time"])
                .and_then(date::parse)
                .map(date::Found::in_beijing)
        })
        .or_else(|| url.and_then(date::from_url))
}

/// An article from an already-extracted record.
pub fn from_record(origin: &str, r: &ExtractedRecord) -> Result<Article> {
    let title = r.title.as_deref().unwrap_or_default().trim().to_string();
    let body = r.body.as_deref().unwrap_or_default().trim().to_string();
    if title.is_empty() && body.is_empty() {
        return Err(Error::bad_input(
            origin,
            "record has neither title nor body text",
        ));
    }
    let published = [&r.published, &r.time, &r.date]
        .into_iter()
        .flatten()
        .find_map(|v| date::parse(v))
        .map(|f| f.in_beijing().published());
    let id = match &r.id {
        Some(id) if !id.to_string().trim().is_empty() => id.to_string().trim().to_string(),
        _ => stable_id(r.url.as_deref(), &title, &body),
    };
    let mut keywords = r.keywords.as_ref().map(|k| k.values()).unwrap_or_default();
    keywords.extend(r.tags.as_ref().map(|k| k.values()).unwrap_or_default());
    Ok(Article {
        id,
        url: r.url.clone().filter(|u| !u.is_empty()),
        title,
        published,
        source: r.source.clone().filter(|s| !s.trim().is_empty()),
        author: r.author.clone().filter(|s| !s.trim().is_empty()),
        editor: None,
        section: r.section.clone().filter(|s| !s.trim().is_empty()),
        keywords,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SOUP: &[&str] = &[
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<a href=x>",
        "</a>",
        "<table><tr><td>",
        "</td></tr>",
        "<br>",
        "<script>",
        "</script>",
        "<h1>",
        "</h1>",
        "<span class=\"source\">",
        "</span>",
        "来源：",
        "记者 ",
        "责任编辑：",
        "2020-10-28 16:33",
        "1996年6月号",
        "相关新闻",
        "新华社北京10月28日电，",
        "。",
        "“",
        "<!--",
        "-->",
        "<meta charset=gbk>",
        "&amp;",
        "<title>",
        "</title>",
        "_",
        " - ",
        "<",
        ">",
        "\u{0}",
        "\u{e004}",
    ];

    fn soup() -> impl Strategy<Value = String> {
        prop::collection::vec(0..SOUP.len(), 0..120)
            .prop_map(|ix| ix.into_iter().map(|i| SOUP[i]).collect::<String>())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn decode_and_extract_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            let (text, _) = decode(&bytes, None);
            let _ = extract_html(&text, None);
            let _ = decode(&bytes, Some("gb2312"));
        }

        #[test]
        fn extract_never_panics_on_tag_soup(html in soup(), url in "[a-z:/.0-9_-]{0,40}") {
            let _ = extract_html(&html, Some(&url));
            let _ = decode(html.as_bytes(), Some("big5"));
        }
    }

    #[test]
    fn nesting_is_walked_without_recursion() {
        let depth = 5_000;
        let html = format!(
            "{}<p>新华社北京10月28日电，这是一段足够长的正文，用来测试很深的嵌套。</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let a = extract_html(&html, None).expect("article");
        assert!(a.body.contains("很深的嵌套"));
    }

    const PROSE: &str =
        "今天发生了一件事情，人们议论纷纷，专家表示关注，并且给出更多细节，说明来龙去脉。";

    #[test]
    fn archive_page_keeps_the_first_entry() {
        let html = format!(
            "<html><body><table>\
            <tr><td>第一篇日志</td><td>2005-06-14 03:25:55</td></tr>\
            <tr><td class=\"post-body\"><p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p>\
            <p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></td></tr>\
            <tr><td class=\"post-footer\">由小雨点张贴 @ <a href=/p/1>2005-06-14 03:25:55</a> \
            <a href=/c/1>共 3 篇评论</a></td></tr>\
            <tr><td>第二篇日志</td><td>2005-06-13 15:00:14</td></tr>\
            <tr><td><p>另一篇的内容，和第一篇没有关系，也不应当出现在正文里。{PROSE}</p></td></tr>\
            </table></body></html>"
        );
        let a = extract_html(&html, None).expect("article");
        assert!(!a.body.contains("另一篇"), "{}", a.body);
        assert!(!a.body.contains("第二篇日志"), "{}", a.body);
        assert!(!a.body.starts_with("第一篇日志"), "{}", a.body);
        assert_eq!(a.author.as_deref(), Some("小雨点"));
        let published = a.published.map(|t| t.to_string());
        assert_eq!(published.as_deref(), Some("2005-06-14T03:25:55+08:00"));
    }

    #[test]
    fn icon_glyphs_counters_and_breadcrumbs_are_not_text() {
        let html = format!(
            "<html><body><div class=wrap><div>当前位置：首页 &gt; 财经</div>\
            <div><i>\u{e60e}</i><span>4</span> <i>\u{e614}</i><span>3573</span></div>\
            <div><p>{PROSE}</p><p>{PROSE}</p></div></div></body></html>"
        );
        let a = extract_html(&html, None).expect("article");
        assert!(a.body.starts_with("今天发生了"), "{}", a.body);
    }

    #[test]
    fn comment_threads_are_not_the_story() {
        let html = format!(
            "<html><body><div id=main><div class=text><p>{PROSE}</p><p>{PROSE}</p></div>\
            <div id=\"comment-box\"><p>网友甲：说得好，我很赞同，支持！</p>\
            <p>网友乙：不同意，理由如下：第一，第二，第三。</p><p>网友丙：{PROSE}{PROSE}</p></div>\
            </div></body></html>"
        );
        let a = extract_html(&html, None).expect("article");
        assert!(!a.body.contains("网友"), "{}", a.body);
    }

    #[test]
    fn relative_stamps_need_the_fetch_time() {
        let html = format!(
            "<html><head><title>一条新闻的标题_某网</title></head><body>\
            <h1>一条新闻的标题</h1><div>某某号</div><div>发布时间：昨天 12:30</div>\
            <div><p>{PROSE}</p><p>{PROSE}</p></div></body></html>"
        );
        let page = |fetched_at: Option<&str>| RawPage {
            origin: "t.html".into(),
            url: None,
            bytes: html.clone().into_bytes(),
            http_charset: None,
            fetched_at: fetched_at.map(str::to_string),
        };
        let a = extract_page(&page(Some("2021-03-05T02:00:00Z"))).expect("article");
        let published = a.published.map(|t| t.to_string());
        assert_eq!(published.as_deref(), Some("2021-03-04T12:30:00+08:00"));
        let a = extract_page(&page(None)).expect("article");
        assert_eq!(a.published, None);
    }

    #[test]
    fn printed_clock_wins_over_utc() {
        let html = format!(
            "<html><head><meta property=\"article:published_time\" content=\"2022-02-06T12:48:06+00:00\">\
            </head><body><h1>一条国际新闻的标题</h1><p>发表时间：<time datetime=\"2022-02-06T12:48:06+00:00\">\
            06/02/2022 - 13:48</time></p><div><p>{PROSE}</p><p>{PROSE}</p></div></body></html>"
        );
        let a = extract_html(&html, None).expect("article");
        let published = a.published.map(|t| t.to_string());
        assert_eq!(published.as_deref(), Some("2022-02-06T13:48:06+01:00"));
    }

    #[test]
    fn reprint_datelines() {
        let cases = [
            // Headline and author lines, then the original's dateline.
            (
                "<p>旧城改造的难题</p><p>本报记者 张某某</p><p>2017-3-8 某某日报</p>",
                "2017-03-08",
            ),
            (
                "<p>某地居民调查报告</p><p>某某课题组</p><p>（2016年4月）</p>",
                "2016-04-01",
            ),
            // The page's own stamp or a menu link is not the original's header.
            ("<p><a href=/>首页</a></p><p>2017-3-8</p>", "none"),
            ("<p>发表于 2019-05-06 10:00</p><p>2017-3-8</p>", "none"),
            // The dateline opens the text: the page's stamp.
            ("<p>2017-3-8</p><p>旧城改造的难题</p>", "none"),
            // A labelled date is some other date.
            ("<p>旧城改造的难题</p><p>注册时间：2017-3-8</p>", "none"),
            // Prose, or more lines than a header has, come first.
            (
                "<p>旧城改造的难题</p><p>{PROSE}</p><p>2017-3-8 某某日报</p>",
                "none",
            ),
            (
                "<p>一</p><p>二</p><p>三</p><p>四</p><p>五</p><p>六</p><p>七</p><p>2017-3-8</p>",
                "none",
            ),
        ];
        for (html, want) in cases {
            let html = html.replace("{PROSE}", PROSE);
            let doc = Html::parse_document(&html);
            let flat = dom::Flat::new(&doc);
            let lines = flat.lines(0..flat.nodes.len(), &|_| false);
            let got = reprint_date(&lines)
                .map_or("none".into(), |f| f.time.format("%Y-%m-%d").to_string());
            assert_eq!(got, want, "{html}");
        }
    }

    #[test]
    fn reprints_keep_their_own_date() {
        let page = |opening: &str| {
            format!(
                "<html><head><title>转载一篇旧文</title></head><body>\
                <div class=side>个人空间</div><div class=post>\
                <div class=stamp>发表于 2019-05-06 10:00</div>\
                <div class=text>{opening}<p>{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p></div>\
                </div></body></html>"
            )
        };
        let cases = [
            (
                "<p>旧城改造的难题</p><p>本报记者 张某某</p><p>2017-3-8 某某日报</p>",
                "2017-03-08",
            ),
            (
                "<p>某地居民调查报告</p><p>某某课题组</p><p>2016年4月</p>",
                "2016-04-01",
            ),
            // A dateline later than the page is not the original's.
            (
                "<p>旧城改造的难题</p><p>2020-3-8 某某日报</p>",
                "2019-05-06",
            ),
        ];
        for (opening, want) in cases {
            let a = extract_html(&page(opening), None).expect("article");
            let got = a
                .published
                .map(|t| t.beijing_day().format("%Y-%m-%d").to_string());
            assert_eq!(got.as_deref(), Some(want), "{opening}");
        }
    }

    #[test]
    fn promo_and_early_list_heading() {
        let html = "<html><head><title>标题文字很长的一条新闻_某网</title></head><body>\
            <h1>标题文字很长的一条新闻</h1><div class=\"art\">\
            <p>快来<a href=/z>众测</a>，下载<a href=/c>客户端</a>还能获得专享福利哦！</p>\
            <p>相关新闻：</p>\
            <p>新华社北京10月28日电，今天发生了一件事情，人们议论纷纷，专家表示关注。</p>\
            <p>第二段文字，继续叙述事情的经过，并且给出更多细节，说明来龙去脉。</p>\
            </div></body></html>";
        let a = extract_html(html, None).expect("article");
        assert_eq!(a.title, "标题文字很长的一条新闻");
        assert!(!a.body.contains("专享福利"), "{}", a.body);
        assert!(a.body.contains("第二段文字"), "{}", a.body);
    }
}
