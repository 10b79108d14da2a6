//! The shipped block model (see `blocks.rs`). Written by `examples/extract_blocks.rs train`;
//! do not edit by hand.

use super::blocks::{BlockModel, N_FEATURES};

/// Trained on 104 pages from 45 site groups.
pub const MODEL: BlockModel = BlockModel {
    version: 1,
    weights: WEIGHTS,
    keep: 0.5,
    drop: 0.0,
    extend: 0.8,
};

#[rustfmt::skip]
const WEIGHTS: [f32; N_FEATURES] = [
    -0.3562, // bias
    0.9442, // log_chars
    -1.3650, // link_ratio
    0.4557, // punct_density
    0.4976, // ends_sentence
    1.2286, // sentences
    -0.4146, // short
    1.3170, // in_main
    -1.8233, // class_boilerplate
    -2.1321, // class_comment
    0.0000, // class_content
    -0.5198, // tag_li
    -1.6193, // tag_heading
    -1.8749, // tag_td
    -0.3305, // chrome_tag
    0.0000, // hidden_style
    -1.2330, // before_title
    -1.5015, // before_first_prose
    0.0000, // after_last_prose
    0.0000, // prose_distance
    -2.1887, // repeated
    1.4883, // nbr_log_chars
    -3.3035, // nbr_link_ratio
    0.1344, // nbr_punct_density
    -1.5827, // parent_link_ratio
    0.0000, // parent_punct_density
    0.0000, // meta_line
    -0.2028, // furniture
    -2.0144, // position
    -0.3457, // digit_ratio
    -0.2909, // short_before_prose
    -0.5423, // short_in_prose
    0.0000, // title_like
    0.7832, // in_core
    -0.3411, // core_sibling
    0.0000, // before_core
    -1.7751, // after_core
];
