//! What zhnews checks itself of a candidate the node found: a proximity, decided from the
//! positions of the bigram view of the stored text exactly as tantivy's phrase scorer
//! decides it from its postings, so a cluster and a local index agree article for
//! article (including where tantivy's greedy rule misses a spread-out match, and the
//! small difference between a scored search and an unscored one, e.g. by date).
//!
//! The intersection functions are those of tantivy 0.27 (`query/phrase_query/
//! phrase_scorer.rs`, MIT), over plain vectors.

use std::cmp::Ordering;

use super::compile::SlopRule;
use crate::analyze::BigramTokenizer;

/// Whether the proximity `rule` holds in `text` (the title or the body, as stored).
/// `scoring`: whether the local search would score (relevance order) or not (date order,
/// counts, trends), which decides which of tantivy's two rules applies.
pub fn slop_holds(rule: &SlopRule, text: &str, scoring: bool) -> bool {
    let tokens = BigramTokenizer.tokens(text);
    let max_offset = rule.terms.iter().map(|(o, _)| *o).max().unwrap_or(0);
    let mut lists = Vec::with_capacity(rule.terms.len());
    for (offset, term) in &rule.terms {
        let mut chars = term.chars();
        let lone = match (chars.next(), chars.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        };
        let shift = (max_offset - offset) as u32;
        let positions: Vec<u32> = tokens
            .iter()
            .filter(|t| match lone {
                Some(c) => t.text.starts_with(c),
                None => t.text == *term,
            })
            .map(|t| t.position as u32 + shift)
            .collect();
        if positions.is_empty() {
            return false;
        }
        lists.push(positions);
    }
    phrase_matches(&lists, rule.slop, scoring)
}

/// tantivy's `PhraseScorer::phrase_match` for one document, from each term's positions
/// (already shifted by its offset).
pub fn phrase_matches(lists: &[Vec<u32>], slop: u32, scoring: bool) -> bool {
    let n = lists.len();
    if n < 2 {
        return n == 1;
    }
    let mut left = lists[0].clone();
    let mut left_slops: Vec<u8> = Vec::new();
    let mut positions_buffer = Vec::new();
    let mut slops_buffer = Vec::new();
    let mut right: &[u32] = &lists[n - 1];
    for list in &lists[1..n - 1] {
        if slop > 0 {
            intersection_count_with_carrying_slop(
                &mut left,
                &mut left_slops,
                list,
                slop,
                true,
                &mut positions_buffer,
                &mut slops_buffer,
            );
        } else {
            intersection(&mut left, list);
        }
        if left.is_empty() {
            right = list;
            break;
        }
    }
    if scoring {
        let count = if slop > 0 {
            if n > 2 {
                intersection_count_with_carrying_slop(
                    &mut left,
                    &mut left_slops,
                    right,
                    slop,
                    false,
                    &mut positions_buffer,
                    &mut slops_buffer,
                ) as usize
            } else {
                intersection_count_with_slop(&mut left, right, slop, false)
            }
        } else {
            intersection_count(&left, right)
        };
        count > 0
    } else if slop > 0 {
        intersection_exists_with_slop(&left, right, slop)
    } else {
        intersection_count(&left, right) > 0
    }
}

fn intersection_count(left: &[u32], right: &[u32]) -> usize {
    let (mut l, mut r, mut count) = (0, 0, 0);
    while l < left.len() && r < right.len() {
        match left[l].cmp(&right[r]) {
            Ordering::Less => l += 1,
            Ordering::Equal => {
                count += 1;
                l += 1;
                r += 1;
            }
            Ordering::Greater => r += 1,
        }
    }
    count
}

fn intersection(left: &mut Vec<u32>, right: &[u32]) {
    let (mut l, mut r, mut count) = (0, 0, 0);
    let len = left.len();
    while l < len && r < right.len() {
        match left[l].cmp(&right[r]) {
            Ordering::Less => l += 1,
            Ordering::Equal => {
                left[count] = left[l];
                count += 1;
                l += 1;
                r += 1;
            }
            Ordering::Greater => r += 1,
        }
    }
    left.truncate(count);
}

fn intersection_count_with_slop(
    left: &mut Vec<u32>,
    right: &[u32],
    slop: u32,
    update_left: bool,
) -> usize {
    let (mut l, mut r, mut count) = (0, 0, 0);
    let left_len = left.len();
    while l < left_len && r < right.len() {
        let left_val = left[l];
        let right_val = right[r];
        if left_val.abs_diff(right_val) <= slop {
            while l + 1 < left_len {
                if left[l + 1] > right_val {
                    break;
                }
                l += 1;
            }
            if update_left {
                left[count] = right_val;
            }
            count += 1;
            l += 1;
            r += 1;
        } else if left_val < right_val {
            l += 1;
        } else {
            r += 1;
        }
    }
    if update_left {
        left.truncate(count);
    }
    count
}

