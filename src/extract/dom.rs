//! A flat view of the parsed page: every node in document order with its parent, the size
//! of its subtree and text statistics, computed without recursion (crawls hold pages
//! nested 100,000 deep).

use ego_tree::NodeRef;
use scraper::{Html, Node};

/// Elements whose text is never article text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "iframe", "textarea", "select", "option", "button", "head",
    "title", "meta", "link", "svg", "canvas", "template", "object", "embed", "input", "label",
];

/// Elements that start a new line of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "tbody",
    "section",
    "article",
    "blockquote",
    "dd",
    "dt",
    "dl",
    "figure",
    "figcaption",
    "center",
    "pre",
    "header",
    "footer",
    "aside",
    "nav",
    "main",
    "form",
    "hr",
    "address",
];

/// Sentence punctuation: its density marks running text.
pub fn is_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '！'
            | '？'
            | '；'
            | '：'
            | '、'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '《'
            | '》'
            | ','
            | '.'
            | '!'
            | '?'
            | ';'
    )
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    /// Non-whitespace characters of text.
    pub text: u32,
    /// Of those, inside links.
    pub link_text: u32,
    /// Punctuation outside links.
    pub punct: u32,
    pub tags: u32,
    pub link_tags: u32,
}

pub struct FlatNode<'a> {
    pub node: NodeRef<'a, Node>,
    pub parent: Option<usize>,
    /// Number of nodes in the subtree, this one included; the subtree is `i..i + size`.
    pub size: usize,
    pub tag: Option<&'a str>,
    pub in_link: bool,
    /// Inside a script, style or similar.
    pub hidden: bool,
    pub stats: Stats,
}

pub struct Flat<'a> {
    pub nodes: Vec<FlatNode<'a>>,
}

impl<'a> Flat<'a> {
    pub fn new(doc: &'a Html) -> Self {
        let mut nodes: Vec<FlatNode<'a>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for node in doc.tree.root().descendants() {
            let parent = node.parent().and_then(|p| index.get(&p.id()).copied());
            let tag = node.value().as_element().map(|e| e.name());
            let (p_link, p_hidden) = parent
                .map(|p: usize| {
                    let pn = &nodes[p];
                    (
                        pn.in_link || pn.tag == Some("a"),
                        pn.hidden || pn.tag.is_some_and(|t| SKIP_TAGS.contains(&t)),
                    )
                })
                .unwrap_or((false, false));
            index.insert(node.id(), nodes.len());
            nodes.push(FlatNode {
                node,
                parent,
                size: 1,
                tag,
                in_link: p_link,
                hidden: p_hidden || tag.is_some_and(|t| SKIP_TAGS.contains(&t)),
                stats: Stats::default(),
            });
        }
        // Children come after their parents, so one backward pass sums subtrees.
        for i in (0..nodes.len()).rev() {
            let n = &nodes[i];
            let mut own = n.stats;
            if !n.hidden {
                match n.node.value() {
                    Node::Text(t) => {
                        let chars = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
                        own.text += chars;
                        if n.in_link {
                            own.link_text += chars;
                        } else {
                            own.punct += t.chars().filter(|c| is_punct(*c)).count() as u32;
                        }
                    }
                    Node::Element(_) => {
                        own.tags += 1;
                        if n.tag == Some("a") {
                            own.link_tags += 1;
                        }
                    }
                    _ => {}
                }
            }
            let size = n.size;
            nodes[i].stats = own;
            if let Some(p) = nodes[i].parent {
                let ps = &mut nodes[p].stats;
                ps.text += own.text;
                ps.link_text += own.link_text;
                ps.punct += own.punct;
                ps.tags += own.tags;
                ps.link_tags += own.link_tags;
                nodes[p].size += size;
            }
        }
        Flat { nodes }
    }

    pub fn is_block(&self, i: usize) -> bool {
        self.nodes[i].tag.is_some_and(|t| BLOCK_TAGS.contains(&t))
    }

    /// `class` and `id` of an element, lowercased, for boilerplate patterns.
    pub fn class_and_id(&self, i: usize) -> String {
        match self.nodes[i].node.value().as_element() {
            Some(e) => format!(
                "{} {}",
                e.attr("class").unwrap_or_default(),
                e.attr("id").unwrap_or_default()
            )
            .to_ascii_lowercase(),
            None => String::new(),
        }
    }

    /// Lines of visible text in nodes `range` (a subtree), split at block elements, with
    /// the node index each line starts at and how much of it is link text. `skip(i)`
    /// drops a whole subtree.
    pub fn lines(&self, range: std::ops::Range<usize>, skip: &dyn Fn(usize) -> bool) -> Vec<Line> {
        let mut lines = Vec::new();
        let mut cur = Line::default();
        // Open block elements: (index, end of subtree).
        let mut blocks: Vec<(usize, usize)> = Vec::new();
        let mut skip_until = 0usize;
        let mut last_parent: Option<usize> = None;
        let end = range.end.min(self.nodes.len());
        let mut i = range.start;
        while i < end {
            while blocks.last().is_some_and(|(_, e)| *e <= i) {
                blocks.pop();
                cur.flush(&mut lines);
            }
            let n = &self.nodes[i];
            if i < skip_until {
                i += 1;
                continue;
            }
            if n.hidden || (i != range.start && skip(i)) {
                skip_until = i + n.size;
                i += 1;
                continue;
            }
            match n.node.value() {
                Node::Element(_) if self.is_block(i) => {
                    cur.flush(&mut lines);
                    blocks.push((i, i + n.size));
                }
                Node::Element(e) if e.name() == "img" => {
                    // Captions live in alt text only when nothing else names the picture.
                }
                Node::Text(t) => {
                    if last_parent != n.parent {
                        cur.mark_boundary();
                    }
                    last_parent = n.parent;
                    let block = blocks.last().map_or(range.start, |(b, _)| *b);
                    cur.push(t, n.in_link, i, block);
                }
                _ => {}
            }
            i += 1;
        }
        cur.flush(&mut lines);
        lines
    }
}

