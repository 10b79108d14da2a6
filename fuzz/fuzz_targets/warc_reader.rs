//! WARC file → response records → pages → articles, through `read_paths`. The first byte
//! picks plain `.warc` (most inputs), the rest gzipped by us into a `.warc.gz`, or the raw
//! bytes as a (likely corrupt) `.warc.gz`. Every record must come back as a page or an
//! error naming the file, and reading must end.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, contents) = match data.first() {
        Some(0x01) => ("in.warc.gz", common::gzip(&data[1..])),
        Some(0x02) => ("raw.warc.gz", data[1..].to_vec()),
        _ => ("in.warc", data.to_vec()),
    };
    common::read_as(name, &contents);
});
