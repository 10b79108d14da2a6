//! The search page in a real browser (headless Chromium): load a search URL, let the page
//! call the API, and check the rendered hits and highlights.

mod common;

use std::process::Command;

use common::*;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn the_page_renders_highlighted_hits_for_a_chinese_query() {
    let Some(browser) = chromium() else {
        eprintln!("NOTE: no chromium on PATH; .ci/run installs it. Browser test not run here.");
        return;
    };
    let (_d, engine, _) = corpus_engine();
    let server = TestServer::start(engine);
    let addr = server.addr;
    let profile = tempfile::tempdir().expect("profile");
    let url = format!("http://{addr}/#/search?q=%E6%8F%B4%E7%96%86%20%E6%95%99%E8%82%B2");
    let out = Command::new(browser)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", &url])
        .output()
        .expect("chromium runs");
    server.stop();
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("class=\"hit"),
        "no hits rendered:\n{}",
        &dom[..dom.len().min(3000)]
    );
    assert!(
        dom.contains("<em>援疆</em>"),
        "no highlight in the rendered page"
    );
    assert!(
        dom.contains("援疆教师扎根和田"),
        "the expected article is not listed"
    );
}
