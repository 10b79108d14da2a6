//! The learned block scorer: every line of visible text gets signals that hold across sites
//! (its length, punctuation and link density, those of its neighbours and its container,
//! where it sits relative to the headline and to the running prose, the words in its
//! ancestors' class names, whether the page repeats it) and a small logistic model turns them
//! into the odds that the line is story text. The story is then the stretch of lines whose
//! odds add up to the most, less the lines inside it the model rejects (boilerpipe's block
//! classifier and Finn's body-text extraction, on Chinese punctuation).
//!
//! The weights are data (`block_model.rs`), trained on the development pages by
//! `examples/extract_blocks.rs`, which also checks them leave-one-site-group-out.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::byline;
use super::content;
use super::date;
use super::dom::{Flat, Line};

/// Features per line; `FEATURE_NAMES` spells them in order.
pub const N_FEATURES: usize = 37;

pub const FEATURE_NAMES: [&str; N_FEATURES] = [
    "bias",
    "log_chars",
    "link_ratio",
    "punct_density",
    "ends_sentence",
    "sentences",
    "short",
    "in_main",
    "class_boilerplate",
    "class_comment",
    "class_content",
    "tag_li",
    "tag_heading",
    "tag_td",
    "chrome_tag",
    "hidden_style",
    "before_title",
    "before_first_prose",
    "after_last_prose",
    "prose_distance",
    "repeated",
    "nbr_log_chars",
    "nbr_link_ratio",
    "nbr_punct_density",
    "parent_link_ratio",
    "parent_punct_density",
    "meta_line",
    "furniture",
    "position",
    "digit_ratio",
    "short_before_prose",
    "short_in_prose",
    "title_like",
    "in_core",
    "core_sibling",
    "before_core",
    "after_core",
];

/// The direction each feature may push a line, known before any page is seen: more links
/// never make a line more likely story text, more sentence punctuation never less. Training
/// learns only how far (`+1.0`: towards story text, `-1.0`: away, `0.0`: either way).
pub const SIGNS: [f64; N_FEATURES] = [
    0.0,  // bias
    1.0,  // log_chars
    -1.0, // link_ratio
    1.0,  // punct_density
    1.0,  // ends_sentence
    1.0,  // sentences
    -1.0, // short
    1.0,  // in_main
    -1.0, // class_boilerplate
    -1.0, // class_comment
    1.0,  // class_content
    -1.0, // tag_li
    0.0,  // tag_heading
    0.0,  // tag_td
    -1.0, // chrome_tag
    -1.0, // hidden_style
    -1.0, // before_title
    -1.0, // before_first_prose
    -1.0, // after_last_prose
    -1.0, // prose_distance
    -1.0, // repeated
    1.0,  // nbr_log_chars
    -1.0, // nbr_link_ratio
    1.0,  // nbr_punct_density
    -1.0, // parent_link_ratio
    1.0,  // parent_punct_density
    0.0,  // meta_line
    -1.0, // furniture
    0.0,  // position
    -1.0, // digit_ratio
    -1.0, // short_before_prose
    0.0,  // short_in_prose
    0.0,  // title_like
    1.0,  // in_core
    0.0,  // core_sibling
    -1.0, // before_core
    -1.0, // after_core
];

/// A logistic model over the line features, with the decision threshold it was tuned for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BlockModel {
    /// Bumped whenever the features or the training data change.
    pub version: u32,
    pub weights: [f32; N_FEATURES],
    /// The container's first and last kept lines are the first and last at or above this
    /// probability (chrome at its edges goes).
    pub keep: f32,
    /// Between them, lines below this one go.
    pub drop: f32,
    /// Lines outside it are added at or above this one.
    pub extend: f32,
}

impl BlockModel {
    pub fn probability(&self, x: &[f32; N_FEATURES]) -> f32 {
        let z: f32 = self.weights.iter().zip(x).map(|(w, v)| w * v).sum();
        1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp())
    }
}

/// class/id words of containers that hold the story on most sites (readability's positive
/// pattern, with the pinyin some Chinese templates use).
static CONTENT_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"article|content|entry|main|post|text|story|detail|body|zhengwen|neirong|\bcon\b")
        .expect("content class regex")
});

const F_BOILERPLATE: u8 = 1;
const F_COMMENT: u8 = 2;
const F_CONTENT: u8 = 4;
const F_CHROME: u8 = 8;
const F_HIDDEN: u8 = 16;

