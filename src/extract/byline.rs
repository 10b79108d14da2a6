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
        r"(?:来源|來源|稿源|出处|新闻来源|文章来源|本文来源|信息来源)(?:\s*[:：]|于|於)\s*(?:[:：]\s*)?({STOP}{{2,30}})"
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
        (?: (?P<lab>作者|作\s者|撰文|撰稿|文字|图文|文/图|图/文|采写|执笔人|执笔|编译|文|记者|記者|通讯员|通訊員|特约记者|实习生|[Bb]y)
            \s* (?P<sep>[:：/／|丨])? \s* )
        (?P<names>(?:[\p{Han}·]{2,4}|[A-Za-z][A-Za-z0-9_.\-]{1,29})
            (?:[\ \u{a0}、，,　&＆]+(?:(?:记者|通讯员)\s*)?[\p{Han}·]{2,4}){0,4})",
    )
    .expect("author regex")
});

/// A line that is only a name in brackets, as some papers open a story: `（袁源）`.
static BRACKET_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*[（(]\s*(?P<lab>(?:记者|通讯员|文|作者)\s*[:：/]?\s*)?([\p{Han}·]{2,4}(?:[ 、，,　]+[\p{Han}·]{2,4}){0,4})\s*[）)]\s*$")
        .expect("bracket name regex")
});

/// `（姚峰 上海报道）` at the end of a story.
static BRACKET_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(]\s*([\p{Han}·]{2,4}(?:[ \u{a0}、，,　]+[\p{Han}·]{2,4}){0,4})[ \u{a0}　]+[\p{Han}]{0,6}报道\s*[）)]")
        .expect("bracket report regex")
});

/// `……一步之遥。(李楠)`: a bare name in brackets closing the last paragraph.
static TRAILING_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[。！？!?”」…]\s*[（(]\s*([\p{Han}·]{2,4}(?:[ 、，,　]+[\p{Han}·]{2,4}){0,4})\s*[）)]\s*[□■]?\s*$")
        .expect("trailing name regex")
});

/// Blog and forum stamps: `ggjjzhzz 发表于 2005-9-15 11:46`, `由某某张贴 @ 2005-06-14`.
static POSTED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s|｜])(?P<a>[\p{Han}A-Za-z0-9_·.\-]{2,20})\s*(?:发表于|发布于|发表在)\s*[:：]?\s*\d|(?:^|[^\p{Han}])由\s*(?P<b>[\p{Han}A-Za-z0-9_·]{2,12}?)\s*(?:张贴|发表|发布|提交)\s*(?:于|@|\d|$)")
        .expect("posted-by regex")
});

/// Common surnames (the most frequent single ones and a few compound ones): a bare name with
/// no label must start with one, so that place names and headings are not taken for people.
/// Surnames that are also everyday words (文, 明, 时, 安, 成…) are left out.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤穆农司卓吉缪简项芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘池麻苑迟邝风闻";
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "令狐", "夏侯", "端木", "独孤",
];

/// True when `name` opens with a common surname (single or compound), written in simplified
/// or traditional characters (`陳`, `黃`).
fn starts_with_surname(name: &str) -> bool {
    let head: String = name.chars().take(2).collect();
    let simplified = fast2s::convert(&head);
    COMPOUND_SURNAMES.iter().any(|s| simplified.starts_with(s))
        || simplified
            .chars()
            .next()
            .is_some_and(|c| SURNAMES.contains(c))
}

/// True for a bare 2-4 character Chinese name that starts with a common surname.
fn is_bare_name(name: &str) -> bool {
    let n = name.chars().count();
    (2..=4).contains(&n)
        && name.chars().all(is_han)
        && {
            let simplified = fast2s::convert(name);
            COMPOUND_SURNAMES
                .iter()
                .any(|s| simplified.starts_with(s) && n >= 3)
                || simplified
                    .chars()
                    .next()
                    .is_some_and(|c| SURNAMES.contains(c))
                    && n <= 3
        }
        && !NOT_A_NAME.iter().any(|w| name.contains(w))
        && !COMMON_WORDS.contains(&name)
        && !looks_like_media(name)
}

