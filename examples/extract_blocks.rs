//! Trains and checks the block model of `src/extract/blocks.rs` on pages with ground truth
//! (`NAME.html` + `NAME.json` with `content` and `site_group`, as in
//! `../shared/data/extraction-dev`).
//!
//! ```sh
//! cargo run --profile fast --example extract_blocks -- train DEV_DIR src/extract/block_model.rs
//! cargo run --profile fast --example extract_blocks -- logo DEV_DIR PRED_DIR   # leave-one-group-out
//! cargo run --profile fast --example extract_blocks -- predict DIR PRED_DIR    # shipped model, timed
//! ```
//! `logo` trains one model per site group on the other groups' pages and extracts that
//! group's pages with it; `predict` uses the shipped model. Both write `PRED_DIR/NAME.json`
//! for `../shared/tools/extract_eval.py --pred-dir`, and print the median time per page.
//!
//! A line's label is whether the ground-truth text holds it: all of it for a line of eight
//! characters or more (by character 4-grams, so that small edits do not flip it), an equal
//! line for a shorter one (`行业动态` in a menu is no story text just because the story uses
//! the words). Lines the ground truth half holds are left out of training.

// Matrix arithmetic (the Newton step, Gaussian elimination) reads better by index.
#![allow(clippy::needless_range_loop)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;
use zhnews::extract::blocks::{BlockModel, FEATURE_NAMES, N_FEATURES, SIGNS};
use zhnews::extract::{self, ExtractOutput};

type Features = [f32; N_FEATURES];

struct Page {
    name: String,
    group: String,
    html: String,
    /// Training rows: features, label, weight.
    rows: Vec<(Features, f32, f32)>,
    /// The text of each row, for `errors`.
    texts: Vec<String>,
}

/// Comparable text: full-width forms folded, quotes unified, whitespace dropped (close to
/// the scorer's NFKC normalisation for the characters news pages use).
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '\u{a0}')
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '“' | '”' | '„' | '「' | '」' | '『' | '』' => '"',
            '‘' | '’' => '\'',
            _ => c,
        })
        .collect()
}

fn grams(s: &[char]) -> impl Iterator<Item = &[char]> {
    s.windows(4)
}

fn load(dir: &Path) -> Vec<Page> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let mut pages = Vec::new();
    for json in names {
        let Ok(gt) =
            serde_json::from_str::<Value>(&std::fs::read_to_string(&json).unwrap_or_default())
        else {
            continue;
        };
        let Some(file) = gt.get("file").and_then(Value::as_str) else {
            continue;
        };
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        let (html, _) = extract::decode(&bytes, None);
        let name = json
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        let group = gt
            .get("site_group")
            .and_then(Value::as_str)
            .unwrap_or(&name)
            .to_string();
        let labeled = gt
            .get("labeled")
            .and_then(Value::as_array)
            .is_none_or(|l| l.iter().any(|f| f == "content"));
        let content = gt
            .get("content")
            .and_then(Value::as_str)
            .filter(|_| labeled);
        let (rows, texts) = content.map(|c| rows(&html, c)).unwrap_or_default();
        pages.push(Page {
            name,
            group,
            html,
            rows,
            texts,
        });
    }
    pages
}

