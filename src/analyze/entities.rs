//! The people, places and organisations an article mentions: jieba's part-of-speech tags
//! (nr/nrfg/nrt person, ns place, nt organisation) over the normalized text, corrected by
//! a small lexicon read by hand (`entity_corrections.tsv`: common words jieba tags as
//! names, 文明 or 城市, and names of another kind, 沙特 tagged as a person). A user
//! dictionary adds names with the same tags (`潘功胜 100 nr`).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use jieba_rs::Jieba;

use super::normalize::normalize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Org,
}

impl EntityKind {
    pub const ALL: [EntityKind; 3] = [EntityKind::Person, EntityKind::Place, EntityKind::Org];

    pub fn name(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Org => "org",
        }
    }

    fn of_tag(tag: &str) -> Option<EntityKind> {
        match tag {
            "nr" | "nrfg" | "nrt" => Some(EntityKind::Person),
            "ns" => Some(EntityKind::Place),
            "nt" => Some(EntityKind::Org),
            _ => None,
        }
    }

    fn parse(s: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// The most entities of one kind kept for an article.
pub const MAX_PER_KIND: usize = 32;

/// What one article mentions, each kind in order of first mention.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Entities {
    pub person: Vec<String>,
    pub place: Vec<String>,
    pub org: Vec<String>,
}

impl Entities {
    pub fn of(&self, kind: EntityKind) -> &[String] {
        match kind {
            EntityKind::Person => &self.person,
            EntityKind::Place => &self.place,
            EntityKind::Org => &self.org,
        }
    }

    fn push(&mut self, kind: EntityKind, word: &str) {
        let list = match kind {
            EntityKind::Person => &mut self.person,
            EntityKind::Place => &mut self.place,
            EntityKind::Org => &mut self.org,
        };
        if list.len() < MAX_PER_KIND && !list.iter().any(|w| w == word) {
            list.push(word.to_string());
        }
    }
}

/// (word, kind jieba gave it) → the kind it really is, or `None` for no entity.
static CORRECTIONS: LazyLock<HashMap<(String, EntityKind), Option<EntityKind>>> =
    LazyLock::new(|| {
        include_str!("entity_corrections.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut parts = l.split('\t');
                let word = parts.next()?.trim();
                let tagged = EntityKind::parse(parts.next()?.trim())?;
                let verdict = parts.next()?.trim();
                Some(((normalize(word), tagged), EntityKind::parse(verdict)))
            })
            .collect()
    });

/// The most common Chinese surnames (about 300, by population): jieba's own dictionary
/// tags thousands of plain words as names (但凡, 扶正), and a name not read by hand must
/// at least start like one.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝洪郁";
const COMPOUND_SURNAMES: [&str; 12] = [
    "欧阳", "司马", "上官", "诸葛", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯",
];
/// Characters that Chinese transliterations of foreign names are written with.
const TRANSLITERATION: &str = "阿埃艾爱安昂奥巴拜班邦包保鲍贝本比彼毕宾波伯博布查达戴丹德登迪蒂杜多厄恩法范菲费芬丰夫福弗盖甘戈格古瓜哈海汉豪赫亨胡华霍基吉加贾杰金卡凯坎康考柯科克肯库夸奎拉莱兰朗劳勒雷里利莉列林琳隆卢鲁伦罗洛马迈麦曼梅门蒙米明莫默姆穆纳奈南内尼努诺欧帕潘佩彭皮普奇齐乔切丘萨塞桑瑟森沙莎尚舍什施舒斯丝松苏索塔泰坦汤特提图托瓦万威维温沃乌西希锡夏谢辛休雅亚扬耶伊易因尤于约泽扎詹兹佐朱恰琼珀赛";

