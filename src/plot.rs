//! SVG plots of a classified curve (feature `plot`): the points with their error bars, the fit that
//! represents the answer and the runner-up, the critical scale with its interval (or a turn), and
//! the chance level, on a log-scale axis of parameters. Plotters draws with its SVG backend only, so
//! no system fonts are needed (text is left to the SVG viewer).

use crate::classify::{Classification, Estimate};
use crate::curve::{Axis, Curve};
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// A panel's chart: any x axis over `f64`, a linear y axis.
type Chart<'a, X> =
    ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, plotters::coord::types::RangedCoordf64>>;

/// Size of one panel in pixels (a slide's half-width at 100%).
const PANEL: (u32, u32) = (900, 600);
/// Samples of a fitted line: smooth at any zoom.
const LINE_POINTS: usize = 400;
/// The legend's box as shares of the plotting area: width, height of one entry, padding.
const LEGEND: (f64, f64, f64) = (0.46, 0.065, 0.04);

fn plot_error<E: std::fmt::Display>(e: E) -> Error {
    Error::Plot(e.to_string())
}

/// A short title for a curve.
fn title(curve: &Curve, classification: &Classification) -> String {
    let l = curve.labels();
    let what = [l.model_family.as_deref(), l.task.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" / ");
    let what = if what.is_empty() {
        l.id.clone().unwrap_or_else(|| "curve".to_string())
    } else {
        what
    };
    format!(
        "{what}: {} ({:.2})",
        classification.category, classification.confidence
    )
}

/// A fitted line to draw: its legend label, colour, width and samples.
struct FitLine {
    label: String,
    color: RGBColor,
    width: u32,
    samples: Vec<(f64, f64)>,
}

/// Everything one panel shows, in data coordinates, and the ranges that hold all of it.
struct Panel {
    lines: Vec<FitLine>,
    /// `(x, y, standard error)` of each measurement (0 when the noise is unknown).
    points: Vec<(f64, f64, f64)>,
    x_range: (f64, f64),
    y_range: (f64, f64),
    legend: SeriesLabelPosition,
}

