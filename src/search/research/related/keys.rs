//! What an article is about, as weighted search keys: its content words, counted more in
//! the title and lead than further down, weighted by how rare they are in the index, and
//! more for the people, places and organisations it names. Numbers, dates, function words
//! and words common to a large share of the index are never keys. A headline word the
//! dictionary lacks (绿道, cut into 绿 and 道) is a key searched in the exact view.
//! Words whose articles bunch around the article's date (a story's words) weigh more than
//! words that recur all years (a template's: 印发, 开学, 网络议政).

use std::collections::HashMap;

use jieba_rs::Jieba;

use crate::analyze::entities::{self, Entities, EntityKind};
use crate::analyze::normalize::normalize;
use crate::error::Result;

/// Keys kept per article.
pub const KEYS: usize = 14;
/// Keys weighed by their burst before the best [`KEYS`] are kept.
pub const CANDIDATE_KEYS: usize = 30;
/// What a key gains per e-fold of burst (benches/related-eval, tune split).
const BURST_WEIGHT: f32 = 0.2;
/// Characters of the body that count as its lead.
const LEAD_CHARS: usize = 200;
/// Weight of one occurrence in the title, in the lead, further down.
const IN_TITLE: f32 = 3.0;
const IN_LEAD: f32 = 1.5;
const IN_BODY: f32 = 1.0;
/// An entity's weight over a common word's.
const ENTITY_BOOST: f32 = 1.5;
/// Verbs say less about a story than nouns (召开, 举行, 表示).
const VERB_WEIGHT: f32 = 0.5;
/// A word in more than this share of the articles is generic (发展, 全面, 我国 in news);
/// judged this finely only when the index is big enough for shares to mean something,
/// and in a small one only past half of the articles.
const GENERIC_SHARE: f64 = 0.04;
const GENERIC_MIN_DOCS: u64 = 5_000;
const SMALL_INDEX_SHARE: f64 = 0.5;
const SMALL_INDEX_MIN_DOCS: u64 = 20;

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub word: String,
    pub weight: f32,
    /// A word the dictionary lacks (two lone characters of the headline, 绿 道): searched as
    /// its bigram in the exact view, where the words view has no term for it.
    pub exact: bool,
    /// Articles of the index that have it.
    pub df: u64,
    /// The kind of entity it is, when the article names it as one.
    pub entity: Option<EntityKind>,
    /// Its articles near the article's date over what an even spread would put there
    /// (1 when not counted).
    pub burst: f32,
}

/// How much a part of speech says about what a story is about; `None`: nothing.
fn part_of_speech_weight(tag: &str) -> Option<f32> {
    match tag {
        // Names, nouns, verbal nouns, other proper nouns, words jieba does not know, and
        // abbreviations (医保, 欧盟, 冬奥会: jieba tags them "j", and news writes them often).
        "nr" | "nrfg" | "nrt" | "ns" | "nt" | "nz" | "n" | "vn" | "nw" | "eng" | "x" | "j" => {
            Some(1.0)
        }
        "v" => Some(VERB_WEIGHT),
        // Time words (今天上午), numerals, quantifiers, pronouns, adverbs, function words.
        _ => None,
    }
}

/// A word that can be a key: two characters or more, letters only (no digits, so no
/// years, counts or dates; time words are left out by their part of speech).
fn can_be_key(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(char::is_alphabetic)
}

/// Inverse document frequency, as BM25 has it.
fn idf(df: u64, docs: u64) -> f32 {
    let (df, n) = (df as f64, docs.max(1) as f64);
    ((1.0 + (n - df + 0.5) / (df + 0.5)).ln()).max(0.0) as f32
}

