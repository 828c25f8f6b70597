//! Prompting as an emergent ability: compares a baseline and a treatment prompt on published
//! curves of one model family, and classifies the gain between them.
//!
//! - in-context learning: CommonsenseQA without and with 5 examples (GPT-2, GPT-2 XL, GPT-J,
//!   GPT-3 davinci; Lu et al. 2024);
//! - chain of thought: Qwen1.5 0.5B-72B and LLaMA 7B-65B on two BIG-Bench Hard tasks, answer only
//!   against chain of thought (Ruan et al. 2024);
//! - a U shape that chain of thought turns into scaling: Llama-2 7B/13B/70B on BIG-Bench Hard
//!   disambiguation QA (Ruan et al. 2024).
//!
//! Every number is embedded in `emergence_detect::datasets` with its source.
//!
//! ```bash
//! cargo run --release --all-features --example prompting [OUT_DIR]
//! ```

use emergence_detect::datasets::{self, PublishedCurve};
use emergence_detect::{Comparison, compare};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args().nth(1).unwrap_or_else(|| "out".to_string());
    let pairs = [
        (
            "in_context_learning",
            "in-context learning (0 vs 5 examples), CommonsenseQA",
            datasets::ukp_commonsense_qa_zero_shot(),
            datasets::ukp_commonsense_qa_few_shot(),
        ),
        (
            "chain_of_thought_qwen15",
            "chain of thought, Qwen1.5 on BBH tracking shuffled objects (3)",
            datasets::qwen15_tracking_three_direct(),
            datasets::qwen15_tracking_three_cot(),
        ),
        (
            "chain_of_thought_llama",
            "chain of thought, LLaMA on BBH multistep arithmetic",
            datasets::llama_multistep_arithmetic_direct(),
            datasets::llama_multistep_arithmetic_cot(),
        ),
        (
            "u_shape_to_scaling",
            "chain of thought on a U shape, Llama-2 on BBH disambiguation QA",
            datasets::llama2_disambiguation_direct(),
            datasets::llama2_disambiguation_cot(),
        ),
    ];
    let mut results = Vec::new();
    for (name, title, baseline, treatment) in pairs {
        let comparison = compare(&baseline.curve, &treatment.curve)?;
        println!("== {title}");
        println!("   source: {}", baseline.source);
        print!("{comparison}");
        println!();
        results.push((name, baseline, treatment, comparison));
    }
    write_plots(&out_dir, &results)?;
    Ok(())
}

#[cfg(feature = "plot")]
fn write_plots(
    out_dir: &str,
    results: &[(&str, PublishedCurve, PublishedCurve, Comparison)],
) -> Result<(), Box<dyn std::error::Error>> {
    use emergence_detect::plot;
    std::fs::create_dir_all(out_dir)?;
    for (name, baseline, treatment, comparison) in results {
        let path = format!("{out_dir}/{name}.svg");
        plot::write_comparison_svg(&baseline.curve, &treatment.curve, comparison, &path)?;
        println!("wrote {path}");
    }
    Ok(())
}

#[cfg(not(feature = "plot"))]
fn write_plots(
    _out_dir: &str,
    _results: &[(&str, PublishedCurve, PublishedCurve, Comparison)],
) -> Result<(), Box<dyn std::error::Error>> {
    println!("(build with --features plot to write SVG plots)");
    Ok(())
}
