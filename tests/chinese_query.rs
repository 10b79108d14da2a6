//! Chinese query semantics: exact strings never missed, folding of forms, the operators.

mod common;

use std::collections::HashSet;

use common::*;
use tantivy::collector::DocSetCollector;
use zhnews::analyze::normalize::normalize;
use zhnews::index::schema::{id_hash, ID_HASH};
use zhnews::search::{Engine, Filters, SearchRequest, Syntax};

/// The articles that match every word of `q` (in strict syntax), sorted.
fn ids(engine: &Engine, q: &str) -> Vec<String> {
    let mut req = SearchRequest::new(q);
    req.limit = 100;
    req.collapse = false;
    req.partial = false;
    req.syntax = zhnews::search::Syntax::Strict;
    let mut v: Vec<String> = engine
        .search(&req)
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    v.sort();
    v
}

const DOCS: &[(&str, &str, &str, &str)] = &[
    (
        "d1",
        "央行发布公告",
        "中国人民银行今天宣布下调存款准备金率。",
        "2020-01-06",
    ),
    (
        "d2",
        "银行业动态",
        "多家商业银行调整了贷款利率，人民群众关心。",
        "2020-05-01",
    ),
    (
        "d3",
        "臺灣經濟觀察",
        "臺灣經濟成長率今年預計回升。",
        "2021-03-05",
    ),
    (
        "d4",
        "两岸经贸",
        "台湾经济与大陆经贸往来密切。",
        "2021-04-01",
    ),
    (
        "d5",
        "科技新品",
        "新款ｉＰｈｏｎｅ　１２支持5G网络，COVID-19 期间销量仍增长。",
        "2020-10-20",
    ),
    (
        "d6",
        "北京新规",
        "北京新规将于下月实施，涉及垃圾分类。",
        "2019-07-01",
    ),
    (
        "d7",
        "北京 新规解读",
        "专家解读北京 新规的影响。",
        "2019-07-02",
    ),
    (
        "d8",
        "天气",
        "北京今日有雨，新规定的预警信号发布。",
        "2019-07-03",
    ),
];

#[test]
fn exact_substring_inside_a_longer_word() {
    let (_d, e) = engine_with(DOCS);
    assert_eq!(ids(&e, "\"人民银行\""), vec!["d1"]);
    // Unquoted, too: the bigram view finds what jieba's words miss.
    assert!(ids(&e, "人民银行").contains(&"d1".to_string()));
}

#[test]
fn single_characters_are_found() {
    let (_d, e) = engine_with(DOCS);
    assert_eq!(ids(&e, "\"银\""), vec!["d1", "d2"]);
    assert_eq!(ids(&e, "雨"), vec!["d8"]);
}

/// The bigram view holds a lone character only at the end of a text; everywhere else the
/// character starts a bigram. A lone character of the query must match both, in a phrase
/// and alone.
#[test]
fn a_lone_character_matches_inside_a_run_of_characters() {
    let docs = [
        ("s1", "行情", "A股市场今天回暖，成交放大。", "2021-01-04"),
        ("s2", "财报", "京东方发布年度财报。", "2021-01-05"),
        ("s3", "港股", "港股通标的调整，股。", "2021-01-06"),
        ("s4", "无关", "今天天气晴朗。", "2021-01-07"),
    ];
    let (_d, e) = engine_with(&docs);
    assert_eq!(ids(&e, "\"A股\""), vec!["s1"]);
    assert_eq!(ids(&e, "A股"), vec!["s1"]);
    assert_eq!(ids(&e, "\"股\""), vec!["s1", "s3"]);
    assert_eq!(ids(&e, "\"京 东\""), vec!["s2"]);
    assert_eq!(ids(&e, "NEAR/5(东方 财)"), vec!["s2"]);
    assert!(ids(&e, "NEAR/1(东方 财)").is_empty());
    assert_eq!(ids(&e, "\"晴\""), vec!["s4"]);
    assert!(ids(&e, "\"股京\"").is_empty());
}

#[test]
fn traditional_and_simplified_match_each_other() {
    let (_d, e) = engine_with(DOCS);
    assert_eq!(ids(&e, "\"臺灣經濟\""), vec!["d3", "d4"]);
    assert_eq!(ids(&e, "\"台湾经济\""), vec!["d3", "d4"]);
}