/// What an element says about everything inside it, inherited down the tree.
fn node_flags(flat: &Flat) -> Vec<u8> {
    let mut flags = vec![0u8; flat.nodes.len()];
    for (i, n) in flat.nodes.iter().enumerate() {
        let mut f = n.parent.map_or(0, |p| flags[p]);
        if let Some(e) = n.node.value().as_element() {
            if matches!(n.tag, Some("nav" | "footer" | "aside")) {
                f |= F_CHROME;
            }
            if e.attr("hidden").is_some()
                || e.attr("style").is_some_and(|s| {
                    let s: String = s
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    s.contains("display:none") || s.contains("visibility:hidden")
                })
            {
                f |= F_HIDDEN;
            }
            if e.attr("class").is_some() || e.attr("id").is_some() {
                let names = flat.class_and_id(i);
                if content::is_boilerplate_name(&names) {
                    f |= F_BOILERPLATE;
                }
                if content::is_comment_name(&names) {
                    f |= F_COMMENT;
                }
                if CONTENT_CLASS.is_match(&names) {
                    f |= F_CONTENT;
                }
            }
        }
        flags[i] = f;
    }
    flags
}

/// Running text: long enough, ending sentences, few links.
fn is_prose(l: &Line) -> bool {
    l.chars >= 20 && l.link_ratio() < 0.3 && sentence_ends(&l.text) >= 1
}

fn sentence_ends(t: &str) -> usize {
    t.chars()
        .filter(|c| matches!(c, '。' | '！' | '？'))
        .count()
}

fn punct_density(l: &Line) -> f32 {
    if l.chars == 0 {
        0.0
    } else {
        (l.punct as f32 / l.chars as f32 * 5.0).min(1.0)
    }
}

fn log_chars(n: usize) -> f32 {
    ((1 + n) as f32).ln() / 5.0
}

/// The deepest element inside the container `main` that holds at least four fifths of its
/// prose (by characters): the story proper, without the chrome a template wraps around it.
fn core(flat: &Flat, lines: &[Line], prose: &[bool], main: &std::ops::Range<usize>) -> usize {
    let mut weight: HashMap<usize, usize> = HashMap::new();
    let mut total = 0usize;
    for (l, _) in lines
        .iter()
        .zip(prose)
        .filter(|(l, p)| **p && main.contains(&l.node))
    {
        total += l.chars;
        let mut at = Some(l.block);
        while let Some(i) = at.filter(|i| main.contains(i)) {
            *weight.entry(i).or_default() += l.chars;
            at = flat.nodes[i].parent;
        }
    }
    let mut core = main.start;
    if total == 0 {
        return core;
    }
    'descend: loop {
        let end = core + flat.nodes[core].size;
        let mut child = core + 1;
        while child < end {
            if weight.get(&child).is_some_and(|w| w * 5 >= total * 4) {
                core = child;
                continue 'descend;
            }
            child += flat.nodes[child].size;
        }
        return core;
    }
}

/// Where the page's parts are: the container the density score chose, and the headline.
pub struct Layout<'t> {
    pub main: std::ops::Range<usize>,
    pub title_line: Option<usize>,
    pub title: &'t str,
}

/// What a line is, beyond the odds the model gives it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Role {
    /// Prose that anchors the story (see `features`).
    pub prose: bool,
    /// The headline again, a byline or a time stamp: the rules place these, and they never
    /// mark where the story starts or ends.
    pub ruled: bool,
    /// Inside an element the page hides (`display: none`, `hidden`): readers never see it.
    pub hidden: bool,
    /// The headline shown again.
    pub headline: bool,
}

