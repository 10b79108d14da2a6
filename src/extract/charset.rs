//! Bytes to text: BOM, then valid UTF-8 (many pages declare gb2312 but were saved as
//! UTF-8), then the HTTP or `<meta>` declaration, then detection. GB2312 and GBK are read
//! as GB18030, their superset.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// How far into a page we look for a `<meta>` charset.
const META_SCAN_BYTES: usize = 16 * 1024;

/// Decodes a page; returns the text and the encoding used.
pub fn decode(bytes: &[u8], http_charset: Option<&str>) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text.into_owned(), enc);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_string(), UTF_8);
    }
    let declared = http_charset
        .and_then(label_to_encoding)
        .or_else(|| meta_charset(bytes).and_then(|l| label_to_encoding(&l)));
    if let Some(enc) = declared.filter(|e| *e != UTF_8) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return (text.into_owned(), enc);
        }
    }
    if declared == Some(UTF_8) && mostly_utf8(bytes) {
        // A UTF-8 page with a few broken bytes: keep the rest rather than guess again.
        return (String::from_utf8_lossy(bytes).into_owned(), UTF_8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // Chinese news first: a tie between GBK and Big5 should go to GBK.
    let guessed = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    // Unless, without the hint, the bytes read as Big5 and decode cleanly as Big5.
    let unhinted = detector.guess(None, chardetng::Utf8Detection::Allow);
    let enc = if guessed == encoding_rs::GBK {
        if unhinted == encoding_rs::BIG5 && !encoding_rs::BIG5.decode_without_bom_handling(bytes).1
        {
            encoding_rs::BIG5
        } else {
            GB18030
        }
    } else {
        guessed
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc)
}

/// A handful of broken sequences, or at most one per 1,000 bytes.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut errors = 0usize;
    let mut rest = bytes;
    while let Err(e) = std::str::from_utf8(rest) {
        errors += 1;
        let skip = e.valid_up_to() + e.error_len().unwrap_or(rest.len() - e.valid_up_to()).max(1);
        rest = &rest[skip.min(rest.len())..];
    }
    errors <= 8 || errors * 1000 <= bytes.len()
}

fn label_to_encoding(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    Some(if enc == encoding_rs::GBK {
        GB18030
    } else {
        enc
    })
}

/// The charset named by `<meta charset=…>` or `<meta http-equiv content="…charset=…">`.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(META_SCAN_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = find(&lower[start..], b">")
            .map(|e| start + e)
            .unwrap_or(lower.len());
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = trim_start(rest, |b| b == b' ' || b == b'=' || b == b'"' || b == b'\'');
            let name: Vec<u8> = rest
                .iter()
                .copied()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
                .collect();
            if !name.is_empty() {
                return String::from_utf8(name).ok();
            }
        }
        from = end.max(start + 5);
    }
    None
}

fn trim_start(s: &[u8], f: impl Fn(u8) -> bool) -> &[u8] {
    let n = s.iter().take_while(|b| f(**b)).count();
    &s[n..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "<html><head><meta charset=\"gb2312\"></head><body>脱贫攻坚取得决定性胜利，臺灣經濟</body></html>";

    #[test]
    fn gbk_page_declared_gb2312() {
        let (bytes, _, _) = GB18030.encode(TEXT);
        let (text, enc) = decode(&bytes, None);
        assert_eq!(enc, GB18030);
        assert_eq!(text, TEXT);
    }

    #[test]
    fn utf8_page_that_lies_about_gb2312() {
        let (text, enc) = decode(TEXT.as_bytes(), None);
        assert_eq!(enc, UTF_8);
        assert_eq!(text, TEXT);
    }

    #[test]
    fn big5_detected_without_declaration() {
        let page = "<html><body><p>臺灣經濟發展迅速，外銷訂單創新高。行政院表示將持續推動產業升級與數位轉型。</p></body></html>";
        let (bytes, _, _) = encoding_rs::BIG5.encode(page);
        let (text, enc) = decode(&bytes, None);
        assert_eq!(enc, encoding_rs::BIG5);
        assert_eq!(text, page);
    }

    #[test]
    fn gbk_detected_without_declaration() {
        let page = "<html><body><p>脱贫攻坚取得决定性胜利，各地区各部门认真落实中央决策部署。</p></body></html>";
        let (bytes, _, _) = GB18030.encode(page);
        let (text, enc) = decode(&bytes, None);
        assert_eq!(enc, GB18030);
        assert_eq!(text, page);
    }

    #[test]
    fn http_header_wins_over_meta_and_bom_wins_over_all() {
        let (bytes, _, _) = encoding_rs::BIG5.encode("<meta charset=gbk>經濟發展");
        let (text, enc) = decode(&bytes, Some("big5"));
        assert_eq!(enc, encoding_rs::BIG5);
        assert!(text.ends_with("經濟發展"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("新闻".as_bytes());
        assert_eq!(decode(&bom, Some("gbk")).0, "新闻");
    }

    #[test]
    fn declared_utf8_with_broken_bytes_keeps_the_text() {
        let mut bytes = "<meta charset=\"utf-8\"><p>新闻正文，测试。"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(&[0xFF, 0xFE]);
        bytes.extend_from_slice("后面的正文。".repeat(200).as_bytes());
        let (text, enc) = decode(&bytes, None);
        assert_eq!(enc, UTF_8);
        assert!(text.contains("新闻正文") && text.contains("后面的正文"));
    }

    #[test]
    fn meta_charset_forms() {
        assert_eq!(
            meta_charset(b"<META http-equiv=\"Content-Type\" content=\"text/html; charset=GBK\">")
                .as_deref(),
            Some("gbk")
        );
        assert_eq!(
            meta_charset(b"<meta charset='utf-8'>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(meta_charset(b"<p>no meta</p>"), None);
    }

    #[test]
    fn junk_never_panics() {
        for bytes in [
            &[0xFFu8, 0xFE, 0x00][..],
            &[0x81, 0x30][..],
            &[][..],
            &[0u8; 100][..],
        ] {
            let _ = decode(bytes, Some("no-such-charset"));
        }
    }
}
