//! The analyzers' output, pinned: golden token snapshots for a set of sentences
//! (`UPDATE_GOLDEN=1` rewrites `tests/golden/tokens.txt`; review the diff like code), and
//! properties of token offsets on any input.

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;
use tantivy::tokenizer::Token;
use zhnews::analyze::normalize::normalize;
use zhnews::analyze::{Analyzer, BigramTokenizer, WordsTokenizer};

/// Loading the dictionary takes a while; every test shares one.
static WORDS: LazyLock<WordsTokenizer> = LazyLock::new(|| Analyzer::new(&[]).words());

/// Sentences that exercise what the analyzers promise: words inside longer words, new
/// names, traditional characters, full-width forms, mixed Latin and Han, numbers, and
/// punctuation and spaces that must not become tokens.
const SENTENCES: &[&str] = &[
    "中国人民银行宣布下调存款准备金率0.5个百分点",
    "人民银行",
    "臺灣經濟持續增長，出口創新高",
    "台湾经济持续增长，出口创新高",
    "ＩＰｈｏｎｅ　１２在北京发布",
    "iPhone 12 支持5G网络",
    "COVID-19疫情防控进入新阶段",
    "北京 新规 明日起实施",
    "习近平在乌鲁木齐考察时强调",
    "“十四五”规划和2035年远景目标纲要",
    "记者从国家统计局获悉：10月份CPI同比上涨2.1%。",
    "他说：“我们一定会回来的！”",
    "新冠肺炎疫苗研发取得重大进展",
    "长江三角洲区域一体化发展",
    "潘功胜表示",
    "日本東京で開催された会議",
    "한국 서울에서 열린 회의",
    "Ｇ２０峰会在杭州举行",
    "第1季度GDP增长18.3%",
    "乒乓球拍卖完了",
];

fn render(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| {
            format!(
                "{}@{}[{}..{}]",
                t.text, t.position, t.offset_from, t.offset_to
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn token_snapshots_match_golden_file() {
    let words = &*WORDS;
    let mut got = String::new();
    for s in SENTENCES {
        got.push_str(&format!("# {s}\n"));
        got.push_str(&format!("words:  {}\n", render(&words.words(s))));
        got.push_str(&format!(
            "bigram: {}\n\n",
            render(&BigramTokenizer.tokens(s))
        ));
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/tokens.txt");
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(&file, &got).expect("write tests/golden/tokens.txt");
        return;
    }
    let want = std::fs::read_to_string(&file).expect("read tests/golden/tokens.txt");
    if want != got {
        let diff: Vec<String> = want
            .lines()
            .zip(got.lines())
            .filter(|(w, g)| w != g)
            .take(6)
            .map(|(w, g)| format!("- {w}\n+ {g}"))
            .collect();
        panic!(
            "token output differs from tests/golden/tokens.txt (rerun with UPDATE_GOLDEN=1 \
             after checking, and bump the analyzer version if the index format changes):\n{}",
            diff.join("\n")
        );
    }
}

/// Checks one token against the text it came from: its offsets are char boundaries in
/// order, and the text under them normalizes to exactly the token's text (whitespace
/// aside: a bigram may span a space).
fn check_offsets(text: &str, t: &Token) -> Result<(), TestCaseError> {
    prop_assert!(t.offset_from < t.offset_to, "empty span {t:?} in {text:?}");
    prop_assert!(
        t.offset_to <= text.len(),
        "span past the end {t:?} in {text:?}"
    );
    prop_assert!(text.is_char_boundary(t.offset_from), "{t:?} in {text:?}");
    prop_assert!(text.is_char_boundary(t.offset_to), "{t:?} in {text:?}");
    let under: String = normalize(&text[t.offset_from..t.offset_to])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    prop_assert_eq!(under, t.text.clone());
    Ok(())
}

/// Text drawn from the characters that make analysis hard, plus anything at all.
fn mixed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[中国人民银行臺灣經濟发展台湾长江三角洲乒乓球拍卖完了的一是不了Ａ-Ｚａ-ｚ０-９A-Za-z0-9 \u{3000}，。！？“”：\\-_.%İẞǅ🎉あア한\u{20000}\u{301}]{0,60}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn word_offsets_are_char_boundaries_over_unchanged_text(text in mixed_text()) {
        for t in WORDS.words(&text) {
            check_offsets(&text, &t)?;
            // Positions are character offsets, so proximity counts characters.
            prop_assert_eq!(t.position, text[..t.offset_from].chars().count());
        }
    }

    #[test]
    fn bigram_offsets_are_char_boundaries_over_unchanged_text(text in mixed_text()) {
        let tokens = BigramTokenizer.tokens(&text);
        let mut last = 0;
        for t in &tokens {
            check_offsets(&text, t)?;
            prop_assert!(t.position >= last, "positions go back at {t:?} in {text:?}");
            last = t.position;
        }
    }
}