impl Panel {
    fn new(curve: &Curve, classification: &Classification) -> Panel {
        let x = curve.x();
        let (x_lo, x_hi) = (x[0], x[x.len() - 1]);
        let axis = curve.axis();
        let known = curve.noise().is_known();
        let points: Vec<(f64, f64, f64)> = x
            .iter()
            .zip(curve.y())
            .zip(curve.sigma())
            .map(|((x, y), s)| (*x, *y, if known { *s } else { 0.0 }))
            .collect();
        // the representative fit and the best fit of another category (the runner-up)
        let main = classification.representative_fit();
        let runner = classification
            .fits
            .iter()
            .find(|f| main.is_none_or(|m| f.label != m.label));
        let (t_lo, t_hi) = (axis.to_t(x_lo), axis.to_t(x_hi));
        let lines: Vec<FitLine> = [
            (main, RGBColor(31, 119, 180), 3),
            (runner, RGBColor(140, 140, 210), 2),
        ]
        .into_iter()
        .filter_map(|(fit, color, width)| {
            let r = fit?;
            let samples = (0..LINE_POINTS)
                .map(|i| {
                    let t = t_lo + (t_hi - t_lo) * i as f64 / (LINE_POINTS - 1) as f64;
                    (axis.to_x(t), r.fit.predict_t(t))
                })
                .filter(|(_, y)| y.is_finite())
                .collect();
            Some(FitLine {
                label: format!("{} (weight {:.2})", r.label, r.weight),
                color,
                width,
                samples,
            })
        })
        .collect();
        // the y range holds the points with their bars, the chance level and the fitted lines
        // (a line that runs far off, say an extrapolating quadratic, is cut at three data spans)
        let (mut y_lo, mut y_hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (_, y, s) in &points {
            y_lo = y_lo.min(y - s);
            y_hi = y_hi.max(y + s);
        }
        if let Some(c) = curve.chance() {
            y_lo = y_lo.min(c);
            y_hi = y_hi.max(c);
        }
        let data_span = (y_hi - y_lo).max(1e-3 * curve.y_max());
        let (limit_lo, limit_hi) = (y_lo - 3.0 * data_span, y_hi + 3.0 * data_span);
        for line in &lines {
            for (_, y) in &line.samples {
                y_lo = y_lo.min(y.max(limit_lo));
                y_hi = y_hi.max(y.min(limit_hi));
            }
        }
        let pad = 0.06 * (y_hi - y_lo).max(1e-3 * curve.y_max());
        let (y_lo, y_hi) = (y_lo - pad, y_hi + pad);
        let x_range = if x_hi > x_lo {
            (x_lo, x_hi)
        } else {
            (x_lo * 0.9, x_hi * 1.1 + 1.0)
        };
        let mut panel = Panel {
            lines,
            points,
            x_range,
            y_range: (y_lo, y_hi),
            legend: SeriesLabelPosition::UpperLeft,
        };
        let entries = 1
            + panel.lines.len()
            + usize::from(curve.chance().is_some())
            + usize::from(classification.critical_scale.is_some() || classification.turn.is_some());
        panel.place_legend(axis, entries);
        panel
    }

    /// Where a point falls in the plotting area, as shares `(0..1, 0..1)` from the lower left.
    fn share(&self, axis: Axis, (x, y): (f64, f64)) -> (f64, f64) {
        let (x_lo, x_hi) = self.x_range;
        let u = match axis {
            Axis::Log10 => (x.log10() - x_lo.log10()) / (x_hi.log10() - x_lo.log10()),
            Axis::Linear => (x - x_lo) / (x_hi - x_lo),
        };
        let (y_lo, y_hi) = self.y_range;
        (u, (y - y_lo) / (y_hi - y_lo))
    }

    /// Puts the legend in the corner that covers no data; when every corner holds some, raises
    /// the top of the y axis until the upper left corner is empty.
    fn place_legend(&mut self, axis: Axis, entries: usize) {
        let (width, entry, padding) = LEGEND;
        let height = (entries as f64 * entry + padding).min(0.9);
        let corners = [
            (SeriesLabelPosition::UpperLeft, 0.0, 1.0 - height),
            (SeriesLabelPosition::UpperRight, 1.0 - width, 1.0 - height),
            (SeriesLabelPosition::LowerRight, 1.0 - width, 0.0),
            (SeriesLabelPosition::LowerLeft, 0.0, 0.0),
        ];
        let mut samples: Vec<(f64, f64)> = Vec::new();
        for (x, y, s) in &self.points {
            samples.extend([(*x, y - s), (*x, *y), (*x, y + s)]);
        }
        for line in &self.lines {
            samples.extend(&line.samples);
        }
        let shares: Vec<(f64, f64)> = samples.iter().map(|p| self.share(axis, *p)).collect();
        let covered = |(u0, v0): (f64, f64)| {
            shares
                .iter()
                .filter(|(u, v)| {
                    // a margin of a fiftieth around the box: a marker's radius
                    *u >= u0 - 0.02
                        && *u <= u0 + width + 0.02
                        && *v >= v0 - 0.02
                        && *v <= v0 + height + 0.02
                })
                .count()
        };
        if let Some((position, _, _)) = corners.iter().find(|(_, u, v)| covered((*u, *v)) == 0) {
            self.legend = position.clone();
            return;
        }
        // no empty corner: make room above the data (the new top is `height` of the new range)
        let (y_lo, y_hi) = self.y_range;
        let top = shares.iter().map(|(_, v)| *v).fold(0.0, f64::max).min(1.0);
        let needed = (top + 0.03 - (1.0 - height)).max(0.0);
        let range = y_hi - y_lo;
        self.y_range = (
            y_lo,
            y_hi + range * needed / (1.0 - needed - height).max(0.1) + range * 0.02,
        );
        self.legend = SeriesLabelPosition::UpperLeft;
    }
}

/// Draws one classified curve into a drawing area.
fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    curve: &Curve,
    classification: &Classification,
) -> Result<()> {
    area.fill(&WHITE).map_err(plot_error)?;
    let panel = Panel::new(curve, classification);
    let (x_lo, x_hi) = panel.x_range;
    let (y_lo, y_hi) = panel.y_range;
    let caption = title(curve, classification);
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(caption, ("sans-serif", 24))
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(72);
    match curve.axis() {
        Axis::Log10 => {
            let span = (x_hi / x_lo).powf(0.04);
            let mut chart = builder
                .build_cartesian_2d((x_lo / span..x_hi * span).log_scale(), y_lo..y_hi)
                .map_err(plot_error)?;
            let log_labels = |v: &f64| format!("{v:.0e}");
            draw_chart(&mut chart, curve, classification, &panel, Some(&log_labels))
        }
        Axis::Linear => {
            let margin = 0.04 * (x_hi - x_lo);
            let mut chart = builder
                .build_cartesian_2d(x_lo - margin..x_hi + margin, y_lo..y_hi)
                .map_err(plot_error)?;
            draw_chart(&mut chart, curve, classification, &panel, None)
        }
    }
}

