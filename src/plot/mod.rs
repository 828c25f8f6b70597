//! SVG plots of a classified curve (feature `plot`): the points with their error bars, the fit that
//! represents the answer and the runner-up, the critical scale with its interval (or a turn), and
//! the chance level, on a log-scale axis of parameters. Plotters draws with its SVG backend only, so
//! no system fonts are needed (text is left to the SVG viewer).

use crate::classify::{Classification, Estimate};
use crate::compare::Comparison;
use crate::curve::{Axis, Curve};
use crate::difficulty::Decomposition;
use crate::error::{Error, Result};
use crate::forecast::Forecast;
use crate::training::{TrainingAnalysis, TrainingLog};
use panel::Panel;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

mod difficulty_panel;
mod forecast_panel;
mod panel;
mod training_panel;

/// A panel's chart: any x axis over `f64`, a linear y axis.
type Chart<'a, X> =
    ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, plotters::coord::types::RangedCoordf64>>;

/// Size of one panel in pixels (a slide's half-width at 100%).
const PANEL: (u32, u32) = (900, 600);

fn plot_error<E: std::fmt::Display>(e: E) -> Error {
    Error::Plot(e.to_string())
}

/// A number with at most four significant digits and no trailing zeros (1/3 is "0.3333").
fn short_number(v: f64) -> String {
    let text = format!("{v:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" {
        "0".to_string()
    } else {
        text.to_string()
    }
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
    let scale = curve.labels().scale.as_deref().unwrap_or("parameters");
    let x_desc = match curve.axis() {
        Axis::Log10 => format!("{scale} (log scale)"),
        Axis::Linear => scale.to_string(),
    };
    let metric = curve
        .labels()
        .metric
        .clone()
        .unwrap_or_else(|| "score".into());
    draw_mesh(chart, &x_desc, &metric, x_labels)?;
    draw_content(chart, curve, classification, panel)?;
    draw_legend(chart, panel.legend.clone())
}

/// The legend of a chart, in the style of every plot of the crate.
fn draw_legend<'a, X>(chart: &mut Chart<'a, X>, position: SeriesLabelPosition) -> Result<()>
where
    X: Ranged<ValueType = f64>,
{
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 15))
        .position(position)
        .draw()
        .map_err(plot_error)
}

/// The axes and light grid of a chart, in the style of every plot of the crate.
fn draw_mesh<'a, X>(
    chart: &mut Chart<'a, X>,
    x_desc: &str,
    y_desc: &str,
    x_labels: Option<&dyn Fn(&f64) -> String>,
) -> Result<()>
where
    X: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
{
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(("sans-serif", 18))
        .label_style(("sans-serif", 15))
        .light_line_style(TRANSPARENT)
        .bold_line_style(BLACK.mix(0.08))
        .x_labels(6)
        .y_labels(6);
    if let Some(f) = x_labels {
        mesh.x_label_formatter(f);
    }
    mesh.draw().map_err(plot_error)
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
            .label(format!("chance {}", short_number(c)))
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

/// The SVG document of a comparison: the baseline, the treatment and the gain between them
/// (treatment minus baseline, with its own fit and critical scale), side by side.
///
/// ```
/// use emergence_detect::{compare, plot, Curve};
/// let x = vec![1e8, 1e9, 1e10, 1e11, 1e12];
/// let zero = Curve::builder(x.clone(), vec![0.26; 5]).n_examples(vec![1000.0; 5]).chance(0.25).build()?;
/// let few = Curve::builder(x, vec![0.26, 0.27, 0.3, 0.62, 0.8]).n_examples(vec![1000.0; 5]).chance(0.25).build()?;
/// let c = compare(&zero, &few)?;
/// let svg = plot::render_comparison_svg(&zero, &few, &c)?;
/// assert!(svg.starts_with("<svg") && svg.contains("gain"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn render_comparison_svg(
    baseline: &Curve,
    treatment: &Curve,
    comparison: &Comparison,
) -> Result<String> {
    render_grid_svg(
        &[
            (baseline, &comparison.baseline),
            (treatment, &comparison.treatment),
            (comparison.gain_curve(), &comparison.gain_classification),
        ],
        3,
    )
}

/// Writes the SVG of a comparison to `path` (see [`render_comparison_svg`]).
///
/// # Errors
/// [`Error::Plot`] when drawing fails, [`Error::Io`] when writing does.
///
/// ```
/// use emergence_detect::{compare, plot, Curve};
/// let x = vec![1e8, 1e9, 1e10, 1e11];
/// let a = Curve::builder(x.clone(), vec![0.3; 4]).n_examples(vec![500.0; 4]).build()?;
/// let b = Curve::builder(x, vec![0.3, 0.35, 0.45, 0.6]).n_examples(vec![500.0; 4]).build()?;
/// let path = std::env::temp_dir().join("emergence-comparison-doc.svg");
/// plot::write_comparison_svg(&a, &b, &compare(&a, &b)?, &path)?;
/// assert!(std::fs::read_to_string(&path).unwrap().starts_with("<svg"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn write_comparison_svg(
    baseline: &Curve,
    treatment: &Curve,
    comparison: &Comparison,
    path: impl AsRef<Path>,
) -> Result<()> {
    let svg = render_comparison_svg(baseline, treatment, comparison)?;
    std::fs::write(path.as_ref(), svg)
        .map_err(|e| Error::io(path.as_ref().display().to_string(), e))
}

