//! Reprint fingerprints: an exact hash of the normalized text, a MinHash signature over
//! character 5-shingles (with LSH bands to find near-duplicate candidates quickly), and
//! the numbers the text states.
//!
//! The signature is a one-permutation MinHash (Li, Owen and Zhang 2012): each shingle is
//! hashed once, its top bits choose one of [`NUM_HASHES`] bins and each bin keeps its
//! smallest value; empty bins borrow from a filled one chosen by a fixed probe sequence
//! (Shrivastava 2017), so two texts still agree on a bin with probability about their
//! Jaccard similarity: the estimate 64 independent hash functions per shingle gave, for
//! one hash per shingle (benches/README.md has the ingest figures).
//!
//! Only CJK characters, letters and digits count, so reprints with other punctuation,
//! spacing or full-width forms hash alike. The numbers tell a copy from another instance
//! of a template: two daily epidemic reports share most of their shingles, but not their
//! figures.

use super::normalize::normalize_char;

pub const NUM_HASHES: usize = 64;
pub const BAND_ROWS: usize = 4;
pub const NUM_BANDS: usize = NUM_HASHES / BAND_ROWS;
const SHINGLE: usize = 5;
/// Texts shorter than this (in counted characters) are only matched exactly: a few
/// shingles say too little.
pub const MIN_CHARS_FOR_NEAR: usize = 40;
/// Texts shorter than this are never reprints: an empty or one-line body (a video item, a
/// title-only record) says nothing about the story. Without this, 30,400 title-only QBQTC
/// records all fell into one group.
pub const MIN_CHARS_FOR_EXACT: usize = 20;
/// The `exact` hash of a text too short to compare.
pub const NO_TEXT: u64 = 0;
/// Estimated Jaccard similarity at or above which two texts may be the same story (the
/// numbers and dates decide, see `index::dedup`).
pub const SAME_STORY: f64 = 0.5;
/// How many of a text's numbers are kept: the ones with the smallest hashes, so two texts
/// keep the same sample of the numbers they share.
pub const MAX_NUMBERS: usize = 32;
/// Aligned runs of at least this many characters anchor the shared core of two texts.
const ANCHOR_CHARS: usize = 8;
/// The least share of the shorter text that lies within the shared core: the rest are
/// its edges (source lines, datelines, a trimmed head or tail).
const CORE_SHARE: f64 = 0.6;
/// Characters changed inside the core, at most: one in fifty, and never a digit.
const CORE_EDITS_PER_CHAR: usize = 50;
/// Below this many counted characters a text is a stub (an announcement, a notice) whose
/// one varying slot, a title or an episode, is its whole story: a stub is a copy only
/// when its counted text is the same (the exact hash), never by alignment. On the 76k
/// CCTV articles every stub pair the alignment let through was two announcements
/// (人民日报评论员文章 二论/三论, 上/下, another episode).
const SHORT_TEXT_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// Hash of all counted characters; equal for exact reprints. [`NO_TEXT`] when the
    /// text is too short to compare.
    pub exact: u64,
    /// Empty when the text is too short for near-duplicate matching.
    pub minhash: Vec<u32>,
    /// Hashes of the distinct digit runs of the text, smallest first, at most
    /// [`MAX_NUMBERS`].
    pub numbers: Vec<u32>,
}

impl Fingerprint {
    /// No fingerprint: never a reprint of anything.
    pub fn none() -> Fingerprint {
        Fingerprint {
            exact: NO_TEXT,
            minhash: Vec::new(),
            numbers: Vec::new(),
        }
    }
}

/// The stored signature's header: the number of bins, with the scheme in the high bits
/// (bare `NUM_HASHES`: the 64-function MinHash of earlier indexes, which new signatures
/// cannot be compared with).
const SCHEME_ONE_PERMUTATION: u32 = 2 << 16;

