//! How an article is laid out in a cluster index: the full-text fields, the attributes,
//! and the words each field holds. Column names are spelled here and nowhere else.
//!
//! Analysis stays in zhnews: the node's tokenizer only splits on spaces, and every token
//! reaches it as an opaque word of `0-9a-z` (so `charset_table = 0..9, a..z` is all a node
//! needs, whatever the script of the text):
//!
//! - **Words** (`title_w`, `body_w`): each jieba search-mode word as `t` or `b` (the field)
//!   and 16 hex digits of its hash. The field letter makes each word's document frequency
//!   that of one field, as the local index counts it for the weights of long strings.
//! - **Bigrams** (`title_x`, `body_x`): each token of the exact view as the code points of
//!   its characters, 6 hex digits each. One token per kept character, as in the local
//!   view, so positions agree and phrases and proximity find what they find locally;
//!   punctuation is a character like any other, so no gap marker is needed. A lone
//!   character of a query is a prefix (`00949c*`), which `min_prefix_len = 1` allows.
//! - **Tags** (`tags`): `all` (every article, so exclusions always have something to
//!   subtract from), the keyword fields (`src`, `aut`, `sec`, `kw`, and `per`, `pla`, `org`
//!   for the people, places and organisations analysis found, each with the hash of the
//!   normalized value) and the publish date in Beijing time at six levels (`dated`, and
//!   `k2` `c20` `e202` `y2020` `m202003` `d20200315`; `yfar` outside the years 1000–9999),
//!   so a date range inside OR and NOT is a handful of words.
//!
//! Attributes keep what results show and what sorting, filtering and grouping need; the
//! entities are kept twice, as text to show and as 64-bit hashes of each value
//! (`person_ids`, …) that facets group by.

use chrono::{Datelike, NaiveDate};

use super::client::quote;
use crate::analyze::entities::{Entities, EntityKind};
use crate::analyze::normalize::normalize;
use crate::analyze::{Analyzed, BigramTokenizer, WordsTokenizer};
use crate::article::{beijing, Article};
use crate::index::schema::hash64;

pub const TITLE_WORDS: &str = "title_w";
pub const BODY_WORDS: &str = "body_w";
pub const TITLE_EXACT: &str = "title_x";
pub const BODY_EXACT: &str = "body_x";
pub const TAGS: &str = "tags";

/// Seconds since the epoch; [`UNDATED`] when the article has no date.
pub const PUBLISHED: &str = "published";
/// 1 when the publish time has a time of day, 0 when it is a day.
pub const HAS_TIME: &str = "has_time";
/// Beijing calendar day (days since 1970-01-01), for trends.
pub const DAY: &str = "pub_day";
/// Beijing year (0 when undated), for the year facet.
pub const YEAR: &str = "pub_year";
/// The reprint group.
pub const GROUP: &str = "gid";
/// The article's own id (the document id is derived from its hash, see [`doc_id`]).
pub const ARTICLE_ID: &str = "aid";
pub const URL: &str = "url";
pub const TITLE: &str = "title";
pub const BODY: &str = "body";
pub const SOURCE: &str = "source";
pub const AUTHOR: &str = "author";
pub const EDITOR: &str = "editor";
pub const SECTION: &str = "section";
/// The keywords joined by [`KEYWORD_SEPARATOR`].
pub const KEYWORDS: &str = "keywords";
pub const KEYWORD_SEPARATOR: char = '\u{1f}';
/// The people, places and organisations, each joined by [`KEYWORD_SEPARATOR`].
pub const PERSON: &str = "person";
pub const PLACE: &str = "place";
pub const ORG: &str = "org";
/// The same values as sets of [`entity_key`]s, for facets.
pub const PERSON_IDS: &str = "person_ids";
pub const PLACE_IDS: &str = "place_ids";
pub const ORG_IDS: &str = "org_ids";

/// The text attribute, the key attribute and the tag prefix of a kind of entity.
pub fn entity_columns(kind: EntityKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        EntityKind::Person => (PERSON, PERSON_IDS, PERSON_TAG),
        EntityKind::Place => (PLACE, PLACE_IDS, PLACE_TAG),
        EntityKind::Org => (ORG, ORG_IDS, ORG_TAG),
    }
}

/// An entity's key in the `*_ids` attributes: the hash of the value as given, as the
/// local facets count values as given.
pub fn entity_key(value: &str) -> i64 {
    hash64(value.as_bytes()) as i64
}

/// Sorts after every real date, newest first; real dates are within tantivy's range.
pub const UNDATED: i64 = i64::MIN / 2;

