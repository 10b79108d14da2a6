//! WARC files: `response` records of HTML pages. Records are read here rather than with the
//! `warc` crate's reader, which panicked on a header value that is not UTF-8 and on a
//! Content-Length near `usize::MAX` (both found by the warc_reader fuzz target), and which
//! held a record of any size in memory.

use std::io::{BufRead, Read};

use super::{limits::MAX_PAGE_BYTES, Item, RawPage};
use crate::error::Error;

/// The longest header block of one record; real ones are well under 4 KiB.
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Room for the HTTP headers in front of a page of [`MAX_PAGE_BYTES`].
const HTTP_HEAD_BYTES: u64 = 64 * 1024;

pub(super) fn read(
    mut reader: impl BufRead,
    origin: &str,
    sink: &mut dyn FnMut(Result<Item, Error>),
) {
    for n in 1usize.. {
        let where_ = format!("{origin}#{n}");
        let record = match next_record(&mut reader) {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(reason) => {
                // Without a trustworthy length there is no finding the next record.
                sink(Err(Error::bad_input(
                    where_,
                    format!("broken WARC record: {reason}"),
                )));
                return;
            }
        };
        if !record.kind.eq_ignore_ascii_case("response") {
            continue;
        }
        let Some(block) = record.block else {
            sink(Err(Error::bad_input(
                where_,
                format!(
                    "record of {} bytes is over the page size cap, skipped",
                    record.length
                ),
            )));
            continue;
        };
        let url = record.target_uri;
        let fetched_at = record.date;
        sink(split_http(&block, &where_).map(|(charset, html)| {
            Item::Page(RawPage {
                origin: where_.clone(),
                url,
                bytes: html.to_vec(),
                http_charset: charset,
                fetched_at,
            })
        }));
    }
}

/// One WARC record: the headers we use and its block, unless the block was too big to keep.
#[derive(Debug)]
struct Record {
    kind: String,
    target_uri: Option<String>,
    date: Option<String>,
    length: u64,
    block: Option<Vec<u8>>,
}

/// Reads the next record; `None` at the end of the input. Errors are reasons.
fn next_record(reader: &mut impl BufRead) -> Result<Option<Record>, String> {
    let mut line = Vec::new();
    // Records end with CRLF CRLF; be lenient about how many blank lines separate them.
    loop {
        line.clear();
        if read_line(reader, &mut line, MAX_HEADER_BYTES)? == 0 {
            return Ok(None);
        }
        if !line.trim_ascii().is_empty() {
            break;
        }
    }
    if !line.starts_with(b"WARC/") {
        let shown: String = String::from_utf8_lossy(line.trim_ascii())
            .chars()
            .take(40)
            .collect();
        return Err(format!("expected a WARC/1.x version line, found {shown:?}"));
    }
    let mut header_bytes = line.len();
    let mut record = Record {
        kind: String::new(),
        target_uri: None,
        date: None,
        length: 0,
        block: None,
    };
    let mut length = None;
    loop {
        line.clear();
        let read = read_line(reader, &mut line, MAX_HEADER_BYTES - header_bytes)?;
        if read == 0 {
            return Err("the input ends inside the record header".into());
        }
        header_bytes += read;
        let text = line.trim_ascii();
        if text.is_empty() {
            break;
        }
        let Some(colon) = text.iter().position(|b| *b == b':') else {
            continue;
        };
        let name = String::from_utf8_lossy(&text[..colon])
            .trim()
            .to_ascii_lowercase();
        let value = String::from_utf8_lossy(text[colon + 1..].trim_ascii()).into_owned();
        match name.as_str() {
            "content-length" => {
                let n: u64 = value
                    .parse()
                    .map_err(|_| format!("Content-Length {value:?} is not a number"))?;
                length = Some(n);
            }
            "warc-type" => record.kind = value,
            "warc-target-uri" => {
                record.target_uri = Some(value.trim_matches(['<', '>']).to_string());
            }
            "warc-date" => {
                record.date = chrono::DateTime::parse_from_rfc3339(&value)
                    .ok()
                    .map(|d| d.with_timezone(&chrono::Utc).to_rfc3339());
            }
            _ => {}
        }
    }
    let length = length.ok_or("record without Content-Length")?;
    record.length = length;
    let mut body = Read::take(&mut *reader, length);
    if length > MAX_PAGE_BYTES as u64 + HTTP_HEAD_BYTES {
        let skipped = std::io::copy(&mut body, &mut std::io::sink())
            .map_err(|e| format!("read failed: {e}"))?;
        if skipped < length {
            return Err(format!(
                "the input ends {} bytes into a {length}-byte block",
                skipped
            ));
        }
        return Ok(Some(record));
    }
    let mut block = Vec::new();
    body.read_to_end(&mut block)
        .map_err(|e| format!("read failed: {e}"))?;
    if (block.len() as u64) < length {
        return Err(format!(
            "the input ends {} bytes into a {length}-byte block",
            block.len()
        ));
    }
    record.block = Some(block);
    Ok(Some(record))
}

