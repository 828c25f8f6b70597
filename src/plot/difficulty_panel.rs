//! The difficulty-decomposition plot: on the left the groups' curves, coloured from the easiest
//! (red) to the hardest (blue), with the end of the overall curve's flat phase and the turn of
//! the declining groups marked; on the right the overall curve with its classification.

use super::{PANEL, draw_legend, draw_mesh, draw_panel, plot_error};
use crate::curve::Curve;
use crate::difficulty::Decomposition;
use crate::error::Result;
use plotters::prelude::*;

/// The SVG document of a decomposition (see [`super::render_difficulty_svg`]).
pub(super) fn render(
    groups: &[Curve],
    overall: &Curve,
    decomposition: &Decomposition,
) -> Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (PANEL.0 * 2, PANEL.1)).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let (left, right) = root.split_horizontally(PANEL.0);
        draw_groups(&left, groups, decomposition)?;
        draw_panel(&right, overall, &decomposition.overall)?;
        root.present().map_err(plot_error)?;
    }
    Ok(out)
}

/// The colour of group `i` of `n`: red for the easiest, blue for the hardest.
fn colour(i: usize, n: usize) -> RGBColor {
    let f = if n > 1 {
        i as f64 / (n - 1) as f64
    } else {
        0.0
    };
    let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
    RGBColor(mix(214.0, 31.0), mix(39.0, 119.0), mix(40.0, 180.0))
}

fn draw_groups(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    groups: &[Curve],
    d: &Decomposition,
) -> Result<()> {
    let xs = groups.iter().flat_map(|g| g.x().iter().copied());
    let (x_lo, x_hi) = xs.fold((f64::INFINITY, 0.0f64), |(a, b), x| (a.min(x), b.max(x)));
    let ys = groups.iter().flat_map(|g| g.y().iter().copied());
    let (y_lo, y_hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
        (a.min(y), b.max(y))
    });
    if !(x_lo > 0.0 && x_hi > x_lo && y_hi >= y_lo) {
        return Ok(());
    }
    let pad = 0.05 * (y_hi - y_lo).max(1e-6);
    let span = (x_hi / x_lo).powf(0.04);
    let metric = groups[0]
        .labels()
        .metric
        .clone()
        .unwrap_or_else(|| "score".into());
    let scale = groups[0]
        .labels()
        .scale
        .clone()
        .unwrap_or_else(|| "parameters".into());
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("difficulty groups: {}", d.verdict),
            ("sans-serif", 24),
        )
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(72)
        .build_cartesian_2d(
            (x_lo / span..x_hi * span).log_scale(),
            (y_lo - pad)..(y_hi + pad),
        )
        .map_err(plot_error)?;
    let labels = |v: &f64| format!("{v:.0e}");
    let direction = if groups[0].higher_is_better() {
        "higher is better"
    } else {
        "lower is better"
    };
    draw_mesh(
        &mut chart,
        &format!("{scale} (log scale)"),
        &format!("{metric} ({direction})"),
        Some(&labels),
    )?;
    let n = groups.len();
    for (i, g) in groups.iter().enumerate() {
        let c = colour(i, n);
        // the points, and a line through the mean at each scale
        let mut means: Vec<(f64, f64, f64)> = Vec::new();
        for (&x, &y) in g.x().iter().zip(g.y()) {
            match means.last_mut() {
                Some(last) if last.0 == x => {
                    last.1 += y;
                    last.2 += 1.0;
                }
                _ => means.push((x, y, 1.0)),
            }
        }
        chart
            .draw_series(
                g.x()
                    .iter()
                    .zip(g.y())
                    .map(|(x, y)| Circle::new((*x, *y), 2, c.mix(0.6).filled())),
            )
            .map_err(plot_error)?;
        let series = chart
            .draw_series(LineSeries::new(
                means.iter().map(|m| (m.0, m.1 / m.2)),
                c.stroke_width(1),
            ))
            .map_err(plot_error)?;
        if i == 0 || i + 1 == n {
            let what = if i == 0 { "easiest" } else { "hardest" };
            let category = d
                .groups
                .get(i)
                .map_or("", |r| r.classification.category.as_str());
            series
                .label(format!("group {} ({what}): {category}", i + 1))
                .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 18, py)], c));
        }
    }
    let grey = RGBColor(90, 90, 90);
    let marks = [
        (d.flat_phase_end, "end of the overall flat phase"),
        (d.offset_ends, "declining groups turn back"),
    ];
    for (x, what) in marks {
        let Some(x) = x else { continue };
        chart
            .draw_series(DashedLineSeries::new(
                vec![(x, y_lo - pad), (x, y_hi + pad)],
                6,
                4,
                grey.stroke_width(1),
            ))
            .map_err(plot_error)?
            .label(format!("{what}: {x:.2e}"))
            .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 18, py)], grey));
    }
    draw_legend(&mut chart, SeriesLabelPosition::UpperRight)
}
