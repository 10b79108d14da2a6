//! Trend charts as SVG (plotters), one line per query.

use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::search::trend::Trend;

const COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// Counts (or shares of all articles, in percent, when the trend has totals) per bucket.
pub fn to_svg(trend: &Trend) -> Result<String> {
    let plot_err = |e: String| Error::Internal(format!("drawing chart: {e}"));
    let values: Vec<Vec<f64>> = trend
        .series
        .iter()
        .map(|s| {
            s.buckets
                .iter()
                .map(|b| match b.total {
                    Some(t) if t > 0 => b.count as f64 * 100.0 / t as f64,
                    Some(_) => 0.0,
                    None => b.count as f64,
                })
                .collect()
        })
        .collect();
    let labels: Vec<String> = trend
        .series
        .first()
        .map(|s| s.buckets.iter().map(|b| b.start.clone()).collect())
        .unwrap_or_default();
    let n = labels.len().max(1);
    let max = values
        .iter()
        .flatten()
        .copied()
        .fold(0.0f64, f64::max)
        .max(1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_err(e.to_string()))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(16)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0usize..n, 0f64..max * 1.1)
            .map_err(|e| plot_err(e.to_string()))?;
        let label_of = |i: &usize| labels.get(*i).cloned().unwrap_or_default();
        chart
            .configure_mesh()
            .x_labels(8)
            .x_label_formatter(&label_of)
            .y_desc(if trend.normalized {
                "% of all articles"
            } else {
                "articles"
            })
            .draw()
            .map_err(|e| plot_err(e.to_string()))?;
        for (i, (series, vals)) in trend.series.iter().zip(&values).enumerate() {
            let color = COLORS[i % COLORS.len()];
            chart
                .draw_series(LineSeries::new(
                    vals.iter().enumerate().map(|(x, y)| (x, *y)),
                    color.stroke_width(2),
                ))
                .map_err(|e| plot_err(e.to_string()))?
                .label(series.query.clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(|e| plot_err(e.to_string()))?;
        root.present().map_err(|e| plot_err(e.to_string()))?;
    }
    Ok(svg)
}