/// The SVG document of a forecast of `curve` (the curve the forecast was made from): the measured
/// points, the forecast with its prediction band out to the largest forecast scale, the
/// threshold when one was asked for, and `hidden` measurements the forecast did not see
/// (`(x, y)` pairs, e.g. in a backtest).
///
/// ```
/// use emergence_detect::{forecast, plot, Curve};
/// let c = Curve::builder(vec![1e8, 1e9, 1e10, 1e11], vec![0.30, 0.40, 0.50, 0.60])
///     .n_examples(vec![2000.0; 4]).build()?;
/// let f = forecast(&c, &[1e12])?;
/// let svg = plot::render_forecast_svg(&c, &f, &[(1e12, 0.68)])?;
/// assert!(svg.starts_with("<svg") && svg.contains("prediction band"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn render_forecast_svg(
    curve: &Curve,
    forecast: &Forecast,
    hidden: &[(f64, f64)],
) -> Result<String> {
    forecast_panel::render(curve, forecast, hidden)
}

/// Writes the SVG of a forecast to `path` (see [`render_forecast_svg`]).
///
/// # Errors
/// [`Error::Plot`] when drawing fails, [`Error::Io`] when writing does.
///
/// ```
/// use emergence_detect::{forecast, plot, Curve};
/// let c = Curve::builder(vec![1e8, 1e9, 1e10, 1e11], vec![0.30, 0.40, 0.50, 0.60])
///     .n_examples(vec![2000.0; 4]).build()?;
/// let path = std::env::temp_dir().join("emergence-forecast-doc.svg");
/// plot::write_forecast_svg(&c, &forecast(&c, &[1e12])?, &[], &path)?;
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn write_forecast_svg(
    curve: &Curve,
    forecast: &Forecast,
    hidden: &[(f64, f64)],
    path: impl AsRef<Path>,
) -> Result<()> {
    let svg = render_forecast_svg(curve, forecast, hidden)?;
    std::fs::write(path.as_ref(), svg)
        .map_err(|e| Error::io(path.as_ref().display().to_string(), e))
}

/// The SVG document of a training run: the training and validation metric against the step (log
/// axis), with the memorization and generalization steps marked and their intervals shaded.
///
/// ```
/// use emergence_detect::{plot, training::{analyze_training, TrainingLog}};
/// let steps: Vec<f64> = (1..=2000).map(f64::from).collect();
/// let s = |mid: f64| -> Vec<f64> {
///     steps.iter().map(|x| 1.0 / (1.0 + (-6.0 * (x.log10() - mid)).exp())).collect()
/// };
/// let log = TrainingLog::builder(steps.clone()).train(s(1.0)).validation(s(2.8)).build()?;
/// let svg = plot::render_training_svg(&log, &analyze_training(&log)?, "demo")?;
/// assert!(svg.starts_with("<svg") && svg.contains("generalized at step"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn render_training_svg(
    log: &TrainingLog,
    analysis: &TrainingAnalysis,
    title: &str,
) -> Result<String> {
    training_panel::render(log, analysis, title)
}

/// Writes the SVG of a training run to `path` (see [`render_training_svg`]).
///
/// # Errors
/// [`Error::Plot`] when drawing fails, [`Error::Io`] when writing does.
///
/// ```
/// use emergence_detect::{plot, training::{analyze_training, TrainingLog}};
/// let steps: Vec<f64> = (1..=500).map(f64::from).collect();
/// let train: Vec<f64> = steps.iter().map(|s| (s / 20.0).min(1.0)).collect();
/// let log = TrainingLog::builder(steps).train(train).validation(vec![0.0; 500]).build()?;
/// let path = std::env::temp_dir().join("emergence-training-doc.svg");
/// plot::write_training_svg(&log, &analyze_training(&log)?, "no generalization", &path)?;
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn write_training_svg(
    log: &TrainingLog,
    analysis: &TrainingAnalysis,
    title: &str,
    path: impl AsRef<Path>,
) -> Result<()> {
    let svg = render_training_svg(log, analysis, title)?;
    std::fs::write(path.as_ref(), svg)
        .map_err(|e| Error::io(path.as_ref().display().to_string(), e))
}

/// The SVG document of a difficulty decomposition: the groups' curves from the easiest (red) to
/// the hardest (blue), with the end of the overall flat phase and the turn of the declining
/// groups marked, beside the overall curve with its classification.
///
/// ```
/// use emergence_detect::{datasets, difficulty::difficulty_decomposition, plot};
/// let task = datasets::wu_lo_mmlu();
/// let d = difficulty_decomposition(&task.groups, &task.overall)?;
/// let svg = plot::render_difficulty_svg(&task.groups, &task.overall, &d)?;
/// assert!(svg.starts_with("<svg") && svg.contains("easiest"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn render_difficulty_svg(
    groups: &[Curve],
    overall: &Curve,
    decomposition: &Decomposition,
) -> Result<String> {
    difficulty_panel::render(groups, overall, decomposition)
}

/// Writes the SVG of a difficulty decomposition to `path` (see [`render_difficulty_svg`]).
///
/// # Errors
/// [`Error::Plot`] when drawing fails, [`Error::Io`] when writing does.
///
/// ```
/// use emergence_detect::{datasets, difficulty::difficulty_decomposition, plot};
/// let task = datasets::wu_lo_arithmetic();
/// let d = difficulty_decomposition(&task.groups, &task.overall)?;
/// let path = std::env::temp_dir().join("emergence-difficulty-doc.svg");
/// plot::write_difficulty_svg(&task.groups, &task.overall, &d, &path)?;
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn write_difficulty_svg(
    groups: &[Curve],
    overall: &Curve,
    decomposition: &Decomposition,
    path: impl AsRef<Path>,
) -> Result<()> {
    let svg = render_difficulty_svg(groups, overall, decomposition)?;
    std::fs::write(path.as_ref(), svg)
        .map_err(|e| Error::io(path.as_ref().display().to_string(), e))
}