/// The feature vector of every line, and its role.
pub fn features(
    flat: &Flat,
    lines: &[Line],
    layout: &Layout,
) -> (Vec<[f32; N_FEATURES]>, Vec<Role>) {
    let flags = node_flags(flat);
    let n = lines.len();
    // A text the page shows in two places (a summary box and a player's caption), as
    // opposed to a refrain among sibling paragraphs.
    let parent_of = |l: &Line| flat.nodes.get(l.block).and_then(|b| b.parent);
    let mut seen: HashMap<&str, (Option<usize>, bool)> = HashMap::with_capacity(n);
    for l in lines {
        let p = parent_of(l);
        seen.entry(l.text.as_str())
            .and_modify(|e| e.1 |= e.0 != p)
            .or_insert((p, false));
    }
    let repeated = |l: &Line| {
        l.chars >= 2
            && seen
                .get(l.text.as_str())
                .is_some_and(|(_, elsewhere)| *elsewhere)
    };
    let title_key: String = layout
        .title
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let title_chars = title_key.chars().count();
    // The headline shown again (`[视频]标题`, `标题。`); a reprint's `原标题：` line is the
    // story's own.
    let title_like = |l: &Line| {
        title_chars >= 4
            && l.chars <= title_chars + 12
            && l.text.contains(layout.title.trim())
            && !l.text.contains("原标题")
    };
    let meta: Vec<bool> = lines
        .iter()
        .map(|l| {
            byline::is_meta_line(&l.text)
                || date::is_date_only(&l.text)
                || !title_key.is_empty()
                    && l.text
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .eq(title_key.chars())
        })
        .collect();
    // Prose that anchors the story: not hidden, not a summary the page shows twice, not the
    // headline or a byline.
    let mut prose: Vec<bool> = lines
        .iter()
        .zip(&meta)
        .map(|(l, m)| {
            is_prose(l)
                && !m
                && !repeated(l)
                && !title_like(l)
                && flags.get(l.block).is_none_or(|f| f & F_HIDDEN == 0)
        })
        .collect();
    // A story starts under its headline: where the container shows the headline above most
    // of its prose, what comes before it (a player's error message, a teaser) anchors
    // nothing.
    let in_main = |i: usize| layout.main.contains(&lines[i].node);
    let prose_chars = |r: std::ops::Range<usize>, prose: &[bool]| -> usize {
        r.filter(|&i| prose[i] && in_main(i))
            .map(|i| lines[i].chars)
            .sum()
    };
    if let Some(h) = (0..n).find(|&i| in_main(i) && title_like(&lines[i])) {
        if prose_chars(h..n, &prose) >= prose_chars(0..h, &prose) {
            for (i, p) in prose.iter_mut().enumerate().take(h) {
                *p &= !in_main(i);
            }
        }
    }
    let core = core(flat, lines, &prose, &layout.main);
    let core_range = core..core + flat.nodes.get(core).map_or(0, |c| c.size);
    let core_parent = flat.nodes.get(core).and_then(|c| c.parent);
    let start = layout.title_line.map_or(0, |t| t + 1);
    let first_prose = (start..n).find(|&i| prose[i]).unwrap_or(n);
    let last_prose = (0..n).rev().find(|&i| prose[i]);
    // Distance (in lines) to the nearest prose line, both ways.
    let mut dist = vec![usize::MAX / 2; n];
    let mut last = None;
    for i in 0..n {
        if prose[i] {
            last = Some(i);
        }
        if let Some(l) = last {
            dist[i] = i - l;
        }
    }
    last = None;
    for i in (0..n).rev() {
        if prose[i] {
            last = Some(i);
        }
        if let Some(l) = last {
            dist[i] = dist[i].min(l - i);
        }
    }

    let own: Vec<(f32, f32, f32)> = lines
        .iter()
        .map(|l| (log_chars(l.chars), l.link_ratio() as f32, punct_density(l)))
        .collect();
    let mut out = Vec::with_capacity(n);
    for (i, l) in lines.iter().enumerate() {
        let f = flags.get(l.block).copied().unwrap_or(0);
        let tag = flat.nodes.get(l.block).and_then(|b| b.tag).unwrap_or("");
        let in_main = layout.main.contains(&l.node);
        let short = l.chars <= 6;
        let before_prose = i < first_prose;
        let in_prose = !before_prose && last_prose.is_some_and(|lp| i <= lp);
        // Two lines either side, weighted by closeness.
        let (mut nc, mut nl, mut np, mut nw) = (0.0, 0.0, 0.0, 0.0);
        for (d, w) in [(1usize, 1.0f32), (2, 0.5)] {
            for j in [i.checked_sub(d), i.checked_add(d).filter(|j| *j < n)]
                .into_iter()
                .flatten()
            {
                nc += w * own[j].0;
                nl += w * own[j].1;
                np += w * own[j].2;
                nw += w;
            }
        }
        if nw > 0.0 {
            nc /= nw;
            nl /= nw;
            np /= nw;
        }
        // The container of the line's block: a list of links, or a run of paragraphs.
        let parent = flat
            .nodes
            .get(l.block)
            .and_then(|b| b.parent)
            .map(|p| flat.nodes[p].stats);
        let (plink, ppunct) = parent.map_or((0.0, 0.0), |s| {
            if s.text == 0 {
                (0.0, 0.0)
            } else {
                (
                    s.link_text as f32 / s.text as f32,
                    (s.punct as f32 / s.text as f32 * 5.0).min(1.0),
                )
            }
        });
        let x: [f32; N_FEATURES] = [
            1.0,
            own[i].0,
            own[i].1,
            own[i].2,
            f32::from(u8::from(
                l.text
                    .ends_with(['。', '！', '？', '”', '…', '.', '!', '?']),
            )),
            (sentence_ends(&l.text) as f32 / 3.0).min(1.0),
            f32::from(u8::from(short)),
            f32::from(u8::from(in_main)),
            f32::from(u8::from(f & F_BOILERPLATE != 0)),
            f32::from(u8::from(f & F_COMMENT != 0)),
            f32::from(u8::from(f & F_CONTENT != 0)),
            f32::from(u8::from(matches!(tag, "li" | "dd" | "dt"))),
            f32::from(u8::from(matches!(
                tag,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
            ))),
            f32::from(u8::from(matches!(tag, "td" | "th"))),
            f32::from(u8::from(f & F_CHROME != 0)),
            f32::from(u8::from(f & F_HIDDEN != 0)),
            f32::from(u8::from(layout.title_line.is_some_and(|t| i <= t))),
            f32::from(u8::from(before_prose)),
            f32::from(u8::from(last_prose.is_none_or(|lp| i > lp))),
            (((1 + dist[i].min(1000)) as f32).ln() / 4.0).min(1.5),
            f32::from(u8::from(repeated(l))),
            nc,
            nl,
            np,
            plink,
            ppunct,
            f32::from(u8::from(meta[i])),
            f32::from(u8::from(content::is_furniture(l))),
            i as f32 / n.max(1) as f32,
            l.text.chars().filter(char::is_ascii_digit).count() as f32 / l.chars.max(1) as f32,
            f32::from(u8::from(short && before_prose)),
            f32::from(u8::from(short && in_prose)),
            f32::from(u8::from(title_like(l))),
            f32::from(u8::from(core_range.contains(&l.node))),
            f32::from(u8::from(
                !core_range.contains(&l.node)
                    && core_parent.is_some_and(|cp| {
                        flat.nodes.get(l.block).and_then(|b| b.parent) == Some(cp) || l.block == cp
                    }),
            )),
            f32::from(u8::from(l.node < core_range.start)),
            f32::from(u8::from(l.node >= core_range.end)),
        ];
        out.push(x);
    }
    let roles = prose
        .iter()
        .zip(&meta)
        .zip(lines)
        .map(|((p, m), l)| Role {
            prose: *p,
            ruled: *m || title_like(l),
            hidden: flags.get(l.block).is_some_and(|f| f & F_HIDDEN != 0),
            headline: title_like(l),
        })
        .collect();
    (out, roles)
}

