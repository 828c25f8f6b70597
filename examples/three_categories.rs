//! The three categories of scaling behaviour on real curves: smooth scaling, emergence, a U shape; plus inverse
//! scaling, an inverted U, and chain-of-thought changing how a task scales.
//!
//! ```text
//! cargo run --release --all-features --example three_categories [-- OUT_DIR]
//! ```
//!
//! Classifies the curves embedded in `emergence_detect::datasets` (each with its source; the U shape
//! is synthetic, built from a published description) and, with the `plot` feature, writes one SVG
//! per curve and a grid of all of them into `OUT_DIR` (default `out/`).

use emergence_detect::datasets::{self, PublishedCurve};
use emergence_detect::{Category, Classification, classify};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args().nth(1).unwrap_or_else(|| "out".to_string());
    let curves = datasets::showcase();
    let mut results: Vec<(PublishedCurve, Classification)> = Vec::new();
    for item in curves {
        let c = classify(&item.curve)?;
        let l = item.curve.labels();
        println!(
            "=== {} / {}{}",
            l.model_family.as_deref().unwrap_or("?"),
            l.task.as_deref().unwrap_or("?"),
            if item.synthetic { "  [SYNTHETIC]" } else { "" }
        );
        println!("source: {}", item.source);
        let points: Vec<String> = item
            .curve
            .x()
            .iter()
            .zip(item.curve.y())
            .map(|(x, y)| format!("{x:.2e}:{y:.3}"))
            .collect();
        println!("points: {}", points.join("  "));
        print!("{c}");
        println!();
        results.push((item, c));
    }
    let find = |name: &str| {
        results
            .iter()
            .find(|(p, _)| p.name == name)
            .map(|(_, c)| c.category)
    };
    if let (Some(direct), Some(cot)) = (
        find("llama_bbh_multistep_arithmetic_direct"),
        find("llama_bbh_multistep_arithmetic_cot"),
    ) {
        println!(
            "chain of thought: LLaMA on BBH multistep arithmetic is {direct} with direct prompting and {cot} with chain-of-thought prompting{}",
            if direct != cot {
                " (chain of thought changes how the task scales)"
            } else {
                ""
            }
        );
    }
    let tally = |cat: Category| results.iter().filter(|(_, c)| c.category == cat).count();
    println!(
        "summary: {} scaling, {} emergent, {} u_shaped, {} inverse, {} inverted_u, {} flat",
        tally(Category::Scaling),
        tally(Category::Emergent),
        tally(Category::UShaped),
        tally(Category::InverseScaling),
        tally(Category::InvertedU),
        tally(Category::Flat)
    );
    write_plots(&out_dir, &results)?;
    Ok(())
}

#[cfg(feature = "plot")]
fn write_plots(
    out_dir: &str,
    results: &[(PublishedCurve, Classification)],
) -> Result<(), Box<dyn std::error::Error>> {
    use emergence_detect::plot;
    std::fs::create_dir_all(out_dir)?;
    for (p, c) in results {
        let path = format!("{out_dir}/{}.svg", p.name);
        plot::write_svg(&p.curve, c, &path)?;
        println!("wrote {path}");
    }
    let items: Vec<_> = results.iter().map(|(p, c)| (&p.curve, c)).collect();
    let grid = format!("{out_dir}/three_categories_grid.svg");
    plot::write_grid_svg(&items, 3, &grid)?;
    println!("wrote {grid}");
    Ok(())
}

#[cfg(not(feature = "plot"))]
fn write_plots(
    _out_dir: &str,
    _results: &[(PublishedCurve, Classification)],
) -> Result<(), Box<dyn std::error::Error>> {
    println!("(build with --features plot to write SVG plots)");
    Ok(())
}
