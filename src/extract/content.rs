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
    Regex::new(r"^[【\[]?(相关新闻|相关阅读|相关报道|相关链接|相关文章|推荐阅读|延伸阅读|热点推荐|猜你喜欢|热门推荐|最近更新|更多新闻|热门文章|精彩推荐|相关推荐|新闻推荐|往期回顾|热门评论|最新评论|网友评论|精彩评论|全部评论|相关评论|评论列表|读者评论|参与评论|我来说两句)[】\]]?[:：]?$")
        .expect("list heading regex")
});

/// class/id words of comment threads: readers' posts are never the article, however much
/// punctuation they carry (`commentary` columns are not meant).
static COMMENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bcomments?\b|comments?[-_]|[-_]comments?\b|pinglun|\breply|\breplies|discuss")
        .expect("comments regex")
});

fn is_comment_box(flat: &Flat, i: usize) -> bool {
    COMMENTS.is_match(&flat.class_and_id(i))
}

/// True when lowercased class and id words name a comment thread.
pub fn is_comment_name(names: &str) -> bool {
    COMMENTS.is_match(names)
}

/// True when lowercased class and id words name a box of other things (share bars, related
/// stories, menus, footers).
pub fn is_boilerplate_name(names: &str) -> bool {
    BOILERPLATE.is_match(names)
}

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
        // `>=`: on a tie the later (deeper) element carries less around the text. The class
        // test is last: it is the costly one.
        if best.is_none_or(|(b, _)| score >= b) && !is_comment_box(flat, i) {
            best = Some((score, i));
        }
    }
    best.map(|(_, i)| widen_lone_paragraph(flat, i))
}

/// A single paragraph is no article container: it wins the density score when the real
/// container also holds a link-heavy menu or promotion that dilutes it (a lead paragraph
/// with links beside a second one without). Its parent is taken instead when that adds
/// running text (plain characters and punctuation), not just links; the block model then
/// trims the menu off the container's edges.
fn widen_lone_paragraph(flat: &Flat, i: usize) -> usize {
    let n = &flat.nodes[i];
    let Some(p) = n.parent else { return i };
    let parent = &flat.nodes[p];
    if n.tag != Some("p") || matches!(parent.tag, None | Some("html" | "body")) {
        return i;
    }
    let plain = |s: super::dom::Stats| u64::from(s.text.saturating_sub(s.link_text));
    let (a, b) = (n.stats, parent.stats);
    if plain(b) * 5 >= plain(a) * 6 && u64::from(b.punct) * 5 >= u64::from(a.punct) * 6 {
        p
    } else {
        i
    }
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
    if COMMENTS.is_match(&names) {
        return true;
    }
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

/// Calendar cells, view counters and arrows above a story: a lone character, or digits with
/// no words. (Inside a story such lines can be list numbers or drawings: kept there.)
/// Private-use code points are counted as nothing: icon fonts draw their glyphs with them.
pub fn is_widget_crumb(line: &Line) -> bool {
    let is_icon = |c: char| ('\u{e000}'..='\u{f8ff}').contains(&c);
    let text = || {
        line.text
            .chars()
            .filter(|c| !is_icon(*c) && !c.is_whitespace())
    };
    let n = text().count();
    n <= 1 || n <= 12 && text().all(|c| c.is_ascii_digit() || ",.".contains(c))
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

/// A site's imprint (licence number, copyright line, newspaper registration) inside the
/// article's container: the story is over.
pub fn is_site_footer(line: &Line) -> bool {
    let t = &line.text;
    line.chars <= 200
        && [
            "ICP备",
            "ICP证",
            "版权所有",
            "统一刊号",
            "Copyright",
            "COPYRIGHT",
        ]
        .iter()
        .any(|w| t.contains(w))
}

/// A drawn rule (`------------`): after a story it sets off a signature, a reply or notes.
pub fn is_rule_line(line: &Line) -> bool {
    line.chars >= 10
        && line
            .text
            .chars()
            .all(|c| c.is_whitespace() || "-=_—－─*~·.".contains(c))
}

/// A notice that closes an article on portals: nothing after it is story text.
pub fn is_closing_notice(line: &Line) -> bool {
    // `“特别声明：以上作品内容…`: the notice may be quoted; `特别声明` may head a line of its own.
    let t = line
        .text
        .trim_start_matches(|c: char| c.is_whitespace() || "“\"「【[".contains(c));
    let heading = t.trim_end_matches(|c: char| c.is_whitespace() || ":：】]".contains(c));
    matches!(heading, "特别声明" | "免责声明" | "版权声明")
        || [
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

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line {
        Line {
            text: text.to_string(),
            spaced: text.to_string(),
            link_chars: 0,
            chars: text.chars().filter(|c| !c.is_whitespace()).count(),
            node: 0,
            block: 0,
            punct: text
                .chars()
                .filter(|c| crate::extract::dom::is_punct(*c))
                .count(),
        }
    }

    #[test]
    fn widget_crumbs() {
        for t in [
            "‹",
            "六",
            "3573",
            "12 13 14",
            "\u{e60e}4",
            "\u{e602} \u{e603}",
        ] {
            assert!(is_widget_crumb(&line(t)), "{t}");
        }
        for t in ["3.5%的增长", "第二段文字，继续叙述。", "2.3%"] {
            assert!(!is_widget_crumb(&line(t)), "{t}");
        }
    }

    #[test]
    fn headings_and_footers() {
        assert!(is_list_heading(&line("热门评论")));
        assert!(is_list_heading(&line("【相关阅读】")));
        assert!(!is_list_heading(&line("评论员文章")));
        assert!(is_site_footer(&line(
            "某某日报社出版|国内统一刊号：CN00-0000"
        )));
        assert!(is_site_footer(&line("本站版权所有，未经授权不得转载")));
        assert!(!is_site_footer(&line("他说版权保护越来越重要。")));
        assert!(is_closing_notice(&line("特别声明")));
        assert!(is_closing_notice(&line(
            "“特别声明：以上作品内容为自媒体平台用户上传并发布"
        )));
        assert!(!is_closing_notice(&line("特别声明的内容如下，他说。")));
        assert!(is_rule_line(&line("------------------------------")));
        assert!(!is_rule_line(&line("-----")));
        assert!(!is_rule_line(&line("---- 第二部分 ----")));
    }

    #[test]
    fn comment_class_names() {
        for names in [
            "comment-box",
            "user-post-box comment-box",
            "post_comments",
            "pinglun",
            "reply-list",
        ] {
            assert!(COMMENTS.is_match(names), "{names}");
        }
        for names in ["news-commentary", "article-content", "commentary"] {
            assert!(!COMMENTS.is_match(names), "{names}");
        }
    }
}