/// Every full-text field, in the order of the columns of [`row`].
pub const FIELDS: [&str; 5] = [TITLE_WORDS, BODY_WORDS, TITLE_EXACT, BODY_EXACT, TAGS];
/// Every attribute with its type in the node's config, in the order of [`row`].
pub const ATTRIBUTES: [(&str, &str); 21] = [
    (PUBLISHED, "bigint"),
    (HAS_TIME, "uint"),
    (DAY, "bigint"),
    (YEAR, "uint"),
    (GROUP, "bigint"),
    (ARTICLE_ID, "string"),
    (URL, "string"),
    (TITLE, "string"),
    (BODY, "string"),
    (SOURCE, "string"),
    (AUTHOR, "string"),
    (EDITOR, "string"),
    (SECTION, "string"),
    (KEYWORDS, "string"),
    (PERSON, "string"),
    (PLACE, "string"),
    (ORG, "string"),
    (PERSON_IDS, "multi_64"),
    (PLACE_IDS, "multi_64"),
    (ORG_IDS, "multi_64"),
    // The id hash, for ties in the local order (the document id holds only 63 bits).
    ("id_hash", "bigint"),
];
pub const ID_HASH: &str = "id_hash";

pub const ALL: &str = "all";
pub const DATED: &str = "dated";
pub const FAR: &str = "yfar";

/// The document id of an article: its id hash without the lowest bit (a node reserves the
/// top of the 64-bit range), never 0.
pub fn doc_id(id_hash: u64) -> u64 {
    (id_hash >> 1).max(1)
}

/// A `u64` as the signed 64-bit attribute that keeps its order (the sign bit flipped).
pub fn ordered_i64(v: u64) -> i64 {
    (v ^ (1 << 63)) as i64
}

/// A word of the words view in a field: `t`/`b` and 16 hex digits of its hash.
pub fn word_token(title: bool, word: &str) -> String {
    format!(
        "{}{:016x}",
        if title { 't' } else { 'b' },
        hash64(word.as_bytes())
    )
}

/// A token of the exact view: the code point of each character, 6 hex digits each.
pub fn gram_token(gram: &str) -> String {
    let mut out = String::with_capacity(12);
    for c in gram.chars() {
        out.push_str(&format!("{:06x}", c as u32));
    }
    out
}

/// A keyword field's tag for a value, as the local keyword tokenizer would index it
/// (`None` for a blank value, which matches nothing).
pub fn keyword_tag(prefix: &str, value: &str) -> Option<String> {
    let v = normalize(value.trim());
    (!v.is_empty()).then(|| format!("{prefix}{:016x}", hash64(v.as_bytes())))
}

pub const SOURCE_TAG: &str = "src";
pub const AUTHOR_TAG: &str = "aut";
pub const SECTION_TAG: &str = "sec";
pub const KEYWORDS_TAG: &str = "kw";
pub const PERSON_TAG: &str = "per";
pub const PLACE_TAG: &str = "pla";
pub const ORG_TAG: &str = "org";

/// The years the date tags cover; outside them a date is only `dated` and `yfar`.
pub const FIRST_YEAR: i32 = 1000;
pub const LAST_YEAR: i32 = 9999;

/// The date tags of a Beijing calendar day.
pub fn date_tags(d: NaiveDate) -> Vec<String> {
    let y = d.year();
    if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
        return vec![DATED.into(), FAR.into()];
    }
    vec![
        DATED.into(),
        format!("k{}", y / 1000),
        format!("c{}", y / 100),
        format!("e{}", y / 10),
        format!("y{y}"),
        format!("m{y}{:02}", d.month()),
        format!("d{y}{:02}{:02}", d.month(), d.day()),
    ]
}

/// The Beijing calendar day of a publish time in seconds.
pub fn beijing_date(secs: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(secs, 0).map(|t| t.with_timezone(&beijing()).date_naive())
}

/// The text of a words field: each word's token, in order, between spaces.
pub fn words_field(words: &WordsTokenizer, title: bool, text: &str) -> String {
    let tokens = words.words(text);
    let mut out = String::with_capacity(tokens.len() * 18);
    for t in tokens {
        out.push_str(&word_token(title, &t.text));
        out.push(' ');
    }
    out
}

/// The text of an exact field: one token per kept character, in order.
pub fn exact_field(text: &str) -> String {
    let tokens = BigramTokenizer.tokens(text);
    let mut out = String::with_capacity(tokens.len() * 13);
    for t in tokens {
        out.push_str(&gram_token(&t.text));
        out.push(' ');
    }
    out
}

/// The tags of an article and what analysis found in it.
pub fn tags(a: &Article, entities: &Entities) -> String {
    let mut tags = vec![ALL.to_string()];
    if let Some(s) = a.source.as_deref().and_then(|s| keyword_tag(SOURCE_TAG, s)) {
        tags.push(s);
    }
    // The local index takes each whitespace-separated name as one value.
    for name in a.author.iter().flat_map(|au| au.split_whitespace()) {
        tags.extend(keyword_tag(AUTHOR_TAG, name));
    }
    if let Some(s) = a
        .section
        .as_deref()
        .and_then(|s| keyword_tag(SECTION_TAG, s))
    {
        tags.push(s);
    }
    for k in &a.keywords {
        tags.extend(keyword_tag(KEYWORDS_TAG, k));
    }
    for kind in EntityKind::ALL {
        let (_, _, prefix) = entity_columns(kind);
        for v in entities.of(kind) {
            tags.extend(keyword_tag(prefix, v));
        }
    }
    if let Some(d) = a.published.and_then(|p| beijing_date(p.timestamp())) {
        tags.extend(date_tags(d));
    }
    tags.join(" ")
}