#[test]
fn full_width_and_case_fold() {
    let (_d, e) = engine_with(DOCS);
    assert_eq!(ids(&e, "iphone"), vec!["d5"]);
    assert_eq!(ids(&e, "\"IPHONE 12\""), vec!["d5"]);
    assert_eq!(ids(&e, "5g"), vec!["d5"]);
    assert_eq!(ids(&e, "COVID-19"), vec!["d5"]);
}

#[test]
fn quoted_strings_ignore_whitespace_but_not_punctuation() {
    let (_d, e) = engine_with(DOCS);
    // Whitespace counts for nothing on either side, as in a search of the text with its
    // spaces taken out; punctuation is matched as written (after folding its width).
    assert_eq!(ids(&e, "\"北京 新规\""), vec!["d6", "d7"]);
    assert_eq!(ids(&e, "\"北京新规\""), vec!["d6", "d7"]);
    // "北京今日有雨，新规定" in d8 is not the string 北京新规.
    assert!(!ids(&e, "\"北京新规\"").contains(&"d8".to_string()));
    assert_eq!(ids(&e, "\"有雨，新规\""), vec!["d8"]);
    assert_eq!(ids(&e, "\"有雨,新规\""), vec!["d8"]);
    assert!(ids(&e, "\"有雨。新规\"").is_empty());
}

#[test]
fn operators_and_fields() {
    let (_d, e) = engine_with(DOCS);
    assert_eq!(ids(&e, "北京 OR 台湾"), vec!["d3", "d4", "d6", "d7", "d8"]);
    assert_eq!(ids(&e, "北京 -垃圾"), vec!["d7", "d8"]);
    assert_eq!(ids(&e, "北京 NOT 垃圾"), vec!["d7", "d8"]);
    assert_eq!(ids(&e, "(台湾 OR 北京) 经贸"), vec!["d4"]);
    assert_eq!(ids(&e, "title:银行"), vec!["d2"]);
    assert_eq!(ids(&e, "body:\"准备金\""), vec!["d1"]);
    assert_eq!(ids(&e, "source:测试台 台湾"), vec!["d3", "d4"]);
    assert_eq!(
        ids(&e, "published:[2021-01-01 TO 2021-12-31] 经济"),
        vec!["d3", "d4"]
    );
    assert_eq!(ids(&e, "published:[2021-04 TO *] 经济"), vec!["d4"]);
}

#[test]
fn proximity_in_characters() {
    let (_d, e) = engine_with(DOCS);
    assert_eq!(ids(&e, "\"北京 预警\"~12"), vec!["d8"]);
    assert!(ids(&e, "\"北京 预警\"~3").is_empty());
    assert_eq!(ids(&e, "NEAR/12(北京 预警)"), vec!["d8"]);
}

#[test]
fn malformed_queries_are_errors_not_panics() {
    let (_d, e) = engine_with(DOCS);
    for q in [
        "\"北京",
        "(北京",
        "北京)",
        "OR",
        "-北京",
        "published:[x TO y]",
        "NEAR/2(北京)",
    ] {
        let mut req = SearchRequest::new(q);
        req.syntax = zhnews::search::Syntax::Strict;
        let err = e
            .search(&req)
            .err()
            .unwrap_or_else(|| panic!("{q} should fail"));
        assert!(err.is_user_error(), "{q}: {err}");
        // Read leniently, the same text is a query, whatever it holds.
        let lenient = e.search(&SearchRequest::new(q));
        assert!(lenient.is_ok(), "{q}: {:?}", lenient.err());
    }
}

#[test]
fn results_are_deterministic() {
    let (_d, e) = engine_with(DOCS);
    let a: Vec<String> = e
        .search(&SearchRequest::new("北京"))
        .expect("a")
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    for _ in 0..3 {
        let b: Vec<String> = e
            .search(&SearchRequest::new("北京"))
            .expect("b")
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(a, b);
    }
}

#[test]
fn user_dictionary_is_recorded_with_the_index() {
    let dir = tempfile::tempdir().expect("tmp");
    let dict = dir.path().join("dict.txt");
    std::fs::write(&dict, "功胜科技 1000\n").expect("dict");
    let input = dir.path().join("d.jsonl");
    write_jsonl(
        &input,
        &[(
            "u1",
            "功胜科技发布新品",
            "功胜科技今天发布了新产品。",
            "2022-01-01",
        )],
    );
    let ix = dir.path().join("ix");
    let open = zhnews::index::create_or_open(&ix, Some(&dict)).expect("open");
    let mut w = zhnews::index::Indexer::new(open, Default::default()).expect("w");
    zhnews::pipeline::index(
        &mut w,
        &[input],
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
        &mut |_| {},
    )
    .expect("run");
    drop(w);
    let e = Engine::open(&ix, false).expect("engine");
    assert!(e
        .words()
        .words("功胜科技")
        .iter()
        .any(|t| t.text == "功胜科技"));
    assert_eq!(ids(&e, "功胜科技"), vec!["u1"]);
}