/// Everyday words that start with a surname character and would pass for a bare name on a
/// line of their own (page furniture under a headline: `简介`, `高清`).
const COMMON_WORDS: &[&str] = &[
    "简介", "简称", "简单", "高清", "高级", "方式", "方法", "方向", "方便", "程序", "金融", "常见",
    "常用", "江湖", "石油", "华人", "司机", "关注", "任务", "任何", "时间", "周刊", "周末", "周年",
    "钱包", "黄金", "白色", "黑色", "马上", "万一", "万元", "林业", "余额", "陆续", "梁山", "孙子",
];

/// A line that is nothing but one to five bare names (`胡平`, `赵某某、钱某`), as essays and
/// papers print the writer under the headline.
pub fn lone_names(line: &str) -> Option<String> {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > 24 {
        return None;
    }
    let names: Vec<&str> = t
        .split([' ', '\u{a0}', '、', '，', ',', '　'])
        .filter(|p| !p.is_empty())
        .collect();
    if (1..=5).contains(&names.len()) && names.iter().all(|n| is_bare_name(n)) {
        Some(names.join(" "))
    } else {
        None
    }
}

/// Words that mark a value as a medium, site or organisation rather than a person.
const MEDIA_WORDS: &[&str] = &[
    "网",
    "報",
    "报",
    "新闻",
    "社",
    "台",
    "客户端",
    "财经",
    "科技",
    "频道",
    "中心",
    "传媒",
    "媒体",
    "文章",
    "百科",
    "贡献者",
    "杂志",
    "周刊",
    "在线",
    "官方",
    "平台",
    "公司",
    "集团",
    "中国",
    "部",
    "局",
    "委",
    "厅",
    "院",
    "站",
    "号",
    "协会",
    "编辑",
    "综合",
    "资讯",
    "门户",
];