/// The lines of the story. The container the density score chose holds it on most pages:
/// its lines are kept, but for chrome at its edges that the model rejects (video player
/// labels, column names, menus) and that is not prose; a lead paragraph the template put in a
/// box of its own between the headline and the container is added when the model is sure of
/// it. `in_main[i]` says whether line `i` is in the container. Without a container, the stretch whose evidence adds up to the most is taken.
pub fn select(
    lines: &[Line],
    probs: &[f32],
    roles: &[Role],
    in_main: &[bool],
    title_line: Option<usize>,
    model: &BlockModel,
) -> Vec<usize> {
    let (Some(first), Some(last)) = (
        in_main.iter().position(|m| *m),
        in_main.iter().rposition(|m| *m),
    ) else {
        return best_stretch(lines, probs, model.keep);
    };
    // Only above the container: after it come the next entries of archive pages.
    let mut before = Vec::new();
    let mut gap = 0;
    let floor = title_line.map_or(first, |t| t + 1);
    for i in (floor..first).rev() {
        if probs[i] >= model.extend && roles[i].prose {
            before.push(i);
            gap = 0;
        } else if lines[i].chars <= 20 && gap < MAX_GAP {
            // A short line the model doubts (a caption, a byline) may sit between.
            gap += 1;
        } else {
            break;
        }
    }
    before.reverse();
    let holds = |i: &usize| probs[*i] >= model.keep && !roles[*i].ruled || roles[*i].prose;
    // A story starts under its headline: when the container shows the headline above most
    // of its prose, what comes before it (a player's error message, a teaser) is not story.
    let prose_chars = |r: std::ops::Range<usize>| -> usize {
        r.filter(|&i| in_main[i] && roles[i].prose)
            .map(|i| lines[i].chars)
            .sum()
    };
    let first = match (first..=last).find(|&i| in_main[i] && roles[i].headline) {
        Some(h) if prose_chars(h..last + 1) >= prose_chars(first..h) => h,
        _ => first,
    };
    // Text the page hides is no part of the story, unless there is nothing else (a video
    // page with only its summary, a story revealed by script).
    let visible: Vec<usize> = (first..=last)
        .filter(|&i| in_main[i] && !roles[i].hidden)
        .collect();
    let inside = if visible.iter().any(holds) {
        visible
    } else {
        (first..=last).filter(|&i| in_main[i]).collect()
    };
    // The story opens with a paragraph, not with a label the model let through (`简介`).
    let opens = |i: &usize| holds(i) && (lines[*i].chars > SHORT || roles[*i].prose);
    let mut kept: &[usize] = match (
        inside.iter().position(opens),
        inside.iter().rposition(holds),
    ) {
        // What follows the last line that holds goes only when it reads like furniture:
        // links (menus, other stories) or a line or two. A table that ends a notice is text.
        (Some(a), Some(b)) => {
            // Byline and stamp lines in the tail go to the byline reader whatever happens.
            let tail: Vec<usize> = inside[b + 1..]
                .iter()
                .copied()
                .filter(|&i| !roles[i].ruled)
                .collect();
            let chars: usize = tail.iter().map(|&i| lines[i].chars).sum();
            let links: usize = tail.iter().map(|&i| lines[i].link_chars).sum();
            // A closing sentence (`两国总理共同观看分列式。`) is story, however short.
            let sentence = tail
                .iter()
                .any(|&i| lines[i].link_chars == 0 && sentence_ends(&lines[i].text) > 0);
            if links * 4 >= chars || chars <= SMALL_TAIL && !sentence {
                &inside[a..=b]
            } else {
                &inside[a..]
            }
        }
        _ => &[],
    };
    // A page whose only text is a summary (a whole programme's video page) has no story
    // for the model to find: its longest line stands in.
    let longest;
    if kept.iter().map(|&i| lines[i].chars).sum::<usize>() < 20 {
        longest = (first..=last)
            .filter(|&i| in_main[i] && !roles[i].ruled && lines[i].link_ratio() < 0.5)
            .max_by_key(|&i| lines[i].chars);
        if let Some(l) = &longest {
            kept = std::slice::from_ref(l);
        }
    }
    before
        .into_iter()
        .chain(
            kept.iter()
                .copied()
                .filter(|&i| probs[i] >= model.drop || roles[i].prose),
        )
        .collect()
}

