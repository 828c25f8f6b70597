//! The layout of one panel: what it shows (the measurements, the representative fit and the
//! runner-up) in data coordinates, the ranges that hold all of it, and where the legend goes so
//! that it covers no data.

use crate::classify::Classification;
use crate::curve::{Axis, Curve};
use plotters::prelude::{RGBColor, SeriesLabelPosition};

/// Samples of a fitted line: smooth at any zoom.
const LINE_POINTS: usize = 400;

/// The legend's box as shares of the plotting area: width, height of one entry, padding.
pub(super) const LEGEND: (f64, f64, f64) = (0.46, 0.065, 0.04);

/// A fitted line to draw: its legend label, colour, width and samples.
pub(super) struct FitLine {
    pub(super) label: String,
    pub(super) color: RGBColor,
    pub(super) width: u32,
    pub(super) samples: Vec<(f64, f64)>,
}

/// Everything one panel shows, in data coordinates, and the ranges that hold all of it.
pub(super) struct Panel {
    pub(super) lines: Vec<FitLine>,
    /// `(x, y, standard error)` of each measurement (0 when the noise is unknown).
    pub(super) points: Vec<(f64, f64, f64)>,
    pub(super) x_range: (f64, f64),
    pub(super) y_range: (f64, f64),
    pub(super) legend: SeriesLabelPosition,
}

impl Panel {
    pub(super) fn new(curve: &Curve, classification: &Classification) -> Panel {
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
    pub(super) fn share(&self, axis: Axis, (x, y): (f64, f64)) -> (f64, f64) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::classify;
    use crate::curve::{Axis, Curve};
    use crate::datasets;
    use plotters::prelude::SeriesLabelPosition;

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
