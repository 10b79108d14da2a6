//! Main-content detection: the element whose text is densest in sentence punctuation and
//! poorest in links (GNE's idea, on div layouts and 2004-era tables alike), then its lines
//! without share bars, related-news boxes, bylines and editor lines.

use std::sync::LazyLock;

use regex::Regex;

use super::dom::{Flat, Line};

/// class/id words of boxes that are not the article even inside its container.
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"share|relat|recommend|tuijian|xiangguan|comment|footer|copyright|breadcrumb|crumb|\bnav|menu|sidebar|toolbar|hot|rank|advert|\bads?\b|banner|login|subscribe|qrcode|erweima|pagination|pagenav|\btags?\b|keyword|more-?news|bottom")
        .expect("boilerplate regex")
});

/// Short lines that are page furniture, not text.
const FURNITURE: &[&str] = &[
    "分享到",
    "分享至",
    "打印",
    "关闭窗口",
    "字号",
    "扫一扫",
    "二维码",
    "收藏",
    "点击进入",
    "返回顶部",
    "上一篇",
    "下一篇",
    "举报",
    "我要纠错",
    "【纠错】",
    "本文链接",
    "转载请注明",
    "版权所有",
    "未经授权",
    "免责声明",
    "用手机看",
    "手机看新闻",
    "点击查看",
    "查看原文",
    "阅读全文",
    "展开全文",
    "保存",
    "放大",
    "缩小",
    "微信扫码",
    "微信关注",
    "关注我们",
    "下载客户端",
];

/// Headings after which only lists of other stories follow.
static LIST_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[【\[]?(相关新闻|相关阅读|相关报道|相关链接|相关文章|推荐阅读|延伸阅读|热点推荐|猜你喜欢|热门推荐|最近更新|更多新闻|热门文章|精彩推荐|相关推荐|新闻推荐|往期回顾)[】\]]?[:：]?$")
        .expect("list heading regex")
});

/// The index of the element holding the article text.
pub fn find_main(flat: &Flat) -> Option<usize> {
    let mut best: Option<(f64, usize)> = None;
    for (i, n) in flat.nodes.iter().enumerate() {
        let Some(tag) = n.tag else { continue };
        if n.hidden || matches!(tag, "html" | "body" | "a" | "head") || n.in_link {
            continue;
        }
        let s = n.stats;
        if s.text < 20 {
            continue;
        }
        let plain = (s.text - s.link_text) as f64;
        let ratio = plain / s.text as f64;
        // Length counts only as far as punctuation backs it: keyword clouds and tag lists are
        // long but are not running text.
        let punct = s.punct as f64;
        let score = (punct + (plain / 40.0).min(punct)) * ratio * ratio;
        // `>=`: on a tie the later (deeper) element carries less around the text.
        if best.is_none_or(|(b, _)| score >= b) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| i)
}

/// True for an element inside the article container that is a box of other things.
pub fn is_boilerplate_box(flat: &Flat, i: usize) -> bool {
    let n = &flat.nodes[i];
    if n.tag.is_none() {
        return false;
    }
    if matches!(n.tag, Some("nav" | "footer" | "aside")) {
        return true;
    }
    let names = flat.class_and_id(i);
    if names.trim().is_empty() || !BOILERPLATE.is_match(&names) {
        return false;
    }
    let s = n.stats;
    let link_ratio = if s.text == 0 {
        0.0
    } else {
        s.link_text as f64 / s.text as f64
    };
    link_ratio > 0.3 || s.punct < 3
}

pub fn is_furniture(line: &Line) -> bool {
    let t = &line.text;
    if line.link_ratio() > 0.5 && !t.ends_with(['。', '！', '？', '”', '.']) {
        return true;
    }
    line.chars <= 30 && FURNITURE.iter().any(|f| t.contains(f))
}

/// Calls to action that portals put at the top or bottom of a story: `快来新浪众测…下载客户端`.
const PROMO: &[&str] = &[
    "点击投票",
    "下载客户端",
    "免费试玩",
    "快来",
    "专享福利",
    "扫码",
    "扫一扫",
    "关注公众号",
    "关注微信",
    "戳这里",
    "点此",
    "点击这里",
    "立即下载",
    "立即报名",
    "火热进行中",
];

/// A promotion line with links at the edge of a story.
pub fn is_promo(line: &Line) -> bool {
    line.link_chars > 0 && line.chars <= 160 && PROMO.iter().any(|p| line.text.contains(p))
}

pub fn is_list_heading(line: &Line) -> bool {
    line.chars <= 14 && LIST_HEADING.is_match(line.text.trim())
}

/// A notice that closes an article on portals: nothing after it is story text.
pub fn is_closing_notice(line: &Line) -> bool {
    let t = line.text.trim_start();
    [
        "特别声明：",
        "特别声明:",
        "免责声明：",
        "免责声明:",
        "反侵权公告",
        "版权声明：",
        "版权声明:",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}