/// Issue 4's promise, for every script: 2,000 random strings of 1-8 characters (Han,
/// Latin, digits, punctuation, mixes), drawn from all 76,516 news-text articles (many
/// crossing word boundaries), each quoted, return exactly the articles whose title or
/// body contains the string. The reference is one Aho-Corasick pass over the normalized
/// text with whitespace taken out (the folding of traditional/simplified, width and case
/// that queries get; whitespace counts for nothing on either side).
#[test]
fn exact_strings_match_a_substring_scan_on_all_of_news_text() {
    let Some(text) = news_text() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("news.jsonl");
    std::fs::write(&input, &text).expect("write news-text");
    let summary = index_into(&tmp.path().join("ix"), &[input], 100_000);
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped.first());
    let e = Engine::open(&tmp.path().join("ix"), false).expect("open");
    let squeeze = |s: &str| -> String {
        normalize(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let docs: Vec<(u64, String)> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            // Title and body are separate fields: a string never runs from one to the other.
            let raw = format!(
                "{}\u{0}{}",
                squeeze(v["title"].as_str().unwrap_or_default()),
                squeeze(v["body"].as_str().unwrap_or_default())
            );
            (id_hash(v["id"].as_str().unwrap_or_default()), raw)
        })
        .collect();
    assert_eq!(docs.len() as u64, summary.documents);

    // Deterministic pseudo-random strings of 1-8 characters.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut needles: Vec<String> = Vec::new();
    let mut crossing = 0;
    let mut kinds = [0usize; 3];
    while needles.len() < 2000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let (_, doc) = &docs[(seed % docs.len() as u64) as usize];
        let chars: Vec<(usize, char)> = doc.char_indices().collect();
        if chars.len() < 10 {
            continue;
        }
        let len = 1 + (seed >> 32) as usize % 8;
        let mut start = (seed >> 8) as usize % (chars.len() - len);
        // Every other string is placed over a Latin letter or digit, which are rare.
        let latin: Vec<usize> = (0..chars.len() - len)
            .filter(|&i| chars[i].1.is_ascii_alphanumeric())
            .collect();
        if needles.len() % 2 == 1 && !latin.is_empty() {
            let at = latin[(seed >> 40) as usize % latin.len()];
            start = at.saturating_sub((seed >> 20) as usize % len);
        }
        let s: String = chars[start..start + len].iter().map(|(_, c)| c).collect();
        let han = s.chars().filter(|c| zhnews::analyze::is_cjk(*c)).count();
        let other = s
            .chars()
            .filter(|c| c.is_alphanumeric() && !zhnews::analyze::is_cjk(*c))
            .count();
        // Mostly Han, as the text is; every third string must hold Latin, digits or punctuation.
        let kind = if han == s.chars().count() {
            0
        } else if other > 0 {
            1
        } else {
            2
        };
        // A quoted string cannot hold the quote marks themselves.
        if s.contains(['\u{0}', '"', '“', '”', '「', '」'])
            || !s.chars().any(char::is_alphanumeric)
            || needles.contains(&s)
            || (kind == 0 && kinds[0] > 2 * (kinds[1] + kinds[2]) + 10)
        {
            continue;
        }
        kinds[kind] += 1;
        // Does the string start or end inside a jieba word of its article?
        let (from, to) = (chars[start].0, chars[start].0 + s.len());
        let words = e.words().words(doc);
        if words.iter().any(|w| {
            (w.offset_from < from && from < w.offset_to) || (w.offset_from < to && to < w.offset_to)
        }) {
            crossing += 1;
        }
        needles.push(s);
    }
    assert!(
        crossing >= 500,
        "only {crossing} strings cross a word boundary"
    );
    assert!(
        kinds[1] >= 300,
        "only {} strings with Latin or digits",
        kinds[1]
    );

    let mut want: Vec<HashSet<u64>> = vec![HashSet::new(); needles.len()];
    let ac = aho_corasick::AhoCorasick::new(&needles).expect("automaton");
    for (id, doc) in &docs {
        for m in ac.find_overlapping_iter(doc.as_str()) {
            want[m.pattern().as_usize()].insert(*id);
        }
    }
    let searcher = e.searcher();
    for (needle, want) in needles.iter().zip(&want) {
        let (query, _) = e
            .compile(&format!("\"{needle}\""), &Filters::default())
            .expect("compiles");
        let mut got = HashSet::new();
        for address in searcher.search(&*query, &DocSetCollector).expect("search") {
            let ids = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64(ID_HASH)
                .expect("id_hash column");
            got.insert(ids.first(address.doc_id).expect("id hash"));
        }
        assert_eq!(got.len(), want.len(), "count for {needle:?}");
        assert!(&got == want, "ids for {needle:?}");
    }
    eprintln!(
        "exact strings: {} checked over {} articles ({} Han only, {} with Latin or digits, {} \
         Han and punctuation), {crossing} crossing a word boundary",
        needles.len(),
        docs.len(),
        kinds[0],
        kinds[1],
        kinds[2]
    );
}

