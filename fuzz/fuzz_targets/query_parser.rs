//! Query text → query tree → tantivy query, compiled against the real schema and jieba
//! tokenizer without an index: the lenient reading every user gets by default must always
//! succeed (typed text is never an error); strict `parse` and `plain` must be Ok or a typed
//! user error; none may panic.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zhnews::analyze::{Analyzer, WordsTokenizer};
use zhnews::index::{schema, Fields};
use zhnews::search::compile::Compiler;
use zhnews::search::query::{parse, plain, read, Node, MAX_CLAUSES};
use zhnews::search::Syntax;
use zhnews::Error;

static FIELDS: LazyLock<Fields> =
    LazyLock::new(|| Fields::new(&schema::build()).expect("schema fields"));
static WORDS: LazyLock<WordsTokenizer> = LazyLock::new(|| Analyzer::new(&[]).words());

fn check(result: Result<Node, Error>) {
    match result {
        Ok(node) => {
            assert!(node.clause_count() <= MAX_CLAUSES);
            let mut terms = Vec::new();
            node.highlight_terms(&mut terms);
            let compiler = Compiler {
                fields: &FIELDS,
                words: &WORDS,
            };
            let _query = compiler.compile(&node);
        }
        Err(e) => assert!(e.is_user_error(), "{e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match read(&text, Syntax::Lenient) {
        Ok(parsed) => {
            let _ = parsed.interpreted_as();
            check(Ok(parsed.node));
        }
        Err(e) => panic!("lenient reading failed on {text:?}: {e}"),
    }
    check(parse(&text));
    check(plain(&text));
});
