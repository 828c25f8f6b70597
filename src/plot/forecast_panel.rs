//! The forecast plot: the measured points, the model-averaged forecast with its prediction band
//! from the smallest measured scale to the largest forecast one, the points the forecast did not
//! see (when known), and the threshold crossing.

use super::{Chart, PANEL, draw_legend, draw_mesh, plot_error, short_number};
use crate::curve::{Axis, Curve};
use crate::error::Result;
use crate::forecast::Forecast;
use plotters::prelude::*;

/// The SVG document of a forecast (see [`super::render_forecast_svg`]).
pub(super) fn render(curve: &Curve, forecast: &Forecast, hidden: &[(f64, f64)]) -> Result<String> {
    let x_lo = curve.x()[0];
    let x_hi = forecast
        .predictions
        .iter()
        .map(|p| p.x)
        .chain(hidden.iter().map(|h| h.0))
        .chain(forecast.threshold.and_then(|t| t.x_upper.or(t.x)))
        .fold(curve.x()[curve.len() - 1], f64::max);
    // the band on a grid of the axis
    let axis = curve.axis();
    let (t_lo, t_hi) = (axis.to_t(x_lo), axis.to_t(x_hi));
    let band: Vec<(f64, f64, f64, f64)> = (0..=200)
        .filter_map(|k| {
            let x = axis.to_x(t_lo + (t_hi - t_lo) * k as f64 / 200.0);
            forecast.at(x).map(|(m, lo, hi)| (x, m, lo, hi))
        })
        .collect();
    let ys = curve
        .y()
        .iter()
        .copied()
        .chain(hidden.iter().map(|h| h.1))
        .chain(band.iter().flat_map(|b| [b.2, b.3]));
    let (mut y_lo, mut y_hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
        (a.min(y), b.max(y))
    });
    let pad = 0.06 * (y_hi - y_lo).max(1e-6);
    y_lo -= pad;
    y_hi += pad;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, PANEL).into_drawing_area();
        root.fill(&WHITE).map_err(plot_error)?;
        let caption = format!(
            "forecast: {} ({:.2}), {:.0}% prediction band",
            forecast.classification.category,
            forecast.classification.confidence,
            100.0 * forecast.level
        );
        let mut builder = ChartBuilder::on(&root);
        builder
            .caption(caption, ("sans-serif", 24))
            .margin(16)
            .x_label_area_size(56)
            .y_label_area_size(72);
        let content = Content {
            curve,
            band: &band,
            hidden,
            forecast,
            x_range: (x_lo, x_hi),
            y_range: (y_lo, y_hi),
        };
        match axis {
            Axis::Log10 => {
                let span = (x_hi / x_lo).powf(0.04);
                let mut chart = builder
                    .build_cartesian_2d((x_lo / span..x_hi * span).log_scale(), y_lo..y_hi)
                    .map_err(plot_error)?;
                let labels = |v: &f64| format!("{v:.0e}");
                let scale = curve.labels().scale.as_deref().unwrap_or("parameters");
                content.draw(&mut chart, &format!("{scale} (log scale)"), Some(&labels))?;
            }
            Axis::Linear => {
                let margin = 0.04 * (x_hi - x_lo);
                let mut chart = builder
                    .build_cartesian_2d(x_lo - margin..x_hi + margin, y_lo..y_hi)
                    .map_err(plot_error)?;
                content.draw(&mut chart, "scale", None)?;
            }
        }
        root.present().map_err(plot_error)?;
    }
    Ok(out)
}

/// What a forecast plot shows.
struct Content<'c> {
    curve: &'c Curve,
    band: &'c [(f64, f64, f64, f64)],
    hidden: &'c [(f64, f64)],
    forecast: &'c Forecast,
    x_range: (f64, f64),
    y_range: (f64, f64),
}

impl Content<'_> {
    fn draw<'a, X>(
        &self,
        chart: &mut Chart<'a, X>,
        x_desc: &str,
        x_labels: Option<&dyn Fn(&f64) -> String>,
    ) -> Result<()>
    where
        X: Ranged<ValueType = f64> + plotters::coord::ranged1d::ValueFormatter<f64>,
    {
        let metric = self
            .curve
            .labels()
            .metric
            .clone()
            .unwrap_or_else(|| "score".into());
        draw_mesh(chart, x_desc, &metric, x_labels)?;
        let (x_lo, x_hi) = self.x_range;
        let blue = RGBColor(31, 119, 180);
        if !self.band.is_empty() {
            let polygon: Vec<(f64, f64)> = self
                .band
                .iter()
                .map(|b| (b.0, b.3))
                .chain(self.band.iter().rev().map(|b| (b.0, b.2)))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(
                    polygon,
                    blue.mix(0.15).filled(),
                )))
                .map_err(plot_error)?
                .label(format!(
                    "{:.0}% prediction band",
                    100.0 * self.forecast.level
                ))
                .legend(move |(px, py)| {
                    Rectangle::new([(px, py - 5), (px + 18, py + 5)], blue.mix(0.15).filled())
                });
            chart
                .draw_series(LineSeries::new(
                    self.band.iter().map(|b| (b.0, b.1)),
                    blue.stroke_width(2),
                ))
                .map_err(plot_error)?
                .label("forecast (families averaged)")
                .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 18, py)], blue));
        }
        if let Some(c) = self.curve.chance() {
            let grey = RGBColor(150, 150, 150);
            chart
                .draw_series(LineSeries::new(
                    vec![(x_lo, c), (x_hi, c)],
                    grey.stroke_width(1),
                ))
                .map_err(plot_error)?
                .label(format!("chance {}", short_number(c)))
                .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 18, py)], grey));
        }
        if let Some(t) = self.forecast.threshold {
            let green = RGBColor(44, 160, 44);
            chart
                .draw_series(LineSeries::new(
                    vec![(x_lo, t.score), (x_hi, t.score)],
                    green.stroke_width(1),
                ))
                .map_err(plot_error)?
                .label(match t.x {
                    Some(x) => format!("threshold {}: reached at {x:.2e}", short_number(t.score)),
                    None => format!("threshold {}", short_number(t.score)),
                })
                .legend(move |(px, py)| PathElement::new(vec![(px, py), (px + 18, py)], green));
        }
        let (y_lo, y_hi) = self.y_range;
        let visible = self.curve.x().iter().zip(self.curve.y());
        chart
            .draw_series(
                visible.map(|(x, y)| Circle::new((*x, y.clamp(y_lo, y_hi)), 5, BLACK.filled())),
            )
            .map_err(plot_error)?
            .label("measured, seen by the forecast")
            .legend(|(px, py)| Circle::new((px + 9, py), 5, BLACK.filled()));
        if !self.hidden.is_empty() {
            let red = RGBColor(214, 39, 40);
            chart
                .draw_series(
                    self.hidden.iter().map(|(x, y)| {
                        Cross::new((*x, y.clamp(y_lo, y_hi)), 7, red.stroke_width(3))
                    }),
                )
                .map_err(plot_error)?
                .label("measured, hidden from it")
                .legend(move |(px, py)| Cross::new((px + 9, py), 6, red.stroke_width(3)));
        }
        draw_legend(chart, SeriesLabelPosition::UpperLeft)
    }
}
