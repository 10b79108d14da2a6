//! JSON Lines file → items → articles, through `read_paths` as `zhnews index` reads them.
//! The first byte picks the file: plain `.jsonl` (most inputs), the rest gzipped by us into
//! a `.jsonl.gz`, or the raw bytes as a (likely corrupt) `.jsonl.gz` / `.jsonl.zst`. Every
//! record must come back as an item or an error naming the file; extraction of every item
//! must not panic either.
#![no_main]

use std::io::Write;
use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use zhnews::extract::extract;
use zhnews::ingest::read_paths;

static DIR: LazyLock<tempfile::TempDir> = LazyLock::new(|| tempfile::tempdir().expect("temp dir"));

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).expect("gzip to memory");
    enc.finish().expect("gzip to memory")
}

fuzz_target!(|data: &[u8]| {
    let (name, contents) = match data.first() {
        Some(0x01) => ("in.jsonl.gz", gzip(&data[1..])),
        Some(0x02) => ("raw.jsonl.gz", data[1..].to_vec()),
        Some(0x03) => ("raw.jsonl.zst", data[1..].to_vec()),
        _ => ("in.jsonl", data.to_vec()),
    };
    let path: PathBuf = DIR.path().join(name);
    std::fs::write(&path, contents).expect("write temp file");
    let mut items = 0usize;
    read_paths(&[path], &mut |r| match r {
        Ok(item) => {
            items += 1;
            let _ = extract(&item);
        }
        Err(e) => assert!(e.to_string().contains(name), "{e}"),
    });
    if name == "in.jsonl" {
        // At most one item per line.
        assert!(items <= data.iter().filter(|b| **b == b'\n').count() + 1);
    }
});