#[test]
fn partial_matches_top_up_a_short_first_page_after_every_term_matches() {
    let (_d, e) = engine_with(&[
        (
            "p1",
            "长江 防汛",
            "长江流域进入主汛期，防汛工作全面展开。",
            "2021-07-01",
        ),
        (
            "p2",
            "长江 航运",
            "长江航运繁忙，货运量创新高。",
            "2021-07-02",
        ),
        ("p3", "黄河 防汛", "黄河中游防汛形势严峻。", "2021-07-03"),
        ("p4", "秋粮 收购", "各地秋粮收购有序推进。", "2021-10-01"),
    ]);
    let mut req = SearchRequest::new("长江 防汛");
    req.limit = 10;
    req.partial = false;
    let strict = e.search(&req).expect("search");
    assert_eq!(strict.total, 1);
    assert_eq!(strict.hits.len(), 1);
    req.partial = true;
    let topped = e.search(&req).expect("search");
    // `total` still counts every-term matches; the rest follow, marked, never unrelated.
    assert_eq!(topped.total, 1);
    let got: Vec<(&str, bool)> = topped
        .hits
        .iter()
        .map(|h| (h.id.as_str(), h.partial))
        .collect();
    assert_eq!(got[0], ("p1", false));
    let mut rest: Vec<&str> = got[1..]
        .iter()
        .map(|(id, p)| {
            assert!(p, "{id} should be marked partial");
            *id
        })
        .collect();
    rest.sort();
    assert_eq!(rest, vec!["p2", "p3"]);
    assert!(topped.next_cursor.is_none());
    // Partial matches still keep the query's exclusions.
    let req = SearchRequest::new("长江 -航运 防汛");
    let got: Vec<(String, bool)> = e
        .search(&req)
        .expect("search")
        .hits
        .into_iter()
        .map(|h| (h.id, h.partial))
        .collect();
    assert_eq!(
        got,
        vec![("p1".to_string(), false), ("p3".to_string(), true)]
    );
    // A quoted string narrows the ranking, but a page it leaves empty is still topped up.
    let resp = e
        .search(&SearchRequest::new("\"长江\" 秋粮"))
        .expect("search");
    assert_eq!(resp.total, 0);
    let mut partial: Vec<&str> = resp.hits.iter().map(|h| h.id.as_str()).collect();
    partial.sort();
    assert_eq!(partial, vec!["p1", "p2", "p4"]);
    assert!(resp.hits.iter().all(|h| h.partial));
    // A full first page is not topped up.
    let mut req = SearchRequest::new("防汛");
    req.partial = true;
    req.limit = 2;
    let page = e.search(&req).expect("search");
    assert!(page.hits.iter().all(|h| !h.partial));
}

const COMPANY_DOCS: &[(&str, &str, &str, &str)] = &[
    (
        "c1",
        "三发科技有限公司",
        "三发科技有限公司成立于2010年。",
        "2021-01-01",
    ),
    (
        "c2",
        "一张图看懂公司注销程序",
        "公司注销要办哪些手续，一张图说清楚。",
        "2021-01-02",
    ),
    (
        "c3",
        "有限公司注销手续办理指南",
        "有限公司注销手续分为清算、税务和工商三步。",
        "2021-01-03",
    ),
];