/// A `<meta>` author as written for machines: `赵  培` (a two-character name spaced out to
/// the width of three) becomes `赵培`; several authors split by `;` are joined with spaces.
pub fn tidy_meta_name(value: &str) -> String {
    value
        .split([';', '；'])
        .map(|one| {
            let parts: Vec<&str> = one.split_whitespace().collect();
            let han: usize = parts.iter().map(|p| p.chars().count()).sum();
            if parts.len() > 1
                && han <= 4
                && parts
                    .iter()
                    .all(|p| p.chars().count() <= 2 && p.chars().all(is_han))
            {
                parts.concat()
            } else {
                one.trim().to_string()
            }
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// True when a value names a medium or organisation, not a person.
pub fn looks_like_media(value: &str) -> bool {
    let v = value.trim();
    v.contains('.') || MEDIA_WORDS.iter().any(|w| v.contains(w))
}

/// True when a value reads like a person's name (Chinese or Latin), for `<meta name=author>`.
pub fn looks_like_person(value: &str) -> bool {
    let v = value.trim();
    let n = v.chars().count();
    if !(2..=30).contains(&n) || looks_like_media(v) || v.starts_with("http") {
        return false;
    }
    let han = v.chars().filter(|c| is_han(*c)).count();
    if han > 0 {
        return han
            == v.chars()
                .filter(|c| !c.is_whitespace() && *c != '·')
                .count()
            && (2..=4).contains(&han)
            && !NOT_A_NAME.iter().any(|w| v.contains(w));
    }
    v.chars()
        .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '.' || c == '-')
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Labels that need a separator (`文/刘洋`) or a non-Chinese character before them: `文`
/// inside `文章` is no byline.
fn label_ok(line: &str, start: usize, label: &str, has_sep: bool, after: &str) -> bool {
    let prev = line[..start].chars().next_back();
    let prev_han = prev.is_some_and(is_han);
    match label {
        "记者" | "記者" | "通讯员" | "通訊員" | "特约记者" | "实习生" => {
            // "记者 王磊", "（记者王磊）", "新华社记者：王磊", "澎湃新闻记者 段彦超".
            let before = &line[..start];
            let in_bracket = before.rfind(['（', '(', '〔', '【', '[']).is_some_and(|i| {
                !before[i..].contains(['）', ')', '〕', '】', ']'])
                    && before[i..].chars().count() <= 10
            });
            has_sep
                || after.starts_with(char::is_whitespace)
                || prev.is_some_and(|p| "报社网台刊".contains(p))
                || in_bracket
                || before.trim().is_empty()
                || before.ends_with(char::is_whitespace)
        }
        "文" => has_sep && !prev_han,
        "by" | "By" => {
            prev.is_none_or(char::is_whitespace) && after.starts_with(char::is_whitespace)
        }
        // `作者：某某`, `撰文 某某`: a label glued to what follows is a word (`作者手记`,
        // `图文推荐`), not a byline.
        _ => {
            (!prev_han || has_sep && start == 0)
                && (has_sep || after.starts_with(char::is_whitespace))
        }
    }
}

fn trim_name_tail(name: &str) -> &str {
    let mut n = name;
    for tail in ["报道", "摄影", "发自", "摄", "电", "讯"] {
        if let Some(t) = n.strip_suffix(tail) {
            if t.chars().count() >= 2 {
                n = t;
            }
        }
    }
    n
}

static NOT_A_NAME: &[&str] = &[
    // Words of time that follow 记者 in prose: `记者今天（6月12日）从……获悉`.
    "今天",
    "昨天",
    "明天",
    "前天",
    "今日",
    "昨日",
    "日前",
    "近日",
    "当天",
    "当日",
    "目前",
    "此前",
    "近期",
    "简介",
    "推荐",
    "手记",
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
    "待续",
    "未完",
    "全文",
    "组图",
    "图片",
    "视频",
    "编译",
    "特约",
    "文章",
    "职工",
    "单位",
    "统计",
    "访问",
    "博客",
    "专栏",
    "论坛",
    "训练营",
    "返回",
];

fn clean_name(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw
        .split([' ', '\u{a0}', '、', '，', ',', '　', '&', '＆'])
        .map(|p| {
            p.trim_start_matches("记者")
                .trim_start_matches("通讯员")
                .trim()
        })
        .map(trim_name_tail)
        // `作者：新京报` names a paper, not a writer.
        .filter(|p| {
            p.chars().count() >= 2
                && !NOT_A_NAME.iter().any(|n| p.contains(n))
                && !looks_like_media(p)
        })
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
    // A 来源 that is a person's name (`来源: 某某`) is the writer when nobody else is named.
    let mut source_person: Option<String> = None;
    for line in text.lines().flat_map(segments) {
        if b.editor.is_none() {
            if let Some(c) = EDITOR.captures(line) {
                b.editor = c.get(1).and_then(|m| clean_name(m.as_str()));
            }
        }
        // Remove editor phrases before looking for authors: "编辑：李四" is not a writer.
        let without_editor = EDITOR.replace_all(line, " ");
        if b.source.is_none() {
            // The editor pattern can swallow a following "来源" label: fall back to the raw line.
            if let Some(c) = SOURCE
                .captures(&without_editor)
                .or_else(|| SOURCE.captures(line))
            {
                let value = c[1].trim_end_matches(['作', '记', '编', '责']).to_string();
                if is_bare_name(&value) {
                    source_person.get_or_insert(value);
                } else if value.chars().count() >= 2 && !value.chars().all(|c| c.is_ascii_digit()) {
                    b.source = Some(value);
                }
            }
        }
        if b.author.is_none() {
            for c in AUTHOR.captures_iter(&without_editor) {
                let (Some(lab), Some(names)) = (c.name("lab"), c.name("names")) else {
                    continue;
                };
                let has_sep = c.name("sep").is_some();
                let after = &without_editor[lab.end()..];
                if !label_ok(&without_editor, lab.start(), lab.as_str(), has_sep, after) {
                    continue;
                }
                // A name runs at most four characters: more Chinese right after it is prose.
                let rest = &without_editor[names.end()..];
                // `本刊记者经历了近4个小时`: a number right after the name is prose too.
                if rest.starts_with(|c: char| c.is_ascii_digit()) {
                    continue;
                }
                if rest.chars().next().is_some_and(is_han)
                    && !["发自", "报道", "摄", "电", "讯"]
                        .iter()
                        .any(|t| rest.starts_with(t))
                {
                    continue;
                }
                if matches!(lab.as_str(), "by" | "By") && super::date::span_end(line).is_none() {
                    continue;
                }
                // A name glued to its label (`记者王磊`) must open with a surname: `记者梳理发现`
                // is a reporter at work, not a byline.
                let glued = !has_sep && !after.starts_with(char::is_whitespace);
                if glued
                    && names.as_str().starts_with(is_han)
                    && !starts_with_surname(names.as_str())
                {
                    continue;
                }
                if let Some(name) = clean_name(names.as_str()) {
                    b.author = Some(name);
                    break;
                }
            }
        }
        if b.author.is_none() {
            if let Some(c) = BRACKET_NAME.captures(line) {
                // Without a label the words must read as names (`（降息、降准）` is prose); a
                // medium before them is dropped: `（某某财经 张三）`.
                let names = c.get(2).map(|m| m.as_str()).unwrap_or_default();
                if c.name("lab").is_some() {
                    b.author = clean_name(names);
                } else {
                    let people: Vec<&str> = names
                        .split([' ', '、', '，', ',', '　'])
                        .filter(|p| !p.is_empty() && !looks_like_media(p))
                        .collect();
                    if !people.is_empty() && people.iter().all(|p| is_bare_name(p)) {
                        b.author = Some(people.join(" "));
                    }
                }
            } else if let Some(c) = BRACKET_REPORT.captures(line) {
                b.author = c.get(1).and_then(|m| clean_name(m.as_str()));
            }
        }
        if b.author.is_none() {
            b.author = trailing_names(line).or_else(|| posted_by(line));
        }
    }
    if b.author.is_none() {
        b.author = source_person;
    }
    b
}

/// The parts of a line a byline can be in: all of a short line; the opening and the close of
/// a long paragraph (`据某社电（记者 王磊）……`, `……一步之遥。（文/图 王磊）`).
/// Only what is in brackets counts there: prose such as `本刊记者经历了近4个小时` is no byline.
fn segments(line: &str) -> Vec<&str> {
    if line.chars().count() <= 200 {
        return vec![line];
    }
    let head_end = line.char_indices().nth(60).map_or(line.len(), |(i, _)| i);
    // An opening bracket counts only with a byline word in it: `各级党委（党组）` is prose.
    let mut parts: Vec<&str> = BRACKETED
        .find_iter(&line[..head_end])
        .map(|m| m.as_str())
        .filter(|b| BYLINE_WORDS.iter().any(|w| b.contains(w)))
        .collect();
    // The close: the last bracket with the character before it (`。（王磊）`).
    let t = line.trim_end();
    if t.ends_with([')', '）']) {
        if let Some(open) = t.rfind(['（', '(']) {
            let start = t[..open]
                .char_indices()
                .next_back()
                .map_or(open, |(i, _)| i);
            if t.len() - start <= 120 {
                parts.push(&t[start..]);
            }
        }
    }
    parts
}

static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[（(〔【\[][^（()）〔〕【】\[\]]{2,40}[）)〕】\]]").expect("bracketed regex")
});

/// Words that make a bracket at a paragraph's opening a byline (`（记者 王磊）`,
/// `〔記者某某／台北報導〕`).
const BYLINE_WORDS: &[&str] = &[
    "记者",
    "記者",
    "通讯员",
    "通訊員",
    "作者",
    "文/",
    "文／",
    "报道",
    "報導",
    "撰稿",
    "实习生",
    "摄",
];

fn trailing_names(line: &str) -> Option<String> {
    let c = TRAILING_NAME.captures(line)?;
    let names: Vec<&str> = c
        .get(1)?
        .as_str()
        .split([' ', '、', '，', ',', '　'])
        .filter(|p| !p.is_empty())
        .collect();
    names
        .iter()
        .all(|n| is_bare_name(n))
        .then(|| names.join(" "))
}

/// Only on a short stamp line with a full date, not in prose (`该成果发表于2019年3月5日的…。`).
fn posted_by(line: &str) -> Option<String> {
    let t = line.trim();
    if t.chars().count() > 80 || t.ends_with(['。', '！', '？']) {
        return None;
    }
    super::date::find_first(t)?;
    let c = POSTED_BY.captures(t)?;
    let name = c.name("a").or_else(|| c.name("b"))?.as_str();
    let ok = !name
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '.')
        && !NOT_A_NAME.iter().any(|w| name.contains(w))
        && !looks_like_media(name);
    ok.then(|| name.to_string())
}