#[inline]
fn mix(mut z: u64) -> u64 {
    // splitmix64's finalizer: cheap and well spread.
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn fingerprint(text: &str) -> Fingerprint {
    let chars = counted(text);
    if chars.len() < MIN_CHARS_FOR_EXACT {
        return Fingerprint::none();
    }
    let mut exact = 0xcbf2_9ce4_8422_2325u64;
    for c in &chars {
        exact = mix(exact ^ *c as u64);
    }
    // Keep NO_TEXT for "too short".
    if exact == NO_TEXT {
        exact = 1;
    }
    let numbers = numbers(text);
    if chars.len() < MIN_CHARS_FOR_NEAR {
        return Fingerprint {
            exact,
            minhash: Vec::new(),
            numbers,
        };
    }
    let mut mins = [u32::MAX; NUM_HASHES];
    let mut filled = [false; NUM_HASHES];
    for window in chars.windows(SHINGLE) {
        let mut h = 0x9e37_79b9_7f4a_7c15u64;
        for c in window {
            h = mix(h ^ *c as u64);
        }
        let bin = (h >> 58) as usize;
        let value = h as u32;
        filled[bin] = true;
        if value < mins[bin] {
            mins[bin] = value;
        }
    }
    let mins = densify(&mins, &filled);
    Fingerprint {
        exact,
        minhash: mins,
        numbers,
    }
}

/// Probes of the sequence before an empty bin walks to the next bin instead.
const MAX_PROBES: u64 = 1024;

/// Every empty bin takes the value of the first filled bin on its own probe sequence, a
/// function of the bin alone, so texts with the same filled bins fill alike.
fn densify(mins: &[u32; NUM_HASHES], filled: &[bool; NUM_HASHES]) -> Vec<u32> {
    if !filled.iter().any(|&f| f) {
        return mins.to_vec();
    }
    (0..NUM_HASHES)
        .map(|bin| {
            let mut attempt = 0u64;
            let mut from = bin;
            while !filled[from] {
                attempt += 1;
                from = if attempt <= MAX_PROBES {
                    (mix(((bin as u64) << 32) | attempt) % NUM_HASHES as u64) as usize
                } else {
                    // A sequence this unlucky (about e^-16 with one bin filled) walks on.
                    (from + 1) % NUM_HASHES
                };
            }
            mins[from]
        })
        .collect()
}

/// The characters a fingerprint counts: letters and digits, normalized.
fn counted(text: &str) -> Vec<char> {
    text.chars()
        .map(normalize_char)
        .filter(|&c| super::normalize::is_alphanumeric(c))
        .collect()
}

/// Whether two texts are one text up to what a copy changes: punctuation and spacing,
/// its edges (a source line, a dateline, a trimmed head or tail) and a few characters
/// inside. The texts are aligned; runs of at least `ANCHOR_CHARS` equal characters
/// anchor a core that must hold `CORE_SHARE` of the shorter text, with at most one
/// character in `CORE_EDITS_PER_CHAR` changed inside it and no digit; a stub (under
/// `SHORT_TEXT_CHARS`) never is. Another instance
/// of a template (the same announcement for another visit, another day's report, another
/// commentary in a series) differs inside, in the names and figures that carry it.
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (counted(a), counted(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if short.len() < SHORT_TEXT_CHARS {
        return false;
    }
    // Texts this alike align in well under a millisecond; the deadline only bounds a
    // pathological pair.
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(50);
    let ops = similar::capture_diff_slices_deadline(
        similar::Algorithm::Myers,
        short,
        long,
        Some(deadline),
    );
    let anchors: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| matches!(op, similar::DiffOp::Equal { len, .. } if *len >= ANCHOR_CHARS))
        .map(|(i, _)| i)
        .collect();
    let (Some(&first), Some(&last)) = (anchors.first(), anchors.last()) else {
        return false;
    };
    let core_start = ops[first].old_range().start;
    let core_end = ops[last].old_range().end;
    let mut edits = 0usize;
    for op in &ops[first..=last] {
        let (old, new) = (op.old_range(), op.new_range());
        if matches!(op, similar::DiffOp::Equal { .. }) {
            continue;
        }
        let changed = short[old.clone()].iter().chain(&long[new.clone()]);
        if changed.clone().any(|c| c.is_ascii_digit()) {
            return false;
        }
        edits += old.len().max(new.len());
    }
    let core = core_end - core_start;
    core as f64 >= CORE_SHARE * short.len() as f64 && edits * CORE_EDITS_PER_CHAR <= core
}

/// The distinct digit runs of `text` (after width folding), hashed, smallest first.
fn numbers(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut run: u64 = 0;
    let mut len = 0usize;
    for c in text.chars().map(normalize_char).chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run = mix(run ^ u64::from(c as u32));
            len += 1;
        } else if len > 0 {
            out.push((mix(run ^ len as u64) >> 32) as u32);
            run = 0;
            len = 0;
        }
    }
    out.sort_unstable();
    out.dedup();
    out.truncate(MAX_NUMBERS);
    out
}

