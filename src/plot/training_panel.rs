//! The training-run plot: the training and validation metric against the step on a log axis, the
//! detected memorization and generalization steps as vertical lines with their intervals shaded.

use super::{PANEL, draw_legend, draw_mesh, plot_error};
use crate::error::Result;
use crate::training::{LearningTransition, TrainingAnalysis, TrainingLog};
use plotters::prelude::*;

/// At most this many points per series: a longer log is averaged into log-spaced bins.
const MAX_POINTS: usize = 600;

/// The SVG document of a training run (see [`super::render_training_svg`]).
pub(super) fn render(
    log: &TrainingLog,
    analysis: &TrainingAnalysis,
    title: &str,
) -> Result<String> {
    let train = thin(log, |i| log.train(i));
    let validation = thin(log, |i| log.validation(i));
    let steps = train.iter().chain(&validation).map(|p| p.0);
    let (x_lo, x_hi) = steps.fold((f64::INFINITY, 0.0f64), |(a, b), s| (a.min(s), b.max(s)));
    let values = train.iter().chain(&validation).map(|p| p.1);
    let (mut y_lo, mut y_hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !(x_lo.is_finite() && x_hi > x_lo && y_lo.is_finite()) {
        (y_lo, y_hi) = (0.0, 1.0);
    }
    let pad = 0.06 * (y_hi - y_lo).max(1e-6);
    let (y_lo, y_hi) = (y_lo - pad, y_hi + pad);
    let (x_lo, x_hi) = if x_hi > x_lo && x_lo > 0.0 {
        (x_lo / 1.15, x_hi * 1.15)
    } else {
        (1.0, 10.0)
    };
    let metric = if log.higher_is_better() {
        "accuracy"
    } else {
        "loss"
    };
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, PANEL).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{title}: {}", analysis.category),
                ("sans-serif", 24),
            )
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(72)
            .build_cartesian_2d((x_lo..x_hi).log_scale(), y_lo..y_hi)
            .map_err(plot_error)?;
        let labels = |v: &f64| format!("{v:.0e}");
        draw_mesh(
            &mut chart,
            "training step (log scale)",
            metric,
            Some(&labels),
        )?;
        let marks = [
            (analysis.memorization, RGBColor(31, 119, 180), "memorized"),
            (
                analysis.generalization,
                RGBColor(255, 127, 14),
                "generalized",
            ),
        ];
        for (transition, color, what) in marks {
            let Some(t) = transition else { continue };
            let (lo, hi) = (t.step_lo.max(x_lo), t.step_hi.min(x_hi));
            if lo < hi {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(lo, y_lo), (hi, y_hi)],
                        color.mix(0.15).filled(),
                    )))
                    .map_err(plot_error)?;
            }
            chart
                .draw_series(LineSeries::new(
                    vec![(t.step, y_lo), (t.step, y_hi)],
                    color.stroke_width(1),
                ))
                .map_err(plot_error)?
                .label(mark_label(what, &t))
                .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 18, py)], color));
        }
        for (points, color, what) in [
            (&train, RGBColor(31, 119, 180), "training"),
            (&validation, RGBColor(255, 127, 14), "validation"),
        ] {
            if points.is_empty() {
                continue;
            }
            chart
                .draw_series(LineSeries::new(
                    points.iter().copied(),
                    color.stroke_width(2),
                ))
                .map_err(plot_error)?
                .label(format!("{what} {metric}"))
                .legend(move |(px, py)| {
                    PathElement::new(vec![(px, py), (px + 18, py)], color.stroke_width(2))
                });
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        root.present().map_err(plot_error)?;
    }
    Ok(out)
}

fn mark_label(what: &str, t: &LearningTransition) -> String {
    format!(
        "{what} at step {:.0} [{:.0}, {:.0}]",
        t.step, t.step_lo, t.step_hi
    )
}

/// A series' positive-step points, averaged into log-spaced bins when there are too many.
fn thin(log: &TrainingLog, value: impl Fn(usize) -> Option<f64>) -> Vec<(f64, f64)> {
    let points: Vec<(f64, f64)> = (0..log.len())
        .filter(|&i| log.steps()[i] > 0.0)
        .filter_map(|i| value(i).map(|v| (log.steps()[i], v)))
        .collect();
    if points.len() <= MAX_POINTS {
        return points;
    }
    let (lo, hi) = (points[0].0.ln(), points[points.len() - 1].0.ln());
    let width = (hi - lo) / MAX_POINTS as f64;
    let mut sums = vec![(0.0, 0.0, 0.0); MAX_POINTS];
    for (s, v) in &points {
        let b = (((s.ln() - lo) / width) as usize).min(MAX_POINTS - 1);
        sums[b].0 += s.ln();
        sums[b].1 += v;
        sums[b].2 += 1.0;
    }
    sums.into_iter()
        .filter(|b| b.2 > 0.0)
        .map(|(t, v, c)| ((t / c).exp(), v / c))
        .collect()
}
