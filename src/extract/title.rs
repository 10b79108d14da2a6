//! The headline: `<h1>`, og:title and `<title>` reconciled, without site suffixes.

use super::dom::Line;
use super::meta::HeadInfo;

/// Parts of a `<title>` between separators (`标题_站名`, `站名 - 标题`, `标题 @ 博客 :: 站`, and
/// `标题-栏目` where a bare hyphen sits between Chinese characters).
pub fn title_parts(title: &str) -> Vec<String> {
    let mut marked = String::with_capacity(title.len());
    let chars: Vec<char> = title.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let bare_hyphen = c == '-'
            && i > 0
            && i + 1 < chars.len()
            && !chars[i - 1].is_ascii()
            && !chars[i + 1].is_ascii();
        // A dash between spaces sets off a site name (`标题 — 某网`); a doubled or bare one
        // is the headline's own (`主题——副题`, `中国—东盟`).
        let spaced_dash = matches!(c, '—' | '–')
            && i > 0
            && i + 1 < chars.len()
            && chars[i - 1] == ' '
            && chars[i + 1] == ' ';
        if bare_hyphen || spaced_dash || matches!(c, '_' | '|' | '｜' | '丨') {
            marked.push('\u{1}');
        } else {
            marked.push(c);
        }
    }
    marked
        .split('\u{1}')
        .flat_map(|p| p.split(" - "))
        .flat_map(|p| p.split(" -"))
        .flat_map(|p| p.split("--"))
        .flat_map(|p| p.split(" @ "))
        .flat_map(|p| p.split("::"))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Display width: a Chinese character weighs as two Latin letters.
fn weight(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Drops a pager suffix: `标题(页 1)`, `标题（第2页）`.
fn strip_pager(t: &str) -> &str {
    let t = t.trim();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(inner) = t.strip_suffix(close) {
            if let Some(i) = inner.rfind(open) {
                let tag = &inner[i + open.len_utf8()..];
                let is_pager = tag.contains('页')
                    && tag
                        .chars()
                        .all(|c| c.is_ascii_digit() || c.is_whitespace() || "页第".contains(c));
                if is_pager && i > 0 {
                    return inner[..i].trim_end();
                }
            }
        }
    }
    t
}

/// `<title>` without the site name: the weightiest part between separators.
pub fn strip_site(title: &str) -> String {
    title_parts(title)
        .iter()
        .max_by_key(|p| weight(p))
        .map(|p| strip_pager(p).to_string())
        .unwrap_or_else(|| title.trim().to_string())
}

fn overlap(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().filter(|c| !c.is_whitespace()).collect();
    if a.is_empty() {
        return 0.0;
    }
    let hits = a.iter().filter(|c| b.contains(**c)).count();
    hits as f64 / a.len() as f64
}

/// The chosen headline without a site name glued on with a separator (`标题-纪检`,
/// `站名--标题`) when the `<title>` shows the bare headline, and without private-use glyphs.
fn reconcile(chosen: String, page_title: &str, full_title: &str) -> String {
    let chosen: String = chosen
        .chars()
        .filter(|c| !matches!(*c, '\u{e000}'..='\u{f8ff}'))
        .collect::<String>()
        .trim()
        .to_string();
    // A headline the full <title> holds next to other parts already stands alone.
    let full = full_title.trim();
    if full != chosen && full.contains(&chosen) && full.chars().count() > chosen.chars().count() + 4
    {
        return chosen;
    }
    let n = page_title.chars().count();
    if n >= 6 && chosen != page_title {
        if let Some(i) = chosen.find(page_title) {
            let extra: String = format!("{}{}", &chosen[..i], &chosen[i + page_title.len()..]);
            let extra = extra.trim();
            let sep = ['-', '_', '|', '｜', '—', '–', '丨'];
            if extra.chars().count() <= 14 && (extra.starts_with(sep) || extra.ends_with(sep)) {
                return page_title.to_string();
            }
        }
    }
    chosen
}

pub fn choose(head: &HeadInfo, lines: &[Line], main: usize) -> String {
    let page_title = head.title.as_deref().map(strip_site).unwrap_or_default();
    let chosen = reconcile(
        choose_raw(head, lines, main, &page_title),
        &page_title,
        head.title.as_deref().unwrap_or_default(),
    );
    strip_media_tag(&chosen).to_string()
}

/// Kinds of media a portal tags a headline with: `[视频]`, `【组图】`. They say how the story
/// is told, not what it is called (column names such as `【资讯汇总】` stay).
const MEDIA_TAGS: &[&str] = &[
    "视频", "组图", "图文", "图集", "图片", "多图", "图", "音频", "直播", "动画", "高清", "Video",
    "VIDEO", "video",
];

/// The headline without a leading media tag.
pub fn strip_media_tag(title: &str) -> &str {
    let t = title.trim_start();
    let Some(open) = t.chars().next().filter(|c| matches!(c, '[' | '【' | '［')) else {
        return title;
    };
    let inner = &t[open.len_utf8()..];
    let Some(close) = inner.find([']', '】', '］']) else {
        return title;
    };
    let tag = inner[..close].trim();
    let after = &inner[close..];
    let rest = after[after.chars().next().map_or(0, char::len_utf8)..].trim_start();
    if MEDIA_TAGS.contains(&tag) && rest.chars().count() >= 4 {
        rest
    } else {
        title
    }
}