/// Whether two texts state the same figures, up to what a copy adds or cuts: the side
/// with fewer numbers of its own (an edited or trimmed copy) has at most one in ten of
/// its numbers missing from the other. Two instances of a template (a daily report, the
/// same announcement for another visit) differ in their figures and dates on both sides.
pub fn same_numbers(a: &[u32], b: &[u32]) -> bool {
    // Both lists are samples of the smallest hashes: compare below the larger of the two
    // cut-offs only when a list was cut.
    let limit = match (a.len() == MAX_NUMBERS, b.len() == MAX_NUMBERS) {
        (true, true) => a.last().min(b.last()).copied().unwrap_or(u32::MAX),
        (true, false) => a.last().copied().unwrap_or(u32::MAX),
        (false, true) => b.last().copied().unwrap_or(u32::MAX),
        (false, false) => u32::MAX,
    };
    let a: Vec<u32> = a.iter().copied().filter(|&x| x <= limit).collect();
    let b: Vec<u32> = b.iter().copied().filter(|&x| x <= limit).collect();
    let only_a = a.iter().filter(|x| b.binary_search(x).is_err()).count();
    let only_b = b.iter().filter(|x| a.binary_search(x).is_err()).count();
    let allowed = (a.len().min(b.len()) / 10).max(1);
    only_a.min(only_b) <= allowed
}

/// One key per band; two texts sharing any key are candidates.
pub fn band_keys(minhash: &[u32]) -> impl Iterator<Item = u64> + '_ {
    minhash.chunks(BAND_ROWS).enumerate().map(|(band, rows)| {
        rows.iter()
            .fold(mix(band as u64 + 1), |h, r| mix(h ^ *r as u64))
    })
}

/// Estimated Jaccard similarity of the shingle sets.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / a.len() as f64
}

/// The stored form of a fingerprint's signature and numbers: each list as its length and
/// then its values, little-endian `u32`s.
pub fn to_bytes(fp: &Fingerprint) -> Vec<u8> {
    let mut out = Vec::new();
    let mut put = |v: u32| out.extend(v.to_le_bytes());
    let scheme = if fp.minhash.is_empty() {
        0
    } else {
        SCHEME_ONE_PERMUTATION
    };
    put(fp.minhash.len() as u32 | scheme);
    fp.minhash.iter().for_each(|&v| put(v));
    put(fp.numbers.len() as u32);
    fp.numbers.iter().for_each(|&v| put(v));
    out
}