fn intersection_exists_with_slop(left: &[u32], right: &[u32], slop: u32) -> bool {
    let (mut l, mut r) = (0, 0);
    while l < left.len() && r < right.len() {
        if left[l].abs_diff(right[r]) <= slop {
            return true;
        } else if left[l] < right[r] {
            l += 1;
        } else {
            r += 1;
        }
    }
    false
}

fn intersection_count_with_carrying_slop(
    left_positions: &mut Vec<u32>,
    left_slops: &mut Vec<u8>,
    right_positions: &[u32],
    max_slop: u32,
    update_left: bool,
    positions_buffer: &mut Vec<u32>,
    slops_buffer: &mut Vec<u8>,
) -> u32 {
    let mut left_index = 0;
    let mut right_index = 0;
    let mut count = 0;
    if left_positions.is_empty() || right_positions.is_empty() {
        if update_left {
            left_positions.clear();
            left_slops.clear();
        }
        return 0;
    }
    let add_val = |val: (u8, u32), new_left: &mut Vec<u32>, new_slops: &mut Vec<u8>| {
        if update_left {
            if new_left.last() == Some(&val.1) {
                if let Some(last_slop) = new_slops.last_mut() {
                    *last_slop = (*last_slop).min(val.0);
                }
            } else {
                new_left.push(val.1);
                new_slops.push(val.0);
            }
        }
    };
    loop {
        let left_val = left_positions[left_index];
        let slop_so_far = left_slops.get(left_index).cloned().unwrap_or(0);
        let right_val = right_positions[right_index];
        let distance = slop_so_far as u32 + left_val.abs_diff(right_val);
        if distance <= max_slop {
            let (smaller_val, larger_val, mut smaller_val_idx, smaller_val_positions) =
                if left_val < right_val {
                    (left_val, right_val, left_index, left_positions.as_slice())
                } else {
                    (right_val, left_val, right_index, right_positions)
                };
            let mut new_slop = distance;
            add_val(
                (new_slop as u8, smaller_val),
                positions_buffer,
                slops_buffer,
            );
            while smaller_val_idx + 1 < smaller_val_positions.len() {
                let next_val = smaller_val_positions[smaller_val_idx + 1];
                if next_val > larger_val {
                    break;
                }
                let distance = next_val.abs_diff(larger_val);
                smaller_val_idx += 1;
                new_slop = slop_so_far as u32 + distance;
                add_val((new_slop as u8, next_val), positions_buffer, slops_buffer);
            }
            add_val((new_slop as u8, larger_val), positions_buffer, slops_buffer);
            count += 1;
            left_index += 1;
            right_index += 1;
        } else if left_val < right_val {
            left_index += 1;
        } else {
            right_index += 1;
        }
        if left_index >= left_positions.len() || right_index >= right_positions.len() {
            if left_index >= left_positions.len() {
                let left_val = left_positions.last().copied().unwrap_or(0);
                let slop_so_far: u8 = *left_slops.last().unwrap_or(&0);
                for right_val in &right_positions[right_index..] {
                    let new_slop = left_val.abs_diff(*right_val) + slop_so_far as u32;
                    if new_slop <= max_slop {
                        add_val((new_slop as u8, *right_val), positions_buffer, slops_buffer);
                    }
                }
            } else {
                let right_val = right_positions.last().copied().unwrap_or(0);
                for (left_idx, &left_val) in left_positions.iter().enumerate().skip(left_index) {
                    let slop_so_far = *left_slops.get(left_idx).unwrap_or(&0);
                    let new_slop = left_val.abs_diff(right_val) + slop_so_far as u32;
                    if new_slop <= max_slop {
                        add_val((new_slop as u8, left_val), positions_buffer, slops_buffer);
                    }
                }
            }
            break;
        }
    }
    if update_left {
        std::mem::swap(left_positions, positions_buffer);
        std::mem::swap(left_slops, slops_buffer);
        positions_buffer.clear();
        slops_buffer.clear();
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::exact::proximity_terms;

    fn rule(text: &str, slop: u32) -> SlopRule {
        SlopRule {
            title: false,
            terms: proximity_terms(text),
            slop,
        }
    }

    #[test]
    fn parts_within_the_slop() {
        let r = rule("北京 新规", 3);
        assert!(slop_holds(&r, "北京发布新规", true));
        assert!(!slop_holds(&r, "北京今天发布新规", true));
        assert!(slop_holds(&rule("北京 新规", 4), "北京今天发布新规", true));
        assert!(!slop_holds(&r, "新规", true));
        let lone = rule("北 规", 4);
        assert!(slop_holds(&lone, "北京发布新规", false));
    }
}
