//! Words that ask rather than say. People type questions (我想知道港珠澳大桥什么时候通车,
//! 今年粮食产量怎么样); the words that ask are in few of the articles that answer, and when
//! a query's matching counts them they stand in for the words that carry it. In a question
//! typed as one unquoted string, the asking words are left out of what must match; the
//! bigrams of a long string still score them, a quoted string is exact, and keywords typed
//! apart are each required. This is the lenient reading, for what people type; a query in
//! strict syntax means every word it writes.

use super::compile::{units, Unit};
use super::query::{Node, Syntax};
use crate::analyze::normalize::normalize;
use crate::analyze::WordsTokenizer;

/// The asking words only a question has: interrogatives, the particles that end a question
/// and 请问, as jieba's search mode cuts them (normalized: simplified, lowercase).
const QUESTIONS: &[&str] = &[
    "什么",
    "为什么",
    "为何",
    "怎么",
    "怎么样",
    "怎样",
    "如何",
    "哪里",
    "哪儿",
    "哪些",
    "哪个",
    "多少",
    "多久",
    "几时",
    "是否",
    "是不是",
    "有没有",
    "能不能",
    "会不会",
    "可不可以",
    "吗",
    "呢",
    "请问",
];

/// The other words a question asks with: the rest of 什么时候, the phrases that open a
/// request, and the words that ask for news about something.
const REQUESTS: &[&str] = &[
    "时候",
    "吧",
    "请",
    "我想",
    "想",
    "知道",
    "我",
    "告诉",
    "一下",
    "最新消息",
    "最新",
    "消息",
    "新闻",
    "报道",
    "相关",
    "有关",
    "关于",
];

/// Whether a word asks rather than says.
fn asks(word: &str) -> bool {
    QUESTIONS.contains(&word) || REQUESTS.contains(&word)
}

/// Whether a unit's word says something (does not ask).
fn says(words: &[String], u: &Unit) -> bool {
    words.get(u.whole).is_none_or(|w| !asks(w))
}

/// Whether asking words may be left out of what must match.
fn leaves_out(syntax: Syntax) -> bool {
    syntax == Syntax::Lenient
}

/// Whether a string is a question: it holds a word that only a question has (什么, 怎么样,
/// 吗, 请问) and a word that says something. The other asking words (我想知道, 最新消息,
/// 相关报道) are left out only in a question: they are ordinary words in news, and in a
/// string of keywords every word is meant.
fn is_question(words: &[String], units: &[Unit]) -> bool {
    let has = |test: &dyn Fn(&str) -> bool| {
        units
            .iter()
            .any(|u| words.get(u.whole).is_some_and(|w| test(w)))
    };
    has(&|w| QUESTIONS.contains(&w)) && has(&|w| !asks(w))
}

/// Whether `text` holds one of [`QUESTIONS`] at all, as normalized text: a string without
/// one is no question, whatever its words.
fn might_ask(text: &str) -> bool {
    let text = normalize(text);
    QUESTIONS.iter().any(|q| text.contains(q))
}

/// `units` without those whose word asks, in a question read leniently.
pub fn content_units(words: &[String], units: Vec<Unit>, syntax: Syntax) -> Vec<Unit> {
    if leaves_out(syntax) && is_question(words, &units) {
        units.into_iter().filter(|u| says(words, u)).collect()
    } else {
        units
    }
}

/// The words of a query that are not required because they ask, each once, in order: the
/// response says so, as part of how the query was read.
pub fn not_required(node: &Node, words: &WordsTokenizer, syntax: Syntax) -> Vec<String> {
    fn walk(node: &Node, words: &WordsTokenizer, out: &mut Vec<String>) {
        let push = |w: &str, out: &mut Vec<String>| {
            if !out.iter().any(|o| o == w) {
                out.push(w.to_string());
            }
        };
        match node {
            // Only a string holding a question word can be a question: the others (most
            // queries) are not cut into words a second time.
            Node::Term { text, .. } if might_ask(text) => {
                // What `content_units` leaves out.
                let (w, all) = units(&words.words(text));
                let kept = content_units(&w, all.clone(), Syntax::Lenient);
                for u in all.iter().filter(|u| !kept.contains(u)) {
                    if let Some(word) = w.get(u.whole) {
                        push(word, out);
                    }
                }
            }
            Node::And(parts) | Node::Or(parts) => parts.iter().for_each(|p| walk(p, words, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if leaves_out(syntax) {
        walk(node, words, &mut out);
    }
    out
}

/// The warning that reports [`not_required`], if any word was left out.
pub fn warning(node: &Node, words: &WordsTokenizer, syntax: Syntax) -> Option<String> {
    let left = not_required(node, words, syntax);
    (!left.is_empty()).then(|| format!("question words not required: {}", left.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(whole: usize) -> Unit {
        Unit {
            whole,
            parts: Vec::new(),
        }
    }

    #[test]
    fn asking_words_leave_the_units_that_say() {
        let words: Vec<String> = ["我", "想", "知道", "港珠澳大桥", "什么", "时候", "通车"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let units: Vec<Unit> = (0..words.len()).map(unit).collect();
        let kept: Vec<&str> = content_units(&words, units.clone(), Syntax::Lenient)
            .iter()
            .map(|u| words[u.whole].as_str())
            .collect();
        assert_eq!(kept, ["港珠澳大桥", "通车"]);
        assert_eq!(content_units(&words, units.clone(), Syntax::Strict), units);
    }

    #[test]
    fn news_words_without_a_question_are_keywords() {
        let words: Vec<String> = ["武汉", "疫情", "最新", "消息"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let units: Vec<Unit> = (0..words.len()).map(unit).collect();
        assert_eq!(content_units(&words, units.clone(), Syntax::Lenient), units);
    }

    #[test]
    fn the_asking_words_left_out_are_reported_and_only_in_a_question() {
        let words = WordsTokenizer::new(std::sync::Arc::new(jieba_rs::Jieba::new()), false);
        let left = |q: &str| {
            let parsed = super::super::query::read(q, Syntax::Lenient).expect("query");
            not_required(&parsed.node, &words, Syntax::Lenient)
        };
        assert_eq!(left("港珠澳大桥什么时候通车"), ["什么", "时候"]);
        // Traditional characters are asked the same way once normalized.
        assert_eq!(left("港珠澳大橋什麼時候通車"), ["什么", "时候"]);
        assert!(left("港珠澳大桥 通车 最新消息").is_empty());
        let parsed =
            super::super::query::read("港珠澳大桥什么时候通车", Syntax::Strict).expect("query");
        assert!(not_required(&parsed.node, &words, Syntax::Strict).is_empty());
    }

    #[test]
    fn a_question_of_asking_words_alone_keeps_them() {
        let words: Vec<String> = ["什么", "时候"].iter().map(|w| w.to_string()).collect();
        let units = vec![unit(0), unit(1)];
        assert_eq!(content_units(&words, units.clone(), Syntax::Lenient), units);
    }
}
