//! WARC file → response records → pages → articles, through `read_paths`. The first byte
//! picks plain `.warc` (most inputs), the rest gzipped by us into a `.warc.gz`, or the raw
//! bytes as a (likely corrupt) `.warc.gz`. Every record must come back as a page or an
//! error naming the file, and reading must end.
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
        Some(0x01) => ("in.warc.gz", gzip(&data[1..])),
        Some(0x02) => ("raw.warc.gz", data[1..].to_vec()),
        _ => ("in.warc", data.to_vec()),
    };
    let path: PathBuf = DIR.path().join(name);
    std::fs::write(&path, contents).expect("write temp file");
    read_paths(&[path], &mut |r| match r {
        Ok(item) => {
            let _ = extract(&item);
        }
        Err(e) => assert!(e.to_string().contains(name), "{e}"),
    });
});