/// The article's candidate keys, best first, up to [`CANDIDATE_KEYS`]: [`weigh_by_burst`]
/// keeps the best [`KEYS`] of them. `doc_freq` gives a word's article count in the words
/// view of the index of `docs` articles, `gram_freq` a bigram's in the exact view.
pub fn keys(
    jieba: &Jieba,
    title: &str,
    body: &str,
    entities: &Entities,
    doc_freq: &dyn Fn(&str) -> u64,
    gram_freq: &dyn Fn(&str) -> u64,
    docs: u64,
) -> Vec<Key> {
    // Each entity normalized once, with its kind (the first kind that names it).
    let mut entity_kinds: Vec<(String, EntityKind)> = Vec::new();
    for kind in EntityKind::ALL {
        for e in entities.of(kind) {
            let e = normalize(e);
            if !entity_kinds.iter().any(|(known, _)| *known == e) {
                entity_kinds.push((e, kind));
            }
        }
    }
    let entity_of = |w: &str| {
        entity_kinds
            .iter()
            .find(|(e, _)| e == w)
            .map(|(_, kind)| *kind)
    };
    let mut counts: HashMap<String, (f32, f32)> = HashMap::new();
    let lead_end = body
        .char_indices()
        .nth(LEAD_CHARS)
        .map_or(body.len(), |(i, _)| i);
    let parts = [
        (normalize(title), IN_TITLE),
        (normalize(&body[..lead_end]), IN_LEAD),
        (normalize(&body[lead_end..]), IN_BODY),
    ];
    let mut unknown: Vec<String> = Vec::new();
    for (part, (text, at)) in parts.iter().enumerate() {
        let at = *at;
        let tags = jieba.tag(text, false);
        if part == 0 {
            unknown = unknown_words(&tags);
        }
        for t in tags {
            // A headline's time word names the occasion (春晚, 假期, 首日); further down,
            // time words mostly say when (今天上午).
            let pos = match part_of_speech_weight(t.tag) {
                Some(pos) => pos,
                None if part == 0 && t.tag == "t" => 1.0,
                None => continue,
            };
            // A headline's verb is its news (指标回暖, 经济企稳): as strong as its nouns.
            let pos = if part == 0 { 1.0 } else { pos };
            // jieba's dictionary tags many plain words as names (今天上午 among them):
            // a name must be one of the article's entities or look like a name.
            if !can_be_key(t.word)
                || (t.tag == "nr"
                    && !entities::looks_like_a_name(t.word)
                    && entity_of(t.word).is_none())
            {
                continue;
            }
            let c = counts.entry(t.word.to_string()).or_insert((0.0, pos));
            c.0 += at;
            c.1 = c.1.max(pos);
        }
    }
    // Entities the tagger cut apart here (加兰特 → 加 兰特), and headline words it does not
    // know, still count, where the text has them.
    for w in entity_kinds.iter().map(|(e, _)| e).chain(&unknown) {
        if counts.contains_key(w) || !can_be_key(w) {
            continue;
        }
        let tf: f32 = parts
            .iter()
            .map(|(text, at)| text.matches(w.as_str()).count() as f32 * at)
            .sum();
        if tf > 0.0 {
            counts.insert(w.clone(), (tf, 1.0));
        }
    }
    let generic = if docs >= GENERIC_MIN_DOCS {
        Some((docs as f64 * GENERIC_SHARE) as u64)
    } else {
        (docs >= SMALL_INDEX_MIN_DOCS).then_some((docs as f64 * SMALL_INDEX_SHARE) as u64)
    };
    let mut keys: Vec<Key> = counts
        .into_iter()
        .filter_map(|(word, (tf, pos))| {
            let exact = unknown.contains(&word);
            let df = if exact {
                gram_freq(&word)
            } else {
                doc_freq(&word)
            };
            if df == 0 || generic.is_some_and(|g| df > g) {
                return None;
            }
            let entity = entity_of(&word);
            let boost = if entity.is_some() { ENTITY_BOOST } else { 1.0 };
            Some(Key {
                weight: (1.0 + tf.ln()) * idf(df, docs) * pos * boost,
                burst: 1.0,
                entity,
                word,
                exact,
                df,
            })
        })
        .filter(|k| k.weight > 0.0)
        .collect();
    best_first(&mut keys);
    keys.truncate(CANDIDATE_KEYS);
    keys
}

fn best_first(keys: &mut [Key]) {
    keys.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.word.cmp(&b.word)));
}

/// Weighs each key by its burst: its articles within a window around the article's date
/// (`near`), over what an even spread across the index's time span would put there
/// (`window_share` of its articles). A story's words bunch around its date; a template's
/// recur every year and gain nothing. A key `near` has no count for keeps its weight.
/// Each key keeps its burst; the best [`KEYS`] are kept.
pub fn weigh_by_burst(
    keys: &mut Vec<Key>,
    window_share: f64,
    near: &mut dyn FnMut(&Key) -> Result<Option<u64>>,
) -> Result<()> {
    for k in keys.iter_mut() {
        let Some(near) = near(k)? else {
            continue;
        };
        let expected = k.df as f64 * window_share.clamp(0.0, 1.0);
        let burst = ((near as f64 + 1.0) / (expected + 1.0)).max(1.0);
        k.weight *= 1.0 + BURST_WEIGHT * burst.ln() as f32;
        k.burst = burst as f32;
    }
    best_first(keys);
    keys.truncate(KEYS);
    Ok(())
}