/// The publisher a self-media platform prints beside the time stamp under the headline:
/// `标题 / 某某号 / 发布时间：10-08 12:00`, `标题 / 2022-06-02 09:52:19 / 政能亮`. `lines` are
/// the lines under the headline. A person's bare name there is the writer's, not a source,
/// and a part of the headline is a second showing of it.
pub fn beside_stamp(lines: &[&str], headline: &str) -> Option<String> {
    let is_stamp = |l: &str| {
        let t = l.trim();
        t.chars().count() <= 40
            && (super::date::is_date_only(t)
                || super::date::starts_with_date(t)
                || ["发布时间", "发布于", "發佈時間", "时间：", "時間："]
                    .iter()
                    .any(|p| t.starts_with(p)))
    };
    let furniture = |l: &str| {
        let t = l.trim();
        t.chars().all(|c| "·|｜/-—".contains(c)) || STAMP_NEIGHBOURS.iter().any(|w| t.contains(w))
    };
    let stamp = lines.iter().position(|l| is_stamp(l))?;
    // The nearest line either side, past separators and buttons (`下载客户端`).
    let before = (0..stamp).rev().take(4).find(|&i| !furniture(lines[i]));
    let after = (stamp + 1..lines.len())
        .take(4)
        .find(|&i| !furniture(lines[i]));
    let headline_chars = headline.chars().count().max(1);
    [before, after]
        .into_iter()
        .flatten()
        .map(|i| lines[i].trim())
        .find(|t| {
            let n = t.chars().count();
            // One name: no digits, punctuation or spaces (`版面导航 本版导航` is a menu).
            // Two characters are a column (国际, 财经) as often as a publisher.
            (3..=16).contains(&n)
                && !t.chars().any(|c| {
                    c.is_ascii_digit() || c.is_whitespace() || super::dom::is_punct(c)
                })
                && !is_stamp(t)
                && !is_bare_name(t)
                && !t.starts_with("来自")
                // Most of the headline is the headline shown again.
                && (n * 2 < headline_chars || !headline.contains(t))
        })
        .map(str::to_string)
}

