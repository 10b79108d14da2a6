//! 来源 / 作者 / 记者 / 责任编辑 lines: who wrote a story, where it came from, and who edited
//! it (the editor is never the author).

use std::sync::LazyLock;

use regex::Regex;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Byline {
    pub source: Option<String>,
    pub author: Option<String>,
    pub editor: Option<String>,
}

/// Characters that end a byline value.
const STOP: &str = r"[^\s|｜丨/／\\,，。;；:：()（）\[\]【】<>《》「」]";

static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:来源|來源|稿源|出处|新闻来源|文章来源|本文来源|信息来源)\s*[:：]\s*(?:[:：]\s*)?({STOP}{{2,30}})"
    ))
    .expect("source regex")
});

static EDITOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:责任编辑|責任編輯|责编|编辑|編輯|值班编辑|本文编辑)\s*[:：]?\s*([\p{Han}·]{2,4}(?:[ 、，,　]+[\p{Han}·]{2,4})*)")
        .expect("editor regex")
});

static AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?: (?:作者|作\s者|撰文|撰稿|文字|記者|记者|通讯员|通訊員|本报记者|本報記者|采写|文)\s*[:：/／|丨]?\s*
          | (?:^|[（(])\s*(?:记者|記者)\s* )
        (?P<names>[\p{Han}·]{2,4}(?:[ 、，,　]+(?:(?:记者|通讯员)\s*)?[\p{Han}·]{2,4}){0,4})",
    )
    .expect("author regex")
});

static NOT_A_NAME: &[&str] = &[
    "责任编辑",
    "编辑",
    "记者",
    "来源",
    "发布",
    "时间",
    "日期",
    "本报",
    "报道",
    "摄影",
    "通讯员",
    "实习生",
    "新华社",
    "中新网",
    "网络",
    "综合",
    "整理",
    "字号",
    "评论",
    "分享",
    "打印",
    "关闭",
    "原创",
    "阅读",
    "作者",
    "点击",
    "浏览",
    "次数",
    "我要",
    "投稿",
    "本站",
    "出处",
    "转载",
    "查看",
];

fn clean_name(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw
        .split([' ', '、', '，', ',', '　'])
        .map(|p| {
            p.trim_start_matches("记者")
                .trim_start_matches("通讯员")
                .trim()
        })
        .filter(|p| p.chars().count() >= 2 && !NOT_A_NAME.iter().any(|n| p.contains(n)))
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" "))
    }
}

/// Reads a byline from lines of text (the page header, or lines near the body).
pub fn parse(text: &str) -> Byline {
    let mut b = Byline::default();
    for line in text.lines() {
        if line.chars().count() > 200 {
            continue;
        }
        if b.editor.is_none() {
            if let Some(c) = EDITOR.captures(line) {
                b.editor = c.get(1).and_then(|m| clean_name(m.as_str()));
            }
        }
        // Remove editor phrases before looking for authors: "编辑：李四" is not a writer.
        let without_editor = EDITOR.replace_all(line, " ");
        if b.source.is_none() {
            if let Some(c) = SOURCE.captures(&without_editor) {
                let value = c[1].trim_end_matches(['作', '记', '编', '责']).to_string();
                if value.chars().count() >= 2 && !value.chars().all(|c| c.is_ascii_digit()) {
                    b.source = Some(value);
                }
            }
        }
        if b.author.is_none() {
            for c in AUTHOR.captures_iter(&without_editor) {
                if let Some(name) = c.name("names").and_then(|m| clean_name(m.as_str())) {
                    b.author = Some(name);
                    break;
                }
            }
        }
    }
    b
}

/// True for a line that is only byline, sharing or editing matter and never article text.
pub fn is_meta_line(line: &str) -> bool {
    let t = line.trim();
    let n = t.chars().count();
    if n == 0 {
        return true;
    }
    if n <= 40 && EDITOR.is_match(t) && !t.ends_with('。') {
        return true;
    }
    if n <= 80 {
        let starts = [
            "来源：",
            "来源:",
            "來源：",
            "作者：",
            "作者:",
            "记者：",
            "本文来源",
            "文章来源",
            "责任编辑",
            "原标题链接",
        ];
        if starts.iter().any(|s| t.starts_with(s)) {
            return true;
        }
        let has_date = super::date::find_first(t).is_some();
        let has_label = [
            "来源",
            "作者",
            "编辑",
            "发布时间",
            "时间：",
            "浏览",
            "字号",
            "阅读",
        ]
        .iter()
        .any(|l| t.contains(l));
        if has_date && has_label {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byline_table() {
        let cases = [
            (
                "2020-10-28 16:33:31　来源：新华网　作者：张晓明",
                Some("新华网"),
                Some("张晓明"),
                None,
            ),
            (
                "来源：人民日报 记者 王磊 李娜 责任编辑：赵六",
                Some("人民日报"),
                Some("王磊 李娜"),
                Some("赵六"),
            ),
            ("责任编辑：李四", None, None, Some("李四")),
            ("（记者 陈东）日前，本市召开会议", None, Some("陈东"), None),
            ("文/刘洋", None, Some("刘洋"), None),
            (
                "本文来源：证券市场红周刊",
                Some("证券市场红周刊"),
                None,
                None,
            ),
            (
                "编辑：周七 来源：央视新闻客户端",
                Some("央视新闻客户端"),
                None,
                Some("周七"),
            ),
        ];
        for (line, source, author, editor) in cases {
            let b = parse(line);
            assert_eq!(b.source.as_deref(), source, "source of {line}");
            assert_eq!(b.author.as_deref(), author, "author of {line}");
            assert_eq!(b.editor.as_deref(), editor, "editor of {line}");
        }
    }

    #[test]
    fn meta_lines() {
        assert!(is_meta_line("2020-10-28 16:33:31　来源：新华网"));
        assert!(is_meta_line("责任编辑：李四"));
        assert!(is_meta_line("  "));
        assert!(!is_meta_line(
            "新华社北京10月28日电 国务院新闻办公室28日举行发布会。"
        ));
    }
}