/// Mesh, series and legend of a panel, on either kind of x axis.
fn draw_chart<'a, X>(
    chart: &mut Chart<'a, X>,
    curve: &Curve,
    classification: &Classification,
    panel: &Panel,
    x_labels: Option<&dyn Fn(&f64) -> String>,
) -> Result<()>
where
    X: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let x_desc = match curve.axis() {
        Axis::Log10 => "parameters (log scale)",
        Axis::Linear => "scale",
    };
    let metric = curve
        .labels()
        .metric
        .clone()
        .unwrap_or_else(|| "score".into());
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_desc)
        .y_desc(metric)
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", 15))
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.08))
        .y_labels(6);
    if let Some(f) = x_labels {
        mesh.x_label_formatter(f);
    }
    mesh.draw().map_err(plot_error)?;
    draw_content(chart, curve, classification, panel)?;
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 15))
        .position(panel.legend.clone())
        .draw()
        .map_err(plot_error)
}

/// The series of a panel, on either kind of x axis.
fn draw_content<'a, X>(
    chart: &mut Chart<'a, X>,
    curve: &Curve,
    classification: &Classification,
    panel: &Panel,
) -> Result<()>
where
    X: Ranged<ValueType = f64>,
{
    let (x_lo, x_hi) = panel.x_range;
    let (y_lo, y_hi) = panel.y_range;
    // the interval of the critical scale or of the turn, shaded, and its estimate
    let marked: Option<(Estimate, &str)> = classification
        .critical_scale
        .map(|e| (e, "critical scale"))
        .or_else(|| classification.turn.map(|t| (t.location, "turn")));
    if let Some((e, label)) = marked {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(e.lower, y_lo), (e.upper, y_hi)],
                RGBColor(255, 165, 0).mix(0.18).filled(),
            )))
            .map_err(plot_error)?;
        chart
            .draw_series(LineSeries::new(
                vec![(e.value, y_lo), (e.value, y_hi)],
                RGBColor(230, 120, 0).stroke_width(2),
            ))
            .map_err(plot_error)?
            .label(format!("{label} {:.2e}", e.value))
            .legend(|(px, py)| {
                PathElement::new(vec![(px, py), (px + 18, py)], RGBColor(230, 120, 0))
            });
    }
    if let Some(c) = curve.chance() {
        chart
            .draw_series(LineSeries::new(
                vec![(x_lo, c), (x_hi, c)],
                RGBColor(150, 150, 150).stroke_width(1),
            ))
            .map_err(plot_error)?
            .label(format!("chance {c}"))
            .legend(|(px, py)| {
                PathElement::new(vec![(px, py), (px + 18, py)], RGBColor(150, 150, 150))
            });
    }
    for line in &panel.lines {
        let color = line.color;
        let clipped = line.samples.iter().map(|(x, y)| (*x, y.clamp(y_lo, y_hi)));
        chart
            .draw_series(LineSeries::new(clipped, color.stroke_width(line.width)))
            .map_err(plot_error)?
            .label(line.label.clone())
            .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 18, py)], color));
    }
    // the measurements with one-standard-error bars
    chart
        .draw_series(panel.points.iter().map(|(x, y, s)| {
            PathElement::new(vec![(*x, y - s), (*x, y + s)], BLACK.stroke_width(1))
        }))
        .map_err(plot_error)?;
    chart
        .draw_series(
            panel
                .points
                .iter()
                .map(|(x, y, _)| Circle::new((*x, *y), 5, BLACK.filled())),
        )
        .map_err(plot_error)?
        .label("measured")
        .legend(|(px, py)| Circle::new((px + 9, py), 5, BLACK.filled()));
    Ok(())
}

/// The SVG document of one classified curve.
///
/// ```
/// use emergence_detect::{classify, datasets, plot};
/// let c = datasets::gpt_neo_3digit_addition().curve;
/// let svg = plot::render_svg(&c, &classify(&c)?)?;
/// assert!(svg.starts_with("<svg") && svg.contains("critical scale"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn render_svg(curve: &Curve, classification: &Classification) -> Result<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, PANEL).into_drawing_area();
        draw_panel(&root, curve, classification)?;
        root.present().map_err(plot_error)?;
    }
    Ok(out)
}

/// Writes the SVG of one classified curve to `path`.
///
/// # Errors
/// [`Error::Plot`] when drawing fails, [`Error::Io`] when writing does.
///
/// ```
/// use emergence_detect::{classify, datasets, plot};
/// let c = datasets::qwen15_mmlu().curve;
/// let path = std::env::temp_dir().join("emergence-write-svg-doc.svg");
/// plot::write_svg(&c, &classify(&c)?, &path)?;
/// assert!(std::fs::read_to_string(&path).unwrap().starts_with("<svg"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn write_svg(
    curve: &Curve,
    classification: &Classification,
    path: impl AsRef<Path>,
) -> Result<()> {
    let svg = render_svg(curve, classification)?;
    std::fs::write(path.as_ref(), svg)
        .map_err(|e| Error::io(path.as_ref().display().to_string(), e))
}

