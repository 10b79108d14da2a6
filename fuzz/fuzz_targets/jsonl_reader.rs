//! JSON Lines file → items → articles, through `read_paths` as `zhnews index` reads them.
//! The first byte picks the file: plain `.jsonl` (most inputs), the rest gzipped by us into
//! a `.jsonl.gz`, or the raw bytes as a (likely corrupt) `.jsonl.gz` / `.jsonl.zst`. Every
//! record must come back as an item or an error naming the file; extraction of every item
//! must not panic either.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, contents) = match data.first() {
        Some(0x01) => ("in.jsonl.gz", common::gzip(&data[1..])),
        Some(0x02) => ("raw.jsonl.gz", data[1..].to_vec()),
        Some(0x03) => ("raw.jsonl.zst", data[1..].to_vec()),
        _ => ("in.jsonl", data.to_vec()),
    };
    let items = common::read_as(name, &contents);
    if name == "in.jsonl" {
        // At most one item per line.
        assert!(items <= data.iter().filter(|b| **b == b'\n').count() + 1);
    }
});