/// A fingerprint read back from [`to_bytes`]'s form (without the exact hash, stored
/// apart); empty lists for anything else.
pub fn from_bytes(bytes: &[u8], exact: u64) -> Fingerprint {
    let mut values = bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
    let list = |values: &mut dyn Iterator<Item = u32>, header: u32| -> Option<Vec<u32>> {
        let n = (header & 0xffff) as usize;
        let v: Vec<u32> = values.take(n).collect();
        (v.len() == n).then_some(v)
    };
    let mut read = || -> Option<Fingerprint> {
        let header = values.next()?;
        let minhash = list(&mut values, header)?;
        // A signature of the older scheme says nothing comparable: only exact copies of
        // that article are found until it is indexed again.
        let minhash = if header & !0xffff == SCHEME_ONE_PERMUTATION {
            minhash
        } else {
            Vec::new()
        };
        let header = values.next()?;
        Some(Fingerprint {
            exact,
            minhash,
            numbers: list(&mut values, header)?,
        })
    };
    read().unwrap_or(Fingerprint {
        exact,
        ..Fingerprint::none()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str =
        "新华社北京10月28日电 国务院新闻办公室28日举行发布会，介绍脱贫攻坚工作进展情况。\
        据介绍，今年以来各地区各部门认真落实中央决策部署，贫困地区农民收入持续较快增长，\
        易地扶贫搬迁安置点配套设施不断完善，产业扶贫、就业扶贫成效明显。发布会上，有关负责人表示，\
        下一步将持续巩固拓展脱贫攻坚成果，做好同乡村振兴有效衔接，防止规模性返贫。";

    #[test]
    fn punctuation_and_width_do_not_change_the_exact_hash() {
        let other = STORY
            .replace('，', ",")
            .replace('。', ". ")
            .replace("10", "１０");
        assert_eq!(fingerprint(STORY).exact, fingerprint(&other).exact);
    }

    #[test]
    fn trimmed_reprint_is_similar_and_other_story_is_not() {
        let chars: Vec<char> = STORY.chars().collect();
        let cut = chars.len() / 10;
        let trimmed: String = chars[cut..chars.len() - cut].iter().collect();
        let a = fingerprint(STORY);
        let b = fingerprint(&format!("（来源：东方日报）{trimmed}责任编辑：王五"));
        assert!(similarity(&a.minhash, &b.minhash) >= SAME_STORY);
        let shared = !a.minhash.is_empty()
            && band_keys(&a.minhash).any(|k| band_keys(&b.minhash).any(|j| j == k));
        assert!(shared);
        let c = fingerprint("长江经济带生态环境保护修复工作取得明显成效，沿江省市累计关停取缔非法码头，长江干流水质持续改善，\
            禁捕退捕工作扎实推进，水生生物多样性逐步恢复，沿岸城市加快建设绿色发展示范区，推动高质量发展。");
        assert!(similarity(&a.minhash, &c.minhash) < 0.2);
        assert_eq!(from_bytes(&to_bytes(&a), a.exact), a);
        assert_eq!(from_bytes(&[1, 2], 7).minhash, Vec::<u32>::new());
    }

    #[test]
    fn a_copy_keeps_its_figures_and_another_report_does_not() {
        let report = |a: u32, b: u32, c: u32| {
            format!("国家卫生健康委通报：{a}日0—24时，31个省（自治区、直辖市）新增确诊病例{b}例，其中境外输入病例{c}例，无新增死亡病例。")
        };
        let first = fingerprint(&report(12, 23, 7));
        let copy = fingerprint(&format!("（来源：某某网）{}", report(12, 23, 7)));
        let next_day = fingerprint(&report(13, 17, 9));
        assert!(same_numbers(&first.numbers, &copy.numbers));
        assert!(!same_numbers(&first.numbers, &next_day.numbers));
        // A trimmed copy loses some figures; what it keeps, the original states.
        assert!(same_numbers(&[1, 2, 3, 4, 5], &[2, 3, 9]));
        assert!(!same_numbers(&[1, 2, 3, 4, 5], &[2, 8, 9]));
        assert!(same_numbers(&[], &[]));
    }

    #[test]
    fn a_copy_is_the_same_text_and_a_template_is_not() {
        let story = format!(
            "{STORY}\n{}",
            STORY
                .replace("国务院新闻办公室", "国务院扶贫办")
                .replace("发布会上", "会上")
        );
        let chars: Vec<char> = story.chars().collect();
        let cut = chars.len() / 10;
        let trimmed: String = chars[cut..chars.len() - cut].iter().collect();
        let copy = format!(
            "（来源：东方日报2020）{}\n责任编辑：王五",
            trimmed.replace('，', ",")
        );
        assert!(same_text(&story, &copy));
        let commentary = |title: &str, day: u32| {
            format!("央视网消息（新闻联播）：今天（7月{day}日）出版的人民日报发表评论员文章，题目是《{title}——论学习贯彻习近平总书记在庆祝中国共产党成立一百周年大会上重要讲话》。")
        };
        let one = commentary("新征程上，必须加强中华儿女大团结", 12);
        let two = commentary("努力为党和人民争取更大光荣", 14);
        assert!(!same_text(&one, &two));
        // In a stub, one changed character is another announcement (二论 and 三论).
        let series = |n: &str| {
            format!(
                "明天出版的人民日报将发表评论员文章，题目是《{n}论坚持全面依法治国》，敬请关注。"
            )
        };
        assert!(!same_text(&series("二"), &series("三")));
        // One figure changed is another report.
        assert!(!same_text(&story, &story.replace("28日", "29日")));
        let visit = |who: &str| {
            format!("国家主席习近平31日上午在人民大会堂北大厅举行仪式，欢迎{who}对我国进行国事访问。天安门广场上鸣礼炮21响。中共中央政治局委员、中央书记处书记、中央办公厅主任丁薛祥等参加欢迎仪式。")
        };
        assert!(!same_text(
            &visit("博茨瓦纳共和国总统马西西"),
            &visit("埃及总统塞西")
        ));
        assert!(!same_text("", ""));
    }

    #[test]
    fn the_stored_form_reads_back_and_an_older_signature_is_left_out() {
        let text =
            "新华社北京电 国务院总理今天在人民大会堂会见来访的外国客人，双方就经济合作交换了意见。"
                .repeat(4);
        let fp = fingerprint(&format!("{text}2025年12月6日"));
        assert_eq!(fp.minhash.len(), NUM_HASHES);
        assert_eq!(from_bytes(&to_bytes(&fp), fp.exact), fp);
        // The 64-function form: a bare length before the values.
        let mut old = Vec::new();
        for v in std::iter::once(NUM_HASHES as u32)
            .chain(fp.minhash.iter().copied())
            .chain(std::iter::once(fp.numbers.len() as u32))
            .chain(fp.numbers.iter().copied())
        {
            old.extend(v.to_le_bytes());
        }
        let read = from_bytes(&old, fp.exact);
        assert!(read.minhash.is_empty());
        assert_eq!(read.numbers, fp.numbers);
    }

    #[test]
    fn empty_bins_are_filled_alike_and_from_filled_bins() {
        let mut mins = [u32::MAX; NUM_HASHES];
        let mut filled = [false; NUM_HASHES];
        for (bin, value) in [(3, 7), (40, 9)] {
            mins[bin] = value;
            filled[bin] = true;
        }
        let dense = densify(&mins, &filled);
        assert!(dense.iter().all(|v| *v == 7 || *v == 9), "{dense:?}");
        assert_eq!(dense[3], 7);
        assert_eq!(dense[40], 9);
        assert_eq!(densify(&mins, &filled), dense);
    }

    #[test]
    fn empty_and_short_texts_are_never_compared() {
        assert_eq!(fingerprint("").exact, NO_TEXT);
        assert_eq!(fingerprint("视频：国内联播快讯").exact, NO_TEXT);
        assert_ne!(fingerprint(STORY).exact, NO_TEXT);
    }
}
