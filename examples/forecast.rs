//! Forecasting on published curves whose largest model the forecast does not see: the prediction
//! with its 90% interval against the measured score, the scale at which the score is predicted to
//! cross a threshold, and a curve that sits at chance and is therefore not predictable.
//!
//! ```bash
//! cargo run --release --all-features --example forecast [OUT_DIR]
//! ```

use emergence_detect::datasets::{self, PublishedCurve};
use emergence_detect::{Curve, DefaultClassifier, Forecast, ForecastOptions, forecast_with};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args().nth(1).unwrap_or_else(|| "out".to_string());
    let classifier = DefaultClassifier::default();
    let cases = [
        // a steady knowledge task: does the fit of 0.5B-72B predict 110B?
        (datasets::qwen15_mmlu(), 1, Some(0.75)),
        // chain of thought on BBH tracking shuffled objects: 0.5B-32B seen, 72B hidden
        (datasets::qwen15_tracking_three_cot(), 1, Some(0.7)),
        // an emergent jump seen at 6B: what does 20B score?
        (datasets::gpt_neo_3digit_addition(), 1, None),
        // every size at chance: nothing says where it will emerge
        (datasets::llama_multistep_arithmetic_direct(), 0, Some(0.2)),
    ];
    let mut plots = Vec::new();
    for (published, hide, threshold) in cases {
        let full = &published.curve;
        let seen = first(full, full.len() - hide)?;
        let hidden: Vec<(f64, f64)> = full.x()[full.len() - hide..]
            .iter()
            .copied()
            .zip(full.y()[full.len() - hide..].iter().copied())
            .collect();
        let mut at: Vec<f64> = hidden.iter().map(|h| h.0).collect();
        if at.is_empty() {
            at.push(10.0 * full.x()[full.len() - 1]);
        }
        let mut options = ForecastOptions::default();
        if let Some(y) = threshold {
            options = options.threshold(y);
        }
        let f = forecast_with(&classifier, &seen, &at, &options)?;
        println!("== {} (source: {})", published.name, published.source);
        print!("{f}");
        for (x, y) in &hidden {
            println!("  measured at {x:.3e}: {y:.3}");
        }
        println!();
        plots.push((published, seen, f, hidden));
    }
    write_plots(&out_dir, &plots)?;
    Ok(())
}

/// The first `n` points of a curve, with its noise, chance level and labels.
fn first(curve: &Curve, n: usize) -> Result<Curve, emergence_detect::Error> {
    let mut b = Curve::builder(curve.x()[..n].to_vec(), curve.y()[..n].to_vec())
        .labels(curve.labels().clone())
        .y_max(curve.y_max());
    if let Some(c) = curve.chance() {
        b = b.chance(c);
    }
    if let Some(m) = curve.n_examples() {
        b = b.n_examples(m[..n].to_vec());
    }
    b.build()
}

type Case = (PublishedCurve, Curve, Forecast, Vec<(f64, f64)>);

#[cfg(feature = "plot")]
fn write_plots(out_dir: &str, plots: &[Case]) -> Result<(), Box<dyn std::error::Error>> {
    use emergence_detect::plot;
    std::fs::create_dir_all(out_dir)?;
    for (published, seen, f, hidden) in plots {
        let path = format!("{out_dir}/forecast_{}.svg", published.name);
        plot::write_forecast_svg(seen, f, hidden, &path)?;
        println!("wrote {path}");
    }
    Ok(())
}

#[cfg(not(feature = "plot"))]
fn write_plots(_out_dir: &str, _plots: &[Case]) -> Result<(), Box<dyn std::error::Error>> {
    println!("(build with --features plot to write SVG plots)");
    Ok(())
}
