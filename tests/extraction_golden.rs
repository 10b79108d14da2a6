//! Extraction checks on real pages: (a) the demo corpus against its manifest, (b) golden
//! snapshots of the JSON output on the extraction dev set (`UPDATE_GOLDEN=1` rewrites them).

use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use serde_json::Value;
use zhnews::article::Published;
use zhnews::extract::{extract_page, ExtractOutput};
use zhnews::ingest::RawPage;

fn page(path: &Path) -> RawPage {
    RawPage {
        origin: path.display().to_string(),
        url: None,
        bytes: std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())),
        http_charset: None,
        fetched_at: None,
    }
}

fn field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

#[test]
fn demo_corpus_matches_manifest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("manifest.json")).expect("corpus/manifest.json"),
    )
    .expect("manifest is JSON");
    let entries = manifest.as_array().expect("manifest is a list");
    assert!(!entries.is_empty());
    let beijing = FixedOffset::east_opt(8 * 3600).expect("offset");
    let mut failures = Vec::new();
    for e in entries {
        let file = field(e, "file").expect("file");
        let a = match extract_page(&page(&root.join(file))) {
            Ok(a) => a,
            Err(err) => {
                failures.push(format!("{file}: extraction failed: {err}"));
                continue;
            }
        };
        let mut fail = |what: &str, want: &str, got: &str| {
            failures.push(format!("{file}: {what}: want {want:?}, got {got:?}"));
        };
        let title = field(e, "title").unwrap_or_default();
        if a.title != title {
            fail("title", title, &a.title);
        }
        if let Some(want) = field(e, "published") {
            let fmt = if want.len() > 10 {
                "%Y-%m-%d %H:%M"
            } else {
                "%Y-%m-%d"
            };
            let got = match a.published {
                Some(Published::At(t)) => t.with_timezone(&beijing).format(fmt).to_string(),
                Some(Published::Day(d)) => d.format("%Y-%m-%d").to_string(),
                None => String::new(),
            };
            if got != want {
                fail("published", want, &got);
            }
            if let Some(Published::At(t)) = a.published {
                if t.offset().local_minus_utc() != 8 * 3600 {
                    fail("published offset", "+08:00", &t.to_rfc3339());
                }
            }
        }
        let source = field(e, "source");
        if a.source.as_deref() != source {
            fail(
                "source",
                source.unwrap_or("<none>"),
                a.source.as_deref().unwrap_or("<none>"),
            );
        }
        let author = field(e, "author");
        if a.author.as_deref() != author {
            fail(
                "author",
                author.unwrap_or("<none>"),
                a.author.as_deref().unwrap_or("<none>"),
            );
        }
        if let (Some(ed), Some(au)) = (field(e, "editor"), a.author.as_deref()) {
            if ed == au {
                fail("author is the editor", "<not the editor>", au);
            }
        }
        let first = field(e, "body_first").unwrap_or_default();
        if !a.body.starts_with(first) {
            fail(
                "body_first",
                first,
                &a.body.chars().take(40).collect::<String>(),
            );
        }
        let last = field(e, "body_last").unwrap_or_default();
        if !a.body.ends_with(last) {
            let tail: Vec<char> = a.body.chars().rev().take(40).collect();
            fail(
                "body_last",
                last,
                &tail.into_iter().rev().collect::<String>(),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} manifest mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn dev_set_golden_snapshots() {
    let dev = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/extraction-dev"
    ));
    if !dev.is_dir() {
        eprintln!(
            "NOTE: {} is absent; golden snapshot test skipped",
            dev.display()
        );
        return;
    }
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/extraction-dev");
    let update = std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    if update {
        std::fs::create_dir_all(&golden).expect("create golden dir");
    }
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dev)
        .expect("read dev dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no pages in {}", dev.display());
    let mut failures = Vec::new();
    for path in &names {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name");
        // The snapshot keeps the fields and a fingerprint of the body, not the body: the
        // pages' text is not ours to copy into the repository.
        let got = match extract_page(&page(path)) {
            Ok(a) => {
                let out = ExtractOutput::from(&a);
                serde_json::to_string_pretty(&serde_json::json!({
                    "url": out.url, "title": out.title, "published": out.published, "source": out.source,
                    "author": out.author, "editor": out.editor, "section": out.section, "keywords": out.keywords,
                    "body_chars": a.body.chars().count(),
                    "body_paragraphs": a.body.lines().count(),
                    "body_blake3": blake3::hash(a.body.as_bytes()).to_hex()[..16].to_string(),
                }))
                .expect("json")
            }
            Err(e) => serde_json::to_string_pretty(&serde_json::json!({ "error": e.to_string() }))
                .expect("json"),
        };
        // Errors carry the page's path, which differs between checkouts.
        let got = got.replace(&path.display().to_string(), stem) + "\n";
        let file = golden.join(format!("{stem}.json"));
        if update {
            std::fs::write(&file, &got).expect("write golden");
            continue;
        }
        match std::fs::read_to_string(&file) {
            Ok(want) if want == got => {}
            Ok(_) => failures.push(format!("{stem}: output differs from {}", file.display())),
            Err(_) => failures.push(format!("{stem}: missing {}", file.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden mismatches (rerun with UPDATE_GOLDEN=1 after checking the changes):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