/// The SVG document of many classified curves in a grid with `columns` panels per row.
///
/// ```
/// use emergence_detect::{classify, datasets, plot};
/// let curves: Vec<_> = datasets::showcase().into_iter().map(|p| p.curve).collect();
/// let results = curves.iter().map(classify).collect::<Result<Vec<_>, _>>()?;
/// let items: Vec<_> = curves.iter().zip(&results).collect();
/// let svg = plot::render_grid_svg(&items, 3)?;
/// assert!(svg.starts_with("<svg"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn render_grid_svg(items: &[(&Curve, &Classification)], columns: usize) -> Result<String> {
    let columns = columns.clamp(1, items.len().max(1));
    let rows = items.len().div_ceil(columns).max(1);
    let mut out = String::new();
    {
        let root =
            SVGBackend::with_string(&mut out, (PANEL.0 * columns as u32, PANEL.1 * rows as u32))
                .into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let areas = root.split_evenly((rows, columns));
        for (area, (curve, classification)) in areas.iter().zip(items) {
            draw_panel(area, curve, classification)?;
        }
        root.present().map_err(plot_error)?;
    }
    Ok(out)
}

/// Writes a grid of classified curves to `path` (see [`render_grid_svg`]).
///
/// # Errors
/// [`Error::Plot`] when drawing fails, [`Error::Io`] when writing does.
///
/// ```
/// use emergence_detect::{classify, datasets, plot};
/// let a = datasets::qwen15_mmlu().curve;
/// let b = datasets::gpt_neo_truthfulqa().curve;
/// let (ra, rb) = (classify(&a)?, classify(&b)?);
/// let path = std::env::temp_dir().join("emergence-grid-doc.svg");
/// plot::write_grid_svg(&[(&a, &ra), (&b, &rb)], 2, &path)?;
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn write_grid_svg(
    items: &[(&Curve, &Classification)],
    columns: usize,
    path: impl AsRef<Path>,
) -> Result<()> {
    let svg = render_grid_svg(items, columns)?;
    std::fs::write(path.as_ref(), svg)
        .map_err(|e| Error::io(path.as_ref().display().to_string(), e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::classify;
    use crate::datasets;

    /// The share of samples inside the legend's box at `panel.legend`.
    fn covered(panel: &Panel, axis: Axis, entries: usize) -> usize {
        let (width, entry, padding) = LEGEND;
        let height = entries as f64 * entry + padding;
        let (u0, v0) = match panel.legend {
            SeriesLabelPosition::UpperLeft => (0.0, 1.0 - height),
            SeriesLabelPosition::UpperRight => (1.0 - width, 1.0 - height),
            SeriesLabelPosition::LowerRight => (1.0 - width, 0.0),
            _ => (0.0, 0.0),
        };
        let mut samples: Vec<(f64, f64)> = panel.points.iter().map(|(x, y, _)| (*x, *y)).collect();
        for line in &panel.lines {
            samples.extend(&line.samples);
        }
        samples
            .iter()
            .map(|p| panel.share(axis, *p))
            .filter(|(u, v)| *u >= u0 && *u <= u0 + width && *v >= v0 && *v <= v0 + height)
            .count()
    }

    #[test]
    fn the_legend_covers_no_data_and_the_y_range_holds_the_fits() {
        for published in datasets::showcase() {
            let curve = &published.curve;
            let c = classify(curve).unwrap();
            let panel = Panel::new(curve, &c);
            let entries = 1
                + panel.lines.len()
                + usize::from(curve.chance().is_some())
                + usize::from(c.critical_scale.is_some() || c.turn.is_some());
            assert_eq!(
                covered(&panel, curve.axis(), entries),
                0,
                "{}",
                published.name
            );
            let (y_lo, y_hi) = panel.y_range;
            for line in &panel.lines {
                for (_, y) in &line.samples {
                    assert!(*y >= y_lo && *y <= y_hi, "{}: {y} outside", published.name);
                }
            }
        }
    }

    #[test]
    fn with_data_in_every_corner_the_axis_makes_room_above() {
        // a zigzag that touches all four corners
        let x = vec![1e8, 1e9, 1e10, 1e11, 1e12, 1e13];
        let y = vec![0.9, 0.1, 0.9, 0.1, 0.9, 0.1];
        let curve = Curve::builder(x, y).build().unwrap();
        let c = classify(&curve).unwrap();
        let panel = Panel::new(&curve, &c);
        let entries = 1 + panel.lines.len();
        assert_eq!(covered(&panel, curve.axis(), entries), 0);
        assert!(panel.y_range.1 > 0.95);
    }
}