fn choose_raw(head: &HeadInfo, lines: &[Line], main: usize, page_title: &str) -> String {
    let full_title = head.title.clone().unwrap_or_default();
    let og = head
        .get(&["og:title", "twitter:title", "title", "headline"])
        .map(strip_site);
    // A heading that the <title> contains (or nearly) is the headline as printed.
    // The site's name is often a heading too: of the headings the title holds, the longest.
    let parts = title_parts(&full_title);
    let mut best: Option<(f64, usize, String)> = None;
    for h in &head.headings {
        let h = h.trim();
        let len = h.chars().count();
        if len < 4 && !parts.iter().any(|p| p == h) {
            continue;
        }
        let score =
            overlap(h, &full_title).max(og.as_deref().map(|o| overlap(h, o)).unwrap_or(0.0));
        if score < 0.8 {
            continue;
        }
        let better = best.as_ref().is_none_or(|(s, l, _)| {
            if (score - *s).abs() < 0.05 {
                len > *l
            } else {
                score > *s
            }
        });
        if better {
            best = Some((score, len, h.to_string()));
        }
    }
    if let Some((_, _, h)) = best {
        return h;
    }
    // A `<title>` that names only the site (`-某某网`): the page's first heading is the
    // headline when it is long enough to be one.
    if page_title.chars().count() <= 6 && og.is_none() {
        if let Some(h) = head.h1.as_deref().filter(|h| h.chars().count() >= 6) {
            return h.to_string();
        }
    }
    // Old table layouts: a short line just before the body that the <title> contains.
    if !page_title.is_empty() {
        if let Some(l) = lines
            .iter()
            .filter(|l| l.node < main && l.chars >= 4 && l.chars <= 60)
            .rev()
            .take(30)
            .find(|l| overlap(&l.text, page_title) >= 0.9 && overlap(page_title, &l.text) >= 0.9)
        {
            return l.text.clone();
        }
    }
    if let Some(o) = og.filter(|o| o.chars().count() >= 4) {
        return o;
    }
    if let Some(h) = head.ld_headline.clone() {
        return h;
    }
    page_title.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconciles_glued_site_names() {
        assert_eq!(
            reconcile(
                "中华人民共和国监察法-纪检".into(),
                "中华人民共和国监察法",
                "中华人民共和国监察法-纪检"
            ),
            "中华人民共和国监察法"
        );
        assert_eq!(
            reconcile("明日股市预测--最新出炉报告".into(), "最新出炉报告", ""),
            "最新出炉报告"
        );
        assert_eq!(
            reconcile("投身外交(3)\u{e004}".into(), "投身外交(3)", ""),
            "投身外交(3)"
        );
        assert_eq!(
            reconcile("北京：新规今日正式发布".into(), "新规今日正式发布", ""),
            "北京：新规今日正式发布"
        );
        // A headline the <title> shows beside a blog and site name keeps its own underscore.
        assert_eq!(
            reconcile(
                "新竹尖石_美樹營地賞楓 (2)".into(),
                "美樹營地賞楓 (2)",
                "新竹尖石_美樹營地賞楓 (2) @ 某人的家 :: 某博客 ::"
            ),
            "新竹尖石_美樹營地賞楓 (2)"
        );
    }

    #[test]
    fn media_tags() {
        let cases = [
            ("[视频]某地举行新闻发布会", "某地举行新闻发布会"),
            ("【组图】某地举行新闻发布会", "某地举行新闻发布会"),
            (
                "【资讯汇总】9月26日盘中重要资讯汇总",
                "【资讯汇总】9月26日盘中重要资讯汇总",
            ),
            ("[视频]短", "[视频]短"),
            ("[视频", "[视频"),
            ("小两口尝试以钱生钱(图)", "小两口尝试以钱生钱(图)"),
        ];
        for (input, want) in cases {
            assert_eq!(strip_media_tag(input), want);
        }
    }

    #[test]
    fn site_suffixes() {
        let cases = [
            (
                "多地项目连环爆雷 狂奔的龙湖集团_新浪新闻",
                "多地项目连环爆雷 狂奔的龙湖集团",
            ),
            ("援疆教师扎根边疆 - 人民网", "援疆教师扎根边疆"),
            ("标题文字|华夏网", "标题文字"),
            ("只有标题", "只有标题"),
            ("中华人民共和国监察法-纪检", "中华人民共和国监察法"),
            ("Joel on Software - 给计算机系学生的建议", "给计算机系学生的建议"),
            (
                "社会资本、人力资本与下岗职工的再就业(页 1) - 学术前沿 - powered by Discuz! Archiver",
                "社会资本、人力资本与下岗职工的再就业",
            ),
            ("iPhone-11 发布", "iPhone-11 发布"),
            ("主题句——副题句写在这里_某网", "主题句——副题句写在这里"),
            ("韩正出席庆祝中国—巴西建交50周年招待会", "韩正出席庆祝中国—巴西建交50周年招待会"),
            ("一条新闻的标题 — 某网", "一条新闻的标题"),
        ];
        for (input, want) in cases {
            assert_eq!(strip_site(input), want);
        }
    }
}