/// Page furniture that sits beside a time stamp and is no publisher.
const STAMP_NEIGHBOURS: &[&str] = &[
    "分享",
    "下载",
    "客户端",
    "关注",
    "订阅",
    "收藏",
    "评论",
    "阅读",
    "抢先",
    "作者",
    "原创",
    "举报",
    "字号",
    "字体",
    "打印",
    "来源",
    "编辑",
    "参与",
];

/// A source or authors written after the date with no label: `2019-09-26 10:56 证券时报网`
/// (one name: the source) or `2020-06-05 20:35 叨叨姐 胡一刀` (several short names: authors).
pub fn from_dated_line(text: &str) -> Byline {
    let mut b = Byline::default();
    for line in text.lines() {
        if line.chars().count() > 80 {
            continue;
        }
        let Some(end) = super::date::span_end(line) else {
            continue;
        };
        let rest = &line[end..];
        let tokens: Vec<&str> = rest
            .split(|c: char| c.is_whitespace() || "·|｜丨/".contains(c))
            .map(|t| t.trim())
            .filter(|t| !t.is_empty() && !t.starts_with("http"))
            .collect();
        let good = |t: &&str| {
            let n = t.chars().count();
            (2..=20).contains(&n)
                && !t
                    .chars()
                    .any(|c| c.is_ascii_digit() || ":：()（）【】[]".contains(c))
                && t.chars().filter(|c| is_han(*c)).count() * 2 >= n
                && !NOT_A_NAME.iter().any(|w| t.contains(w))
                && ![
                    "评论", "参与", "分享", "收藏", "浏览", "字号", "发表", "星期", "周",
                ]
                .iter()
                .any(|w| t.contains(w))
                // `来自北京市`, `IP属地：上海`: where the poster was, not who published.
                && !t.starts_with("来自")
                && !t.contains("属地")
        };
        if tokens.is_empty() || !tokens.iter().all(good) {
            continue;
        }
        if tokens.len() == 1 {
            b.source = Some(tokens[0].to_string());
        } else if tokens.iter().all(|t| {
            let n = t.chars().count();
            (2..=4).contains(&n) && t.chars().all(is_han) && !looks_like_media(t)
        }) {
            b.author = Some(tokens.join(" "));
        }
        break;
    }
    b
}

