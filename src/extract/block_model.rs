//! The shipped block model (see `blocks.rs`). Written by `examples/extract_blocks.rs train`;
//! do not edit by hand.

use super::blocks::{BlockModel, N_FEATURES};

/// Trained on 104 pages from 45 site groups.
pub const MODEL: BlockModel = BlockModel {
    version: 0,
    weights: WEIGHTS,
    keep: 0.5,
    drop: 0.0,
    extend: 0.8,
};

#[rustfmt::skip]
const WEIGHTS: [f32; N_FEATURES] = [
    -0.3085, // bias
    0.9451, // log_chars
    -1.3714, // link_ratio
    0.4512, // punct_density
    0.4858, // ends_sentence
    1.2325, // sentences
    -0.4165, // short
    1.3066, // in_main
    -1.8228, // class_boilerplate
    -2.1341, // class_comment
    0.0000, // class_content
    -0.5252, // tag_li
    -1.6217, // tag_heading
    -1.8735, // tag_td
    -0.3298, // chrome_tag
    0.0000, // hidden_style
    -1.2267, // before_title
    -1.5545, // before_first_prose
    0.0000, // after_last_prose
    0.0000, // prose_distance
    -2.1905, // repeated
    1.4801, // nbr_log_chars
    -3.3577, // nbr_link_ratio
    0.1410, // nbr_punct_density
    -1.5563, // parent_link_ratio
    0.0000, // parent_punct_density
    0.0000, // meta_line
    -0.1992, // furniture
    -2.0223, // position
    -0.3357, // digit_ratio
    -0.2646, // short_before_prose
    -0.5478, // short_in_prose
    0.0000, // title_like
    0.7624, // in_core
    -0.3376, // core_sibling
    0.0000, // before_core
    -1.7977, // after_core
];