#[derive(Debug, Default, Clone)]
pub struct Line {
    pub text: String,
    /// The text with a space wherever it crosses an element boundary: `<span>来源：某报</span>
    /// <span>作者：某人</span>` keeps its fields apart here (bylines are read from this).
    pub spaced: String,
    pub link_chars: usize,
    pub chars: usize,
    /// Index of the first text node of the line.
    pub node: usize,
    /// Index of the innermost block element the line is in.
    pub block: usize,
    /// Sentence punctuation outside links.
    pub punct: usize,
}

impl Line {
    fn mark_boundary(&mut self) {
        if !self.spaced.is_empty() && !self.spaced.ends_with(' ') {
            self.spaced.push(' ');
        }
    }

    fn push(&mut self, t: &str, in_link: bool, node: usize, block: usize) {
        if self.text.is_empty() {
            self.node = node;
            self.block = block;
        }
        let mut last_space = self.text.ends_with(' ') || self.text.is_empty();
        for c in t.chars() {
            let c = if c == '\u{a0}' || c == '\u{3000}' {
                ' '
            } else {
                c
            };
            if c.is_whitespace() {
                if !last_space {
                    self.text.push(' ');
                    last_space = true;
                }
                if !self.spaced.ends_with(' ') {
                    self.spaced.push(' ');
                }
                continue;
            }
            last_space = false;
            self.text.push(c);
            self.spaced.push(c);
            self.chars += 1;
            if in_link {
                self.link_chars += 1;
            } else if is_punct(c) {
                self.punct += 1;
            }
        }
    }

    fn flush(&mut self, lines: &mut Vec<Line>) {
        let text = self.text.trim().to_string();
        if !text.is_empty() {
            let spaced = self.spaced.trim().to_string();
            lines.push(Line {
                text,
                spaced,
                link_chars: self.link_chars,
                chars: self.chars,
                node: self.node,
                block: self.block,
                punct: self.punct,
            });
        }
        *self = Line::default();
    }

    pub fn link_ratio(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}
