//! Page bytes → charset decoding → article extraction, the path every crawled page takes
//! (`extract_page` decodes, applies the binary and tag-count guards, then `extract_html`).
//! Must return an article or an error, never panic, hang or blow up memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhnews::extract::{extract_page, MAX_TAGS};
use zhnews::ingest::RawPage;

const URL: &str = "http://www.news.cn/politics/2020-10/28/c_1126667890.htm";

fuzz_target!(|data: &[u8]| {
    let page = RawPage {
        origin: "fuzz.html".into(),
        url: Some(URL.into()),
        bytes: data.to_vec(),
        http_charset: None,
        fetched_at: None,
    };
    if let Ok(article) = extract_page(&page) {
        // extract_html refuses bodies shorter than 10 visible characters.
        assert!(article.body.chars().filter(|c| !c.is_whitespace()).count() >= 10);
        assert!(!article.id.is_empty());
    }
    // The lower-level entry points directly, on text the page guard would let through.
    let (text, _) = zhnews::extract::decode(data, None);
    if text.len() < 64 * 1024 && text.bytes().filter(|b| *b == b'<').count() <= MAX_TAGS {
        let _ = zhnews::extract::extract_html(&text, None);
    }
});