/// The column list of [`row`]: `id`, the fields, the attributes.
pub fn columns() -> String {
    let mut cols = vec!["id"];
    cols.extend(FIELDS);
    cols.extend(ATTRIBUTES.iter().map(|(n, _)| *n));
    cols.join(", ")
}

/// Values joined by [`KEYWORD_SEPARATOR`], as a string attribute keeps a list.
fn joined(values: &[String]) -> String {
    values.join(&KEYWORD_SEPARATOR.to_string())
}

/// A list kept in a string attribute, back.
pub fn split_list(v: &str) -> Vec<String> {
    v.split(KEYWORD_SEPARATOR)
        .filter(|k| !k.is_empty())
        .map(str::to_string)
        .collect()
}

/// Entity keys as a multi-valued attribute's value.
fn keys(values: &[String]) -> String {
    let keys: Vec<String> = values.iter().map(|v| entity_key(v).to_string()).collect();
    format!("({})", keys.join(","))
}

/// One analyzed article as a `VALUES` tuple for [`columns`].
pub fn row(words: &WordsTokenizer, analyzed: &Analyzed, id_hash: u64, group: u64) -> String {
    let a = &analyzed.article;
    let e = &analyzed.entities;
    let published = a.published.map(|p| p.timestamp());
    let has_time = a.published.is_some_and(|p| p.has_time());
    let date = published.and_then(beijing_date);
    let day = date
        .map(|d| (d - NaiveDate::default()).num_days())
        .unwrap_or(UNDATED);
    let year = date.map_or(0, |d| d.year().max(0));
    let opt = |v: &Option<String>| quote(v.as_deref().unwrap_or(""));
    let mut out = String::with_capacity(32 * (a.title.len() + a.body.len()) + 256);
    out.push('(');
    let values = [
        doc_id(id_hash).to_string(),
        quote(&words_field(words, true, &a.title)),
        quote(&words_field(words, false, &a.body)),
        quote(&exact_field(&a.title)),
        quote(&exact_field(&a.body)),
        quote(&tags(a, e)),
        published.unwrap_or(UNDATED).to_string(),
        u8::from(has_time).to_string(),
        day.to_string(),
        year.to_string(),
        (group as i64).to_string(),
        quote(&a.id),
        opt(&a.url),
        quote(&a.title),
        quote(&a.body),
        opt(&a.source),
        opt(&a.author),
        opt(&a.editor),
        opt(&a.section),
        quote(&joined(&a.keywords)),
        quote(&joined(&e.person)),
        quote(&joined(&e.place)),
        quote(&joined(&e.org)),
        keys(&e.person),
        keys(&e.place),
        keys(&e.org),
        ordered_i64(id_hash).to_string(),
    ];
    out.push_str(&values.join(", "));
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_opaque_words() {
        assert_eq!(gram_token("人民"), "004eba006c11");
        assert_eq!(gram_token("银"), "0094f6");
        assert_eq!(gram_token("京,"), "004eac00002c");
        assert_eq!(
            exact_field("京，新 规"),
            "004eac00002c 00002c0065b0 0065b00089c4 0089c4 "
        );
        let w = word_token(true, "北京");
        assert!(w.starts_with('t') && w.len() == 17, "{w}");
        assert_ne!(w, word_token(false, "北京"));
        assert_eq!(keyword_tag("src", " 新華網 "), keyword_tag("src", "新华网"));
        assert_eq!(keyword_tag("src", "  "), None);
    }

    #[test]
    fn ids_keep_their_order() {
        let hashes = [0u64, 1, 2, 3, 1 << 62, (1 << 63) - 1, 1 << 63, u64::MAX];
        for w in hashes.windows(2) {
            assert!(doc_id(w[0]) <= doc_id(w[1]));
            assert!(ordered_i64(w[0]) < ordered_i64(w[1]));
        }
        assert!(doc_id(u64::MAX) < u64::MAX && doc_id(0) == 1);
    }

    #[test]
    fn date_tags_at_every_level() {
        let d = NaiveDate::from_ymd_opt(2020, 3, 15).expect("date");
        assert_eq!(
            date_tags(d),
            vec![
                "dated",
                "k2",
                "c20",
                "e202",
                "y2020",
                "m202003",
                "d20200315"
            ]
        );
        let far = NaiveDate::from_ymd_opt(999, 1, 1).expect("date");
        assert_eq!(date_tags(far), vec!["dated", "yfar"]);
    }
}
