//! Bytes plus an optional declared charset (as from an HTTP header) → text. The first byte
//! picks the label: one of a list of real and bogus labels, none, or (0xFF) the bytes up to
//! the first newline. Valid UTF-8 without a BOM must come back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhnews::extract::decode;

const LABELS: &[&str] = &[
    "utf-8",
    "UTF8",
    "gbk",
    "gb2312",
    "GB18030",
    "big5",
    "big5-hkscs",
    "shift_jis",
    "euc-jp",
    "iso-2022-jp",
    "euc-kr",
    "utf-16le",
    "utf-16be",
    "utf-16",
    "iso-8859-1",
    "windows-1252",
    "x-user-defined",
    "replacement",
    "koi8-r",
    "\"gbk\"",
    " gb2312 ",
    "no-such-charset",
    "",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        let (text, _) = decode(data, None);
        assert!(text.is_empty());
        return;
    };
    let owned_label;
    let (label, bytes): (Option<&str>, &[u8]) = match selector {
        0xFF => {
            let split = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
            owned_label = String::from_utf8_lossy(&rest[..split]).into_owned();
            let body = rest.get(split + 1..).unwrap_or_default();
            (Some(owned_label.as_str()), body)
        }
        s if (s as usize) < LABELS.len() => (Some(LABELS[s as usize]), rest),
        _ => (None, rest),
    };
    let (text, encoding) = decode(bytes, label);
    assert!(!encoding.name().is_empty());
    if let Ok(utf8) = std::str::from_utf8(bytes) {
        let expected = utf8.strip_prefix('\u{feff}').unwrap_or(utf8);
        assert_eq!(text, expected, "valid UTF-8 must decode to itself");
    }
    // Every label, the whole input: never a panic.
    let _ = decode(data, None);
});