/// Whether a word jieba tags as a name, and nobody has read, looks like one: a Chinese
/// name (a common surname and one or two characters), or a transliteration.
pub fn looks_like_a_name(word: &str) -> bool {
    let n = word.chars().count();
    let chinese = COMPOUND_SURNAMES
        .iter()
        .find(|s| word.starts_with(**s))
        .map_or_else(
            || word.chars().next().is_some_and(|c| SURNAMES.contains(c)) && (2..=3).contains(&n),
            |_| (3..=4).contains(&n),
        );
    chinese || (n >= 2 && word.chars().all(|c| TRANSLITERATION.contains(c)))
}

/// The entities of an article's title and body. `names` are words a user dictionary
/// tags, taken as they are.
pub fn find(jieba: &Jieba, names: &HashSet<String>, title: &str, body: &str) -> Entities {
    let mut out = Entities::default();
    for text in [title, body] {
        let text = normalize(text);
        let tags = jieba.tag(&text, false);
        for (i, t) in tags.iter().enumerate() {
            let Some(tagged) = EntityKind::of_tag(t.tag) else {
                continue;
            };
            // One character is a surname or a province's short name, never enough.
            if t.word.chars().count() < 2 || !t.word.chars().all(char::is_alphanumeric) {
                continue;
            }
            let kind = match CORRECTIONS.get(&(t.word.to_string(), tagged)) {
                Some(corrected) => *corrected,
                // A "name" right before 省 or 州 is a province or a prefecture.
                None if tagged == EntityKind::Person
                    && tags
                        .get(i + 1)
                        .is_some_and(|n| n.word.starts_with(['省', '州'])) =>
                {
                    Some(EntityKind::Place)
                }
                // jieba's "nr" and "nrt" cover plain words too; only its full names
                // (nrfg) are what they say.
                None if matches!(t.tag, "nr" | "nrt")
                    && !names.contains(t.word)
                    && !looks_like_a_name(t.word) =>
                {
                    None
                }
                None => Some(tagged),
            };
            if let Some(kind) = kind {
                out.push(kind, t.word);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_before_province_or_prefecture_is_a_place() {
        let jieba = Jieba::new();
        let e = find(
            &jieba,
            &HashSet::new(),
            "",
            "伊拉克迪亚拉省发生爆炸。俄罗斯雅罗斯拉夫尔州举行选举。",
        );
        for place in ["迪亚拉", "雅罗斯拉夫尔"] {
            assert!(!e.person.iter().any(|p| p == place), "{e:?}");
        }
    }

    #[test]
    fn names_places_and_organisations_of_a_sentence() {
        let jieba = Jieba::new();
        let e = find(
            &jieba,
            &HashSet::new(),
            "李克强会见联合国秘书长",
            "国务院总理李克强在北京人民大会堂会见联合国秘书长古特雷斯，双方就气候变化交换意见。",
        );
        assert!(e.person.contains(&"李克强".to_string()), "{e:?}");
        // jieba's dictionary holds 北京人民大会堂 as one place.
        assert!(e.place.iter().any(|p| p.starts_with("北京")), "{e:?}");
        assert!(
            e.org.iter().any(|o| o == "国务院" || o == "联合国"),
            "{e:?}"
        );
        assert_eq!(e.person.iter().filter(|p| *p == "李克强").count(), 1);
    }

    #[test]
    fn plain_words_tagged_as_names_are_not_people() {
        for word in ["但凡", "扶正", "元勋", "周密安排"] {
            assert!(!looks_like_a_name(word), "{word}");
        }
        for word in ["王毅", "李克强", "欧阳修", "加兰特", "内塔尼亚胡"] {
            assert!(looks_like_a_name(word), "{word}");
        }
        let jieba = Jieba::new();
        let e = find(&jieba, &HashSet::new(), "", "但凡有空，他就去扶正树苗。");
        assert!(e.person.is_empty(), "{e:?}");
        let mut names = HashSet::new();
        names.insert("但凡".to_string());
        let e = find(&jieba, &names, "", "但凡有空，他就去扶正树苗。");
        assert_eq!(e.person, vec!["但凡".to_string()]);
    }
}