/// One line (with its `\n`) into `line`, reading at most `cap` bytes; 0 at the end.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>, cap: usize) -> Result<usize, String> {
    let read = Read::take(&mut *reader, cap as u64)
        .read_until(b'\n', line)
        .map_err(|e| format!("read failed: {e}"))?;
    if read == cap && line.last() != Some(&b'\n') {
        return Err(format!("record header over {} KiB", MAX_HEADER_BYTES >> 10));
    }
    Ok(read)
}

/// Splits an HTTP response into the charset of its Content-Type and its body. Only 200
/// responses with an HTML (or unknown) type are pages.
fn split_http<'a>(block: &'a [u8], origin: &str) -> Result<(Option<String>, &'a [u8]), Error> {
    let Some(end) = find(block, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| find(block, b"\n\n").map(|i| i + 2))
    else {
        return Err(Error::bad_input(
            origin,
            "response record without HTTP headers",
        ));
    };
    let head = String::from_utf8_lossy(&block[..end]);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default();
    let code = status.split_whitespace().nth(1).unwrap_or_default();
    if code != "200" {
        return Err(Error::bad_input(
            origin,
            format!("HTTP status {code:?}, not a page"),
        ));
    }
    let mut charset = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-type") {
            let value = value.to_ascii_lowercase();
            if !(value.contains("html") || value.contains("text/plain")) {
                return Err(Error::bad_input(
                    origin,
                    format!("content type {:?} is not HTML", value.trim()),
                ));
            }
            charset = value.split(';').find_map(|p| {
                p.trim()
                    .strip_prefix("charset=")
                    .map(|c| c.trim_matches('"').to_string())
            });
        }
    }
    let body = &block[end..];
    if body.len() > MAX_PAGE_BYTES {
        return Err(Error::bad_input(origin, "page is over the size cap"));
    }
    if body.is_empty() {
        return Err(Error::bad_input(origin, "empty response body"));
    }
    Ok((charset, body))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_split_reads_charset_and_rejects_non_pages() {
        let ok = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=GBK\r\n\r\n<html></html>";
        let (cs, body) = split_http(ok, "w").expect("a page");
        assert_eq!(cs.as_deref(), Some("gbk"));
        assert_eq!(body, b"<html></html>");
        assert!(split_http(b"HTTP/1.1 404 Not Found\r\n\r\nx", "w").is_err());
        assert!(split_http(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nx", "w").is_err());
        assert!(split_http(b"garbage", "w").is_err());
    }

    fn collect(input: &[u8]) -> Vec<Result<Item, Error>> {
        let mut out = Vec::new();
        read(input, "t.warc", &mut |r| out.push(r));
        out
    }

    fn record(headers: &str, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\n{headers}Content-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    const PAGE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>x</p>";

    #[test]
    fn responses_are_pages_other_records_are_passed_over() {
        let mut input = record("WARC-Type: warcinfo\r\n", b"software: x\r\n");
        input.extend(record(
            "WARC-Type: response\r\nWARC-Date: 2020-10-28T08:00:00Z\r\nWARC-Target-URI: <http://a.cn/1>\r\n",
            PAGE,
        ));
        input.extend(record("WARC-Type: request\r\n", b"GET / HTTP/1.1\r\n\r\n"));
        input.extend(record(
            "WARC-Type: response\r\n",
            b"HTTP/1.1 404 Not Found\r\n\r\n",
        ));
        let out = collect(&input);
        assert_eq!(out.len(), 2);
        match &out[0] {
            Ok(Item::Page(p)) => {
                assert_eq!(p.origin, "t.warc#2");
                assert_eq!(p.url.as_deref(), Some("http://a.cn/1"));
                assert_eq!(p.bytes, b"<p>x</p>");
                assert_eq!(p.fetched_at.as_deref(), Some("2020-10-28T08:00:00+00:00"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&out[1], Err(e) if e.to_string().starts_with("t.warc#4: HTTP status")));
    }

    /// Found by the warc_reader fuzz target: a target URI with a byte that is not UTF-8
    /// made the `warc` crate's `Record::header` unwrap a `FromUtf8Error`.
    #[test]
    fn header_values_that_are_not_utf8_do_not_panic() {
        let mut input = b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http:/\xd1\x7fww.news.cn/2020-10/28/c_1.htm\r\n".to_vec();
        input.extend(format!("Content-Length: {}\r\n\r\n", PAGE.len()).as_bytes());
        input.extend(PAGE);
        let out = collect(&input);
        assert_eq!(out.len(), 1);
        assert!(
            matches!(&out[0], Ok(Item::Page(p)) if p.url.as_deref().is_some_and(|u| u.ends_with("c_1.htm")))
        );
        // The fuzzer's input itself.
        let crash = include_bytes!("../../tests/fuzz-regressions/warc-non-utf8-target-uri.warc");
        let out = collect(crash);
        assert!(
            matches!(&out[..], [Err(e)] if e.to_string().contains("without HTTP headers")),
            "{out:?}"
        );
    }

    #[test]
    fn broken_lengths_and_truncation_are_errors_not_panics() {
        for (input, want) in [
            (
                format!(
                    "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: {}\r\n\r\n\r\n",
                    usize::MAX
                ),
                "ends 2 bytes into",
            ),
            (
                "WARC/1.0\r\nContent-Length: 99999999999999999999999\r\n\r\n".to_string(),
                "not a number",
            ),
            (
                "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99\r\n\r\nshort".to_string(),
                "ends 5 bytes into",
            ),
            (
                "WARC/1.0\r\nWARC-Type: response\r\n".to_string(),
                "ends inside the record header",
            ),
            (
                "WARC/1.0\r\nWARC-Type: response\r\n\r\nx".to_string(),
                "without Content-Length",
            ),
            ("GET / HTTP/1.1\r\n".to_string(), "expected a WARC/1.x"),
        ] {
            let out = collect(input.as_bytes());
            assert!(
                matches!(&out[..], [Err(e)] if e.to_string().contains(want)),
                "{input:?}: {out:?}"
            );
        }
        let long = format!("WARC/1.0\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEADER_BYTES));
        assert!(
            matches!(&collect(long.as_bytes())[..], [Err(e)] if e.to_string().contains("over 64 KiB"))
        );
        assert!(collect(b"").is_empty());
        assert!(collect(b"\r\n\r\n").is_empty());
    }

    #[test]
    fn oversized_records_are_skipped_and_reading_goes_on() {
        let big = vec![b'x'; MAX_PAGE_BYTES + HTTP_HEAD_BYTES as usize + 1];
        let mut input = record("WARC-Type: response\r\n", &big);
        input.extend(record("WARC-Type: response\r\n", PAGE));
        let out = collect(&input);
        assert_eq!(out.len(), 2);
        assert!(matches!(&out[0], Err(e) if e.to_string().contains("over the page size cap")));
        assert!(matches!(&out[1], Ok(Item::Page(p)) if p.origin == "t.warc#2"));
    }
}