/// Words of a headline the dictionary lacks: two lone Chinese characters in a row between
/// longer words or punctuation (东湖 绿 道 → 绿道). Longer runs of lone characters are
/// mostly function words and classical phrasing (还 绿 于 城), not one word.
fn unknown_words(tags: &[jieba_rs::Tag<'_>]) -> Vec<String> {
    let lone = |t: &jieba_rs::Tag<'_>| {
        let mut cs = t.word.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if crate::analyze::is_cjk(c))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        if !lone(&tags[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < tags.len() && lone(&tags[i]) {
            i += 1;
        }
        if i - start == 2 {
            let w = format!("{}{}", tags[start].word, tags[start + 1].word);
            if !out.contains(&w) {
                out.push(w);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_dates_and_function_words_are_not_keys() {
        let jieba = Jieba::new();
        let keys = keys(
            &jieba,
            "以色列总理撤换国防部长加兰特",
            "今天上午，以色列总理内塔尼亚胡宣布撤换国防部长加兰特。2024年11月5日，他说，10个部门……",
            &Entities {
                person: vec!["加兰特".into()],
                ..Default::default()
            },
            &|_| 1,
            &|_| 0,
            100,
        );
        let words: Vec<&str> = keys.iter().map(|k| k.word.as_str()).collect();
        assert!(words.contains(&"加兰特"), "{words:?}");
        assert!(words.contains(&"以色列"), "{words:?}");
        for w in ["今天上午", "今天", "上午", "2024", "11", "10", "他", "说"] {
            assert!(!words.contains(&w), "{w} in {words:?}");
        }
        let g = keys.iter().find(|k| k.word == "加兰特").expect("key");
        assert_eq!(g.entity, Some(EntityKind::Person));
    }

    #[test]
    fn a_headlines_time_word_is_a_key_and_the_bodys_are_not() {
        let jieba = Jieba::new();
        let keys = keys(
            &jieba,
            "“据”说春晚",
            "今天上午，春晚收视率数据发布。",
            &Entities::default(),
            &|_| 10,
            &|_| 0,
            1000,
        );
        let words: Vec<&str> = keys.iter().map(|k| k.word.as_str()).collect();
        assert!(words.contains(&"春晚"), "{words:?}");
        assert!(!words.contains(&"今天上午"), "{words:?}");
    }

    #[test]
    fn a_headline_word_the_dictionary_lacks_is_an_exact_key() {
        let jieba = Jieba::new();
        let keys = keys(
            &jieba,
            "武汉：东湖绿道 还绿于城还湖于民",
            "东湖绿道总长101.98公里。",
            &Entities::default(),
            &|_| 10,
            &|_| 10,
            1000,
        );
        let green = keys
            .iter()
            .find(|k| k.word == "绿道")
            .expect("绿道 is a key");
        assert!(green.exact);
        assert!(
            keys.iter().all(|k| k.word == "绿道" || !k.exact),
            "{keys:?}"
        );
        assert!(
            !keys.iter().any(|k| k.word == "还绿" || k.word == "于城"),
            "{keys:?}"
        );
    }

    #[test]
    fn a_word_bunched_near_the_date_outweighs_one_spread_over_the_years() {
        let key = |word: &str| Key {
            word: word.into(),
            weight: 1.0,
            exact: false,
            df: 100,
            entity: None,
            burst: 1.0,
        };
        let mut keys: Vec<Key> = (0..CANDIDATE_KEYS)
            .map(|i| key(&format!("w{i:02}")))
            .chain([key("story"), key("template"), key("uncounted")])
            .collect();
        // A window of 1% of the time span: an even spread puts 1 of 100 articles in it.
        weigh_by_burst(&mut keys, 0.01, &mut |k| {
            Ok(match k.word.as_str() {
                "story" => Some(60),
                "uncounted" => None,
                _ => Some(1),
            })
        })
        .expect("counts");
        assert_eq!(keys.len(), KEYS);
        assert_eq!(keys[0].word, "story");
        assert!(keys[0].weight > 1.5, "{keys:?}");
        // (60 + 1) / (1 + 1): kept with the key for the rules that ask how bunched it is.
        assert!((keys[0].burst - 30.5).abs() < 1e-3, "{keys:?}");
        for plain in ["template", "uncounted"] {
            let k = keys.iter().find(|k| k.word == plain);
            assert!(
                k.is_none_or(|k| k.weight == 1.0 && k.burst == 1.0),
                "{keys:?}"
            );
        }
    }

    #[test]
    fn abbreviations_are_keys() {
        let jieba = Jieba::new();
        let keys = keys(
            &jieba,
            "中央财政累计为医保投入超3万亿元",
            "东盟和欧盟代表出席。",
            &Entities::default(),
            &|_| 10,
            &|_| 0,
            1000,
        );
        let words: Vec<&str> = keys.iter().map(|k| k.word.as_str()).collect();
        for w in ["医保", "东盟", "欧盟"] {
            assert!(words.contains(&w), "{w} not in {words:?}");
        }
    }

    #[test]
    fn generic_words_are_dropped_in_a_big_index() {
        let jieba = Jieba::new();
        let df = |w: &str| if w == "发展" { 30_000 } else { 10 };
        let keys = keys(
            &jieba,
            "推动高质量发展",
            "港珠澳大桥推动发展。",
            &Entities::default(),
            &df,
            &|_| 0,
            76_000,
        );
        assert!(!keys.iter().any(|k| k.word == "发展"));
        assert!(keys
            .iter()
            .any(|k| k.word == "港珠澳大桥" || k.word == "大桥"));
    }

    #[test]
    fn title_words_outweigh_words_further_down() {
        let jieba = Jieba::new();
        let body = format!("{}加沙空袭。", "。".repeat(300));
        let keys = keys(
            &jieba,
            "内阁改组",
            &body,
            &Entities::default(),
            &|_| 10,
            &|_| 0,
            1000,
        );
        let w = |word: &str| keys.iter().find(|k| k.word == word).map(|k| k.weight);
        assert!(
            w("内阁").unwrap_or(0.0) > w("空袭").unwrap_or(0.0),
            "{keys:?}"
        );
    }
}