/// `由某某张贴 @ 2005-06-14 03:25:55 (370) 共 11 篇评论`: a blog entry's footer.
fn has_posted_stamp(line: &str) -> bool {
    posted_by(line).is_some()
}

/// True when a line names an editor (`责任编辑：某某`, `[责编：某某]`).
pub fn names_editor(line: &str) -> bool {
    EDITOR.is_match(line)
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
        if has_posted_stamp(t) {
            return true;
        }
        let has_label = [
            "来源",
            "作者",
            "编辑",
            "发布时间",
            "时间：",
            "浏览",
            "字号",
            "阅读",
            "发布:",
            "发布：",
            "发布于",
            "点击:",
            "点击：",
            "点击数",
            "来自:",
            "来自：",
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
                "2021-03-05 09:12 記者林志明/臺北報導 來源：華聲新聞網",
                Some("華聲新聞網"),
                Some("林志明"),
                None,
            ),
            ("在线荐稿 记者博客 大河论坛", None, None, None),
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
            ("感谢您的反馈，我们将会减少此类文章的推荐", None, None, None),
            ("一行正要进入", None, None, None),
            (
                "新京报快讯（记者裴剑飞）今日有网友爆料",
                None,
                Some("裴剑飞"),
                None,
            ),
            ("澎湃新闻记者 段彦超 廖艳", None, Some("段彦超 廖艳"), None),
            ("（袁源）", None, Some("袁源"), None),
            ("（降息、降准）", None, None, None),
            ("（某某财经 张小艳）", None, Some("张小艳"), None),
            ("（待续）", None, None, None),
            ("作者：ggjjzhzz", None, Some("ggjjzhzz"), None),
            // A label glued to a word, a paper named as the writer, a time word.
            ("——作者手记", None, None, None),
            ("图文推荐", None, None, None),
            ("作者：新京报", None, None, None),
            ("记者今天（6月12日）从中国气象局获悉", None, None, None),
            ("记者梳理发现，自2012年以来，收入持续下滑", None, None, None),
            ("記者陳怡君/臺中報導", None, Some("陳怡君"), None),
            (
                "该人士付之一笑。（姚峰 上海报道）",
                None,
                Some("姚峰"),
                None,
            ),
            (
                "河南商报记者马俊峰/文受访者供图",
                None,
                Some("马俊峰"),
                None,
            ),
            (
                "发布时间 2005/05/17 22:11:42 by 眉间尺",
                None,
                Some("眉间尺"),
                None,
            ),
            (
                "光明日报记者 王建宏 张文攀",
                None,
                Some("王建宏 张文攀"),
                None,
            ),
            ("记者 在广汽商务部门了解到", None, None, None),
            ("Produced By 大汉网络 大汉版通发布系统", None, None, None),
            (
                "本站讯（职工通讯员 李琴雯 刘会）为深入推进",
                None,
                Some("李琴雯 刘会"),
                None,
            ),
            ("本报记者罗科苏盈发自北京", None, Some("罗科苏盈"), None),
            ("对于记者“广汽是否不会”的提问", None, None, None),
            ("本刊记者经历了近4个小时的车程", None, None, None),
            (
                "执笔/甲乙丙、王小二&李小三",
                None,
                Some("甲乙丙 王小二 李小三"),
                None,
            ),
            // Names closing the last paragraph.
            ("……这一天天气晴好。(王小明)", None, Some("王小明"), None),
            ("……这一天天气晴好。（北京）", None, None, None),
            (
                "……大家都很高兴。(文/图 王大明 李小红)",
                None,
                Some("王大明 李小红"),
                None,
            ),
            (
                "……大家都很高兴。(某报记者 周文华)",
                None,
                Some("周文华"),
                None,
            ),
            ("执笔人：王一东 李二三", None, Some("王一东 李二三"), None),
            (
                "本报实习生 刘一东 周小炜",
                None,
                Some("刘一东 周小炜"),
                None,
            ),
            // Blog stamps.
            (
                "abcdef 发表于 2005-9-15 11:46:00",
                None,
                Some("abcdef"),
                None,
            ),
            (
                "由小雨点张贴 @ 2005-06-14 03:25:55 (370)",
                None,
                Some("小雨点"),
                None,
            ),
            ("本站 发表于 2005-9-15", None, None, None),
            (
                "该研究成果发表于2019年3月5日的学术期刊上。",
                None,
                None,
                None,
            ),
            // A person named as the source is the writer.
            ("来源: 王小明", None, Some("王小明"), None),
            ("来源: 某某晚报", Some("某某晚报"), None, None),
        ];
        for (line, source, author, editor) in cases {
            let b = parse(line);
            assert_eq!(b.source.as_deref(), source, "source of {line}");
            assert_eq!(b.author.as_deref(), author, "author of {line}");
            assert_eq!(b.editor.as_deref(), editor, "editor of {line}");
        }
    }

    #[test]
    fn brackets_inside_prose_are_no_bylines() {
        let prose = "今天的会议讨论了很多事情，大家发言踊跃，气氛热烈。".repeat(12);
        let party = format!("通知要求，各级党委（党组）要认真抓好学习宣传{prose}");
        assert_eq!(parse(&party).author, None);
        let taipei = format!("〔記者林志明／台北報導〕{prose}");
        assert_eq!(parse(&taipei).author.as_deref(), Some("林志明"));
    }

    #[test]
    fn long_paragraphs_are_read_at_their_edges() {
        let prose = "今天的会议讨论了很多事情，大家发言踊跃，气氛热烈。".repeat(12);
        let opening = format!("据某某社某地电（记者 王大明）{prose}");
        assert_eq!(parse(&opening).author.as_deref(), Some("王大明"));
        let closing = format!("{prose}（文/图 李小红 赵一东）");
        assert_eq!(parse(&closing).author.as_deref(), Some("李小红 赵一东"));
        let middle = format!("{prose}记者 王大明{prose}");
        assert_eq!(parse(&middle).author, None);
    }

    #[test]
    fn lone_name_lines() {
        assert_eq!(lone_names("胡大平").as_deref(), Some("胡大平"));
        assert_eq!(
            lone_names("赵一东、钱小天").as_deref(),
            Some("赵一东 钱小天")
        );
        assert_eq!(lone_names("欧阳小明").as_deref(), Some("欧阳小明"));
        for t in [
            "北京",
            "图片",
            "摘要",
            "新华社",
            "时间",
            "王府井大街",
            "一、前言",
        ] {
            assert_eq!(lone_names(t), None, "{t}");
        }
    }

    #[test]
    fn meta_names() {
        assert_eq!(tidy_meta_name("王  明"), "王明");
        assert_eq!(tidy_meta_name("王明; 李小红"), "王明 李小红");
        assert_eq!(tidy_meta_name("John Smith"), "John Smith");
    }

    #[test]
    fn publisher_beside_the_stamp() {
        let cases = [
            (vec!["某某号", "发布时间：10-08", "12:00"], Some("某某号")),
            (
                vec!["2022-06-02 09:52:19", "政能亮", "来自北京市"],
                Some("政能亮"),
            ),
            (
                vec!["2019-05-17", "·", "苏皖城市报道", "分享到"],
                Some("苏皖城市报道"),
            ),
            // A writer's name, furniture, a piece of the headline: no publisher.
            (vec!["王小明", "2019-05-17"], None),
            (vec!["发布时间：2024年05月05日 |", "字体放大"], None),
            (
                vec![
                    "在人间",
                    "下载客户端",
                    "独家抢先看",
                    "2024年01月25日 18:03:35 来自某地",
                ],
                Some("在人间"),
            ),
            (vec!["一条新闻的", "2019-05-17"], None),
            (vec!["一条新", "2019-05-17"], Some("一条新")),
            (vec!["国际", "2019-05-17"], None),
            (
                vec![
                    "2022年02月12日",
                    "查看旧版(2007年11月18号以前)",
                    "版面导航 本版导航",
                ],
                None,
            ),
            (vec!["没有时间戳的一行", "政能亮"], None),
        ];
        for (lines, want) in cases {
            assert_eq!(
                beside_stamp(&lines, "一条新闻的标题").as_deref(),
                want,
                "{lines:?}"
            );
        }
    }

    #[test]
    fn dated_lines() {
        let b = from_dated_line("2019-09-26 10:56:28 证券时报网");
        assert_eq!(b.source.as_deref(), Some("证券时报网"));
        let b = from_dated_line("2020-06-05 20:35 叨叨姐 胡一刀 李小飞刀");
        assert_eq!(b.author.as_deref(), Some("叨叨姐 胡一刀 李小飞刀"));
        assert_eq!(b.source, None);
        let b = from_dated_line("2019-10-28 16:33 评论 12");
        assert_eq!(b, Byline::default());
        let b = from_dated_line("2024年01月25日 18:03:35 来自内蒙古自治区");
        assert_eq!(b, Byline::default());
    }

    #[test]
    fn meta_lines() {
        assert!(is_meta_line("2020-10-28 16:33:31　来源：新华网"));
        assert!(is_meta_line("某网 |发布: 2021-1-29 13:18|点击: 313"));
        assert!(is_meta_line(
            "由小雨点张贴 @ 2005-06-14 03:25:55 (370) 共 11 篇评论"
        ));
        assert!(!is_meta_line("2021年3月5日，有关部门发布了新的规定。"));
        assert!(!is_meta_line("该研究成果发表于2019年3月5日的学术期刊上。"));
        assert!(is_meta_line("责任编辑：李四"));
        assert!(is_meta_line("  "));
        assert!(!is_meta_line(
            "新华社北京10月28日电 国务院新闻办公室28日举行发布会。"
        ));
    }
}