fn rows(html: &str, content: &str) -> (Vec<(Features, f32, f32)>, Vec<String>) {
    let gt = norm(content);
    let gt_chars: Vec<char> = gt.chars().collect();
    let gt_grams: HashSet<&[char]> = grams(&gt_chars).collect();
    let gt_lines: HashSet<String> = content.lines().map(norm).collect();
    let lines = extract::block_features(html);
    let feature = |name: &str| FEATURE_NAMES.iter().position(|n| *n == name);
    let (in_core, in_main) = (feature("in_core"), feature("in_main"));
    let on = |x: &Features, i: Option<usize>| i.is_some_and(|i| x[i] > 0.5);
    // Where the page shows a text more than once, the ground truth holds one of them: the
    // one in the story's core, else in the container, else the first.
    let mut owner: HashMap<String, (u8, usize)> = HashMap::new();
    for (n, (text, x)) in lines.iter().enumerate() {
        let rank = if on(x, in_core) {
            0
        } else if on(x, in_main) {
            1
        } else {
            2
        };
        let e = owner.entry(norm(text)).or_insert((rank, n));
        if rank < e.0 {
            *e = (rank, n);
        }
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut texts = Vec::with_capacity(lines.len());
    for (n, (text, x)) in lines.into_iter().enumerate() {
        let t = norm(&text);
        let chars: Vec<char> = t.chars().collect();
        if chars.is_empty() {
            continue;
        }
        let cover = if owner.get(&t).is_some_and(|(_, first)| *first != n) {
            0.0
        } else if chars.len() < 8 {
            if gt_lines.contains(&t) {
                1.0
            } else {
                0.0
            }
        } else if gt.contains(&t) {
            1.0
        } else {
            let g: Vec<&[char]> = grams(&chars).collect();
            g.iter().filter(|g| gt_grams.contains(*g)).count() as f32 / g.len().max(1) as f32
        };
        // Half-held lines teach nothing; headlines and byline lines are the rules' to place
        // (the ground truth of some pages starts with them, of others not), and so is text
        // hidden from readers.
        let ruled = |name: &str| on(&x, feature(name));
        if (0.25..0.75).contains(&cover)
            || ruled("title_like")
            || ruled("meta_line")
            || ruled("hidden_style")
        {
            continue;
        }
        let weight = ((1 + chars.len()) as f32).ln();
        out.push((x, if cover >= 0.5 { 1.0 } else { 0.0 }, weight));
        texts.push(text);
    }
    (out, texts)
}

/// Weighted logistic regression with an L2 penalty, by Newton's method (few features, so
/// the Hessian is small). Each page weighs the same in all.
fn train(pages: &[&Page]) -> [f32; N_FEATURES] {
    const L2: f64 = 1.0;
    let mut data: Vec<(&Features, f64, f64)> = Vec::new();
    for p in pages {
        let total: f64 = p.rows.iter().map(|r| f64::from(r.2)).sum();
        if total <= 0.0 {
            continue;
        }
        let scale = 100.0 / total;
        let pos = std::env::var("POS_WEIGHT")
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(1.0);
        data.extend(p.rows.iter().map(|(x, y, w)| {
            let class = if *y > 0.5 { pos } else { 1.0 };
            (x, f64::from(*y), f64::from(*w) * scale * class)
        }));
    }
    let mut w = [0f64; N_FEATURES];
    // Weights whose sign the data contradicts are held at zero (an active set): a signal
    // keeps the direction it has on any site, only its size is learned.
    let mut fixed = [false; N_FEATURES];
    for _round in 0..8 {
        for _ in 0..30 {
            let (mut grad, mut hess) = gradient(&data, &w, L2);
            for i in 0..N_FEATURES {
                if fixed[i] {
                    grad[i] = 0.0;
                    for j in 0..N_FEATURES {
                        hess[i][j] = 0.0;
                        hess[j][i] = 0.0;
                    }
                    hess[i][i] = 1.0;
                }
            }
            let step = solve(hess, grad);
            let mut change = 0f64;
            for i in 0..N_FEATURES {
                w[i] -= step[i];
                change = change.max(step[i].abs());
                if SIGNS[i] * w[i] < 0.0 {
                    w[i] = 0.0;
                    fixed[i] = true;
                }
            }
            if change < 1e-6 {
                break;
            }
        }
        // Release a held weight that the loss would move the allowed way.
        let (grad, _) = gradient(&data, &w, L2);
        let mut released = false;
        for i in 0..N_FEATURES {
            if fixed[i] && -grad[i] * SIGNS[i] > 1e-9 {
                fixed[i] = false;
                released = true;
            }
        }
        if !released {
            break;
        }
    }
    w.map(|v| v as f32)
}

/// Gradient and Hessian of the penalised, weighted log loss at `w`.
fn gradient(
    data: &[(&Features, f64, f64)],
    w: &[f64; N_FEATURES],
    l2: f64,
) -> ([f64; N_FEATURES], [[f64; N_FEATURES]; N_FEATURES]) {
    let mut grad = [0f64; N_FEATURES];
    let mut hess = [[0f64; N_FEATURES]; N_FEATURES];
    for (x, y, sw) in data {
        let z: f64 = w.iter().zip(x.iter()).map(|(a, b)| a * f64::from(*b)).sum();
        let p = 1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp());
        let g = (p - y) * sw;
        let h = (p * (1.0 - p)).max(1e-6) * sw;
        for i in 0..N_FEATURES {
            let xi = f64::from(x[i]);
            if xi == 0.0 {
                continue;
            }
            grad[i] += g * xi;
            for j in 0..=i {
                hess[i][j] += h * xi * f64::from(x[j]);
            }
        }
    }
    for i in 0..N_FEATURES {
        for j in 0..i {
            hess[j][i] = hess[i][j];
        }
        // The bias goes unpenalised.
        if i > 0 {
            grad[i] += l2 * w[i];
            hess[i][i] += l2;
        } else {
            hess[i][i] += 1e-6;
        }
    }
    (grad, hess)
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: [[f64; N_FEATURES]; N_FEATURES], mut b: [f64; N_FEATURES]) -> [f64; N_FEATURES] {
    let n = N_FEATURES;
    for c in 0..n {
        let pivot = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap_or(c);
        a.swap(c, pivot);
        b.swap(c, pivot);
        let d = a[c][c];
        if d.abs() < 1e-12 {
            continue;
        }
        for r in c + 1..n {
            let f = a[r][c] / d;
            if f != 0.0 {
                for k in c..n {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
    }
    let mut x = [0f64; N_FEATURES];
    for c in (0..n).rev() {
        let s: f64 = (c + 1..n).map(|k| a[c][k] * x[k]).sum();
        x[c] = if a[c][c].abs() < 1e-12 {
            0.0
        } else {
            (b[c] - s) / a[c][c]
        };
    }
    x
}

/// The shipped model's thresholds, or `KEEP`, `DROP`, `EXTEND` from the environment to try
/// others.
fn model(weights: [f32; N_FEATURES]) -> BlockModel {
    let base = extract::block_model();
    let env = |k: &str, d: f32| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    BlockModel {
        weights,
        keep: env("KEEP", base.keep),
        drop: env("DROP", base.drop),
        extend: env("EXTEND", base.extend),
        ..*base
    }
}

/// Extracts `page` with `model` and writes the scorer's prediction file; returns the time.
fn predict(page: &Page, model: &BlockModel, out: &Path) -> f64 {
    let t = Instant::now();
    let result = extract::extract_html_with(&page.html, None, model);
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    let json = match &result {
        Ok(a) => serde_json::to_string(&ExtractOutput::from(a)).unwrap_or_default(),
        Err(e) => serde_json::json!({ "error": e }).to_string(),
    };
    let path = out.join(format!("{}.json", page.name));
    std::fs::write(&path, json).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    ms
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn write_model(weights: &[f32; N_FEATURES], path: &Path, pages: usize, groups: usize) {
    let base = extract::block_model();
    let mut s = String::from(
        "//! The shipped block model (see `blocks.rs`). Written by `examples/extract_blocks.rs train`;\n\
         //! do not edit by hand.\n\nuse super::blocks::{BlockModel, N_FEATURES};\n\n",
    );
    s += &format!(
        "/// Trained on {pages} pages from {groups} site groups.\npub const MODEL: BlockModel = BlockModel {{\n    version: {},\n    weights: WEIGHTS,\n    keep: {:?},\n    drop: {:?},\n    extend: {:?},\n}};\n\n",
        base.version, base.keep, base.drop, base.extend
    );
    s += "#[rustfmt::skip]\nconst WEIGHTS: [f32; N_FEATURES] = [\n";
    for (w, name) in weights.iter().zip(FEATURE_NAMES) {
        s += &format!("    {w:.4}, // {name}\n");
    }
    s += "];\n";
    std::fs::write(path, s).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn accuracy(pages: &[&Page], w: &[f32; N_FEATURES]) -> f64 {
    let m = model(*w);
    let (mut good, mut all) = (0f64, 0f64);
    for p in pages {
        for (x, y, sw) in &p.rows {
            let hit = (m.probability(x) >= 0.5) == (*y >= 0.5);
            good += f64::from(u8::from(hit)) * f64::from(*sw);
            all += f64::from(*sw);
        }
    }
    good / all.max(1e-9)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let (Some("lines"), Some(file)) = (args.first().map(String::as_str), args.get(1)) {
        // The shipped model's view of one page: probability, then the features named in
        // the remaining arguments, then the text.
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("read {file}: {e}"));
        let (html, _) = extract::decode(&bytes, None);
        let m = model(extract::block_model().weights);
        let shown: Vec<usize> = args[2..]
            .iter()
            .filter_map(|a| FEATURE_NAMES.iter().position(|n| n == a))
            .collect();
        for (text, x) in extract::block_features(&html) {
            let cols: Vec<String> = shown.iter().map(|&i| format!("{:.2}", x[i])).collect();
            let short: String = text.chars().take(70).collect();
            println!("{:.2}\t{}\t{short}", m.probability(&x), cols.join("\t"));
        }
        return;
    }
    let (Some(cmd), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: extract_blocks train|logo|predict DIR OUT");
        std::process::exit(2);
    };
    let out = PathBuf::from(args.get(2).map_or("/tmp/zhnews-blocks", String::as_str));
    let pages = load(Path::new(dir));
    let groups: BTreeMap<&str, Vec<&Page>> = pages.iter().fold(BTreeMap::new(), |mut m, p| {
        m.entry(p.group.as_str()).or_default().push(p);
        m
    });
    match cmd.as_str() {
        "train" => {
            let all: Vec<&Page> = pages.iter().collect();
            let w = train(&all);
            for (name, v) in FEATURE_NAMES.iter().zip(w) {
                println!("{name:>22} {v:8.3}");
            }
            println!(
                "line accuracy (in-sample, weighted): {:.4}",
                accuracy(&all, &w)
            );
            write_model(&w, &out, all.len(), groups.len());
        }
        "logo" => {
            std::fs::create_dir_all(&out).expect("create prediction dir");
            let mut times = Vec::new();
            let (mut acc, mut n) = (0f64, 0f64);
            for (g, held) in &groups {
                let rest: Vec<&Page> = pages.iter().filter(|p| p.group != *g).collect();
                let w = train(&rest);
                acc += accuracy(held, &w) * held.len() as f64;
                n += held.len() as f64;
                let m = model(w);
                for p in held {
                    times.push(predict(p, &m, &out));
                }
            }
            println!(
                "leave-one-group-out: {} groups, {} pages, line accuracy {:.4}, median {:.2} ms/page",
                groups.len(),
                pages.len(),
                acc / n.max(1.0),
                median(times)
            );
        }
        "dump" => {
            // Every training row: page, group, label, weight, features, text.
            println!(
                "page\tgroup\tlabel\tweight\t{}\ttext",
                FEATURE_NAMES.join("\t")
            );
            for p in &pages {
                for ((x, y, w), t) in p.rows.iter().zip(&p.texts) {
                    let xs: Vec<String> = x.iter().map(|v| format!("{v:.3}")).collect();
                    let t = t.replace('\t', " ");
                    println!(
                        "{}\t{}\t{y}\t{w:.3}\t{}\t{t}",
                        p.name,
                        p.group,
                        xs.join("\t")
                    );
                }
            }
        }
        "errors" => {
            // Lines the shipped model gets wrong, with their label and probability.
            let m = model(extract::block_model().weights);
            for p in &pages {
                for ((x, y, _), t) in p.rows.iter().zip(&p.texts) {
                    let prob = m.probability(x);
                    if (prob >= 0.5) != (*y >= 0.5) {
                        let short: String = t.chars().take(60).collect();
                        println!("{}\t{y}\t{prob:.2}\t{short}", p.name);
                    }
                }
            }
        }
        "predict" => {
            std::fs::create_dir_all(&out).expect("create prediction dir");
            let m = model(extract::block_model().weights);
            let times: Vec<f64> = pages.iter().map(|p| predict(p, &m, &out)).collect();
            println!(
                "{} pages, median {:.2} ms/page (decoded HTML to article)",
                pages.len(),
                median(times)
            );
        }
        _ => {
            eprintln!("unknown command {cmd}");
            std::process::exit(2);
        }
    }
}