/// `q` with partial matches: the total and the page as (id, partial).
fn partial_page(e: &Engine, q: &str) -> (u64, Vec<(String, bool)>) {
    let mut req = SearchRequest::new(q);
    req.partial = true;
    req.collapse = false;
    let r = e.search(&req).unwrap_or_else(|err| panic!("{q}: {err}"));
    let page = r.hits.into_iter().map(|h| (h.id, h.partial)).collect();
    (r.total, page)
}

/// Search mode indexes 有限公司 with 有限 and 公司 inside it. Those parts must not count
/// as words of their own, or a title with nothing but 有限公司 matches 有限公司注销手续
/// (they made three of its five search-mode words). Among partial matches, the rare
/// words a title shares (注销, 手续) outweigh one common compound.
#[test]
fn a_compound_and_its_parts_count_as_one_word() {
    let (_d, e) = engine_with(COMPANY_DOCS);
    let (total, page) = partial_page(&e, "有限公司注销手续");
    assert_eq!(total, 1);
    let want = [("c3", false), ("c2", true), ("c1", true)];
    let want: Vec<(String, bool)> = want.iter().map(|(id, p)| (id.to_string(), *p)).collect();
    assert_eq!(page, want);
    // The parts alone do not make the word: d2 has 人民 and 银行 apart. Where segmentation
    // hides the word (中国人民银行 is indexed without 人民银行), the exact string finds it.
    let (_d, e) = engine_with(DOCS);
    assert_eq!(ids(&e, "人民银行"), vec!["d1"]);
    assert_eq!(ids(&e, "人民银行 存款 下调 宣布"), vec!["d1"]);
}

/// A long query matches where the words it shares carry three quarters of its weight,
/// rare words weighing more: 有 and 什么 alone do not make a match for 白沟有什么厂子,
/// though they are half of its words.
#[test]
fn common_words_do_not_stand_in_for_rare_ones() {
    let docs: Vec<(&str, &str, &str, &str)> = [
        ("k1", "卵巢保养有什么好处"),
        ("k2", "偏头疼有什么症状"),
        ("k3", "有什么单机游戏好玩"),
        ("k4", "白沟箱包加工厂"),
        ("k5", "白沟有什么厂子招工"),
    ]
    .into_iter()
    .map(|(id, text)| (id, text, text, "2021-01-01"))
    .collect();
    let (_d, e) = engine_with(&docs);
    let (total, page) = partial_page(&e, "白沟有什么厂子");
    assert_eq!(total, 1);
    assert_eq!(page[0], ("k5".to_string(), false));
    assert!(page[1..].iter().all(|(_, partial)| *partial));
    assert!(page.iter().any(|(id, _)| id == "k4"));
}