/// A line this short is a label, not a paragraph.
const SHORT: usize = 6;

/// Characters after the story's last line that go whatever they are (unless a sentence).
const SMALL_TAIL: usize = 60;

/// Doubtful short lines passed over when looking outside the container.
const MAX_GAP: usize = 2;

/// The stretch whose evidence (odds above the threshold, weighted by length) adds up to the
/// most, without the lines in it the model rejects.
fn best_stretch(lines: &[Line], probs: &[f32], keep: f32) -> Vec<usize> {
    let mut best = (0.0f32, 0usize, 0usize);
    let mut run = 0.0f32;
    let mut run_start = 0usize;
    for (i, (l, p)) in lines.iter().zip(probs).enumerate() {
        let s = (p - 0.5) * log_chars(l.chars) * 5.0;
        if run <= 0.0 {
            run = 0.0;
            run_start = i;
        }
        run += s;
        if run > best.0 {
            best = (run, run_start, i + 1);
        }
    }
    let (_, a, b) = best;
    (a..b).filter(|&i| probs[i] >= keep).collect()
}

/// Lines the model decides on: the container's and those within reach of it.
pub fn window(in_main: &[bool]) -> std::ops::Range<usize> {
    const REACH: usize = 30;
    match (
        in_main.iter().position(|m| *m),
        in_main.iter().rposition(|m| *m),
    ) {
        (Some(a), Some(b)) => a.saturating_sub(REACH)..(b + 1 + REACH).min(in_main.len()),
        _ => 0..in_main.len(),
    }
}