/// People type questions. The words that ask (我想知道, 什么时候, 怎么样) are in none of
/// the articles that answer, and counted as words they made articles that share only them
/// and one other word match; in a question they are not required, the words that say are.
/// Keywords are each required, news words (最新消息) included.
#[test]
fn question_words_are_not_required() {
    let docs: Vec<(&str, &str, &str, &str)> = vec![
        (
            "q1",
            "港珠澳大桥今天通车",
            "港珠澳大桥今天正式通车运营，粤港澳三地往来更加便捷。",
            "2018-10-24",
        ),
        (
            "q2",
            "大桥通车一周年",
            "港珠澳大桥通车一年来，车流量持续增长。",
            "2019-10-24",
        ),
        (
            "q3",
            "网友关心春节放假安排",
            "我想知道什么时候放假，网友们都想知道，也关心新路什么时候通车。",
            "2019-01-10",
        ),
        (
            "q4",
            "今年粮食产量再创新高",
            "今年全国粮食产量再创历史新高，丰收已成定局。",
            "2021-12-06",
        ),
        (
            "q5",
            "汽车市场怎么样",
            "今年汽车产量怎么样？记者走访了多家车企，产量稳中有升。",
            "2021-12-01",
        ),
        (
            "q6",
            "北京冬奥会开幕",
            "北京冬奥会今晚开幕，开幕式在国家体育场举行。",
            "2022-02-04",
        ),
    ];
    let (_d, e) = engine_with(&docs);
    let full = |q: &str| -> Vec<String> {
        let (_, page) = partial_page(&e, q);
        let mut v: Vec<String> = page
            .into_iter()
            .filter(|(_, partial)| !partial)
            .map(|(id, _)| id)
            .collect();
        v.sort();
        v
    };
    assert_eq!(full("我想知道港珠澳大桥什么时候通车"), vec!["q1", "q2"]);
    assert_eq!(full("今年粮食产量怎么样"), vec!["q4"]);
    assert_eq!(full("请问北京冬奥会什么时候开幕"), vec!["q6"]);
    // Without a question word, 最新消息 is two keywords like any others.
    assert!(full("港珠澳大桥通车最新消息").is_empty());
    // The answer says what it did not require.
    let warnings = |q: &str| e.search(&SearchRequest::new(q)).expect("search").warnings;
    assert_eq!(
        warnings("我想知道港珠澳大桥什么时候通车"),
        vec!["question words not required: 我 想 知道 什么 时候"]
    );
    assert!(warnings("港珠澳大桥 通车").is_empty());
    // Typed apart, words are keywords, each required: the bridge articles come as partial
    // matches.
    assert!(full("港珠澳大桥 什么时候 通车").is_empty());
    assert!(warnings("港珠澳大桥 什么时候 通车").is_empty());
    let (_, apart) = partial_page(&e, "港珠澳大桥 什么时候 通车");
    let first_two: Vec<&str> = apart.iter().take(2).map(|(id, _)| id.as_str()).collect();
    assert!(
        first_two.contains(&"q1") && first_two.contains(&"q2"),
        "{apart:?}"
    );
    // A quoted question is an exact string, and a question of nothing but asking words
    // keeps them.
    assert_eq!(full("\"什么时候通车\""), vec!["q3"]);
    assert_eq!(full("什么时候"), vec!["q3"]);
    // Strict syntax means every word it writes, typed together or apart, and says nothing
    // was left out.
    let strict = |q: &str| {
        let mut req = SearchRequest::new(q);
        req.syntax = Syntax::Strict;
        req.partial = false;
        let r = e.search(&req).expect("search");
        let mut ids: Vec<String> = r.hits.into_iter().map(|h| h.id).collect();
        ids.sort();
        (ids, r.warnings)
    };
    // (A long string still matches by the weight of the words it shares, asking words
    // counted: here 什么, 时候 and 通车 outweigh 港珠澳大桥.)
    assert_eq!(
        strict("港珠澳大桥什么时候通车"),
        (vec!["q3".to_string()], vec![])
    );
    assert_eq!(strict("港珠澳大桥 什么时候 通车"), (vec![], vec![]));
    assert_eq!(strict("汽车 产量 怎么样"), (vec!["q5".to_string()], vec![]));
}

/// An index whose articles all lack a title (or a body) searches only the field they fill:
/// the empty one could neither match nor score. The hits are the same either way.
#[test]
fn a_field_no_article_fills_is_not_searched() {
    let fields_of = |engine: &Engine, q: &str| -> HashSet<String> {
        let (query, _) = engine.compile(q, &Filters::default()).expect("compiles");
        let schema = engine.index().index.schema();
        let mut names = HashSet::new();
        query.query_terms(&mut |term, _| {
            names.insert(schema.get_field_name(term.field()).to_string());
        });
        names
    };
    let docs = [
        (
            "a",
            "长江流域启动防汛应急响应",
            "水利部针对长江流域启动洪水防御应急响应。",
            "2024-06-30",
        ),
        (
            "b",
            "央行下调存款准备金率",
            "中国人民银行决定下调存款准备金率，长江经济带受益。",
            "2024-01-02",
        ),
    ];
    let (_d1, both) = engine_with(&docs);
    let untitled: Vec<_> = docs
        .iter()
        .map(|&(id, _, body, day)| (id, "", body, day))
        .collect();
    let (_d2, bodies) = engine_with(&untitled);
    let all = ["title", "title_exact", "body", "body_exact"];
    assert_eq!(
        fields_of(&both, "长江 应急响应"),
        all.iter().map(|s| s.to_string()).collect()
    );
    assert_eq!(
        fields_of(&bodies, "长江 应急响应"),
        ["body", "body_exact"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    // An explicit field is kept as asked, filled or not.
    assert!(fields_of(&bodies, "title:长江").contains("title"));
    assert_eq!(ids(&bodies, "长江 应急响应"), vec!["a".to_string()]);
    assert_eq!(ids(&bodies, "长江"), vec!["a".to_string(), "b".to_string()]);
}
