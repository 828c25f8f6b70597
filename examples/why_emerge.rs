//! Why does it emerge? The tests of the crate's explanation modules on published numbers:
//!
//! 1. **Metric artefact** (Schaeffer et al. 2023): LLaMA on IPA transliteration scored by exact
//!    match and by BLEU: does the exact-match reading survive a continuous metric?
//! 2. **Faster than any scaling law?** (Hu et al. 2023) and **a task of several steps?** on
//!    GPT-Neo/J's 3-digit addition (pass rates of 2,000 problems).
//! 3. **Which scale does the jump line up on?** 2-digit addition in OPT, BLOOM and GPT-Neo/J,
//!    against parameters and against training FLOPs.
//! 4. **Easy and hard questions offsetting each other** (Wu & Lo 2025): MMLU and arithmetic,
//!    questions in ten difficulty groups, against training FLOPs.
//!
//! ```bash
//! cargo run --release --all-features --example why_emerge [OUT_DIR]
//! ```
//!
//! Writes one SVG per test into OUT_DIR (default `out`).

use emergence_detect::axes::{FamilyCurves, axis_alignment};
use emergence_detect::datasets;
use emergence_detect::difficulty::difficulty_decomposition_with;
use emergence_detect::{
    Curve, CurveLabels, DefaultClassifier, acceleration_test, classify, composed_steps_test,
    metric_artefact,
};

/// Ruan et al. 2024, Observational Scaling Laws; ryoungj/ObsScaling@4d6e1e43,
/// `eval_results/base_llm_emergent_capability_eval.csv` (IPA transliteration, 2-shot, 1,003
/// items: exact match and BLEU; GPT-3 arithmetic, 2-shot, 2,000 problems) and
/// `eval_results/base_llm_benchmark_eval.csv` (`FLOPs (1E21)`).
const OBS: &str = "Ruan et al. 2024 (ryoungj/ObsScaling@4d6e1e43)";

fn curve(
    name: &str,
    metric: &str,
    scale: &str,
    x: &[f64],
    y: &[f64],
    n: Option<f64>,
) -> Result<Curve, emergence_detect::Error> {
    let mut b = Curve::builder(x.to_vec(), y.to_vec()).labels({
        let mut l = CurveLabels::default();
        l.id = Some(name.to_string());
        l.metric = Some(metric.to_string());
        l.scale = Some(scale.to_string());
        l
    });
    if let Some(n) = n {
        b = b.n_examples(vec![n; x.len()]).chance(0.0);
    }
    if metric == "bleu" {
        b = b.y_max(100.0);
    }
    b.build()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args().nth(1).unwrap_or_else(|| "out".to_string());
    std::fs::create_dir_all(&out_dir)?;
    let mut plots: Vec<(String, Vec<(Curve, emergence_detect::Classification)>)> = Vec::new();

    // 1. a metric artefact?
    println!("1. Metric artefact: LLaMA 6.7B-65B on IPA transliteration ({OBS})");
    let llama = [6.7e9, 1.3e10, 3.25e10, 6.52e10];
    let exact = curve(
        "llama_ipa_exact_match",
        "exact_match",
        "parameters",
        &llama,
        &[0.026_919, 0.055_833, 0.136_590, 0.178_465],
        Some(1003.0),
    )?;
    let bleu = curve(
        "llama_ipa_bleu",
        "bleu",
        "parameters",
        &llama,
        &[12.818_94, 26.834_89, 37.676_77, 42.825_18],
        None,
    )?;
    let check = metric_artefact(&exact, &bleu)?;
    println!("   {}: {}\n", check.verdict.as_str(), check.reason);
    plots.push((
        "artefact".into(),
        vec![
            (exact.clone(), check.discrete.clone()),
            (bleu.clone(), check.continuous.clone()),
        ],
    ));

    // 2. faster than any scaling law? a task of several steps?
    let addition = datasets::gpt_neo_3digit_addition().curve;
    println!("2. GPT-Neo/J 125M-20B on 3-digit addition ({OBS})");
    let acceleration = acceleration_test(&addition)?;
    println!("   faster than any scaling law: {}", acceleration.reason);
    let steps = composed_steps_test(&addition)?;
    println!("   several steps: {}\n", steps.reason);
    plots.push((
        "acceleration".into(),
        vec![(addition.clone(), classify(&addition)?)],
    ));

    // 3. which axis?
    println!("3. 2-digit addition: parameters or training FLOPs? ({OBS})");
    let families: [Family; 3] = [
        (
            "OPT",
            &[1.25e8, 3.5e8, 1.3e9, 2.7e9, 6.7e9, 1.3e10, 3e10, 6.6e10],
            &[
                1.35e20, 3.78e20, 1.404e21, 2.916e21, 7.236e21, 1.404e22, 3.24e22, 7.128e22,
            ],
            &[0.01, 0.0065, 0.03, 0.0235, 0.158, 0.133, 0.2325, 0.499],
        ),
        (
            "BLOOM",
            &[5.6e8, 1.1e9, 3e9, 7.1e9],
            &[1.14576e21, 2.2506e21, 6.138e21, 1.45266e22],
            &[0.004, 0.007, 0.021, 0.12],
        ),
        (
            "GPT-Neo/J",
            &[1.25e8, 1.3e9, 2.7e9, 6.05e9, 2e10],
            &[2.25e20, 2.964e21, 6.804e21, 1.45926e22, 5.664e22],
            &[0.006, 0.0165, 0.054, 0.8305, 0.969],
        ),
    ];
    let mut on_axes = Vec::new();
    let mut on_flops = Vec::new();
    for (family, params, flops, y) in families {
        let p = curve(family, "accuracy", "parameters", params, y, Some(2000.0))?;
        let f = curve(family, "accuracy", "training FLOPs", flops, y, Some(2000.0))?;
        on_flops.push((f.clone(), classify(&f)?));
        on_axes.push(FamilyCurves::new(
            family,
            vec![("parameters".into(), p), ("training FLOPs".into(), f)],
        ));
    }
    let alignment = axis_alignment(&on_axes)?;
    for axis in &alignment.axes {
        let criticals: Vec<String> = axis
            .families
            .iter()
            .map(|f| match f.critical {
                Some(c) => format!("{} {} at {:.2e}", f.family, f.category, c.value),
                None => format!("{} {}", f.family, f.category),
            })
            .collect();
        println!("   {}: {}", axis.axis, criticals.join(", "));
    }
    println!("   {alignment}\n");
    plots.push(("axes_flops".into(), on_flops));

    // 4. easy and hard questions
    let classifier = DefaultClassifier::default();
    for task in [datasets::wu_lo_mmlu(), datasets::wu_lo_arithmetic()] {
        println!("4. {} ({})", task.name, task.source);
        let d = difficulty_decomposition_with(&classifier, &task.groups, &task.overall, None)?;
        println!("   {d}");
        if d.verdict != emergence_detect::difficulty::DecompositionVerdict::Explains
            && let Some(threshold) = task.paper_threshold
        {
            let at = difficulty_decomposition_with(
                &classifier,
                &task.groups,
                &task.overall,
                Some(threshold),
            )?;
            println!("   at the paper's threshold {threshold:.2e}: {at}");
        }
        println!();
        write_difficulty(&out_dir, task.name, &task.groups, &task.overall, &d)?;
    }
    write_grids(&out_dir, &plots)?;
    Ok(())
}

#[cfg(feature = "plot")]
fn write_difficulty(
    out_dir: &str,
    name: &str,
    groups: &[Curve],
    overall: &Curve,
    d: &emergence_detect::difficulty::Decomposition,
) -> Result<(), Box<dyn std::error::Error>> {
    let path = std::path::Path::new(out_dir).join(format!("difficulty_{name}.svg"));
    emergence_detect::plot::write_difficulty_svg(groups, overall, d, &path)?;
    println!("   wrote {}", path.display());
    Ok(())
}

#[cfg(not(feature = "plot"))]
fn write_difficulty(
    _: &str,
    _: &str,
    _: &[Curve],
    _: &Curve,
    _: &emergence_detect::difficulty::Decomposition,
) -> Result<(), Box<dyn std::error::Error>> {
    println!("   (build with --features plot for the SVG)");
    Ok(())
}

/// A family's published points: name, parameters, training FLOPs, accuracy.
type Family = (&'static str, &'static [f64], &'static [f64], &'static [f64]);

type Grid = (String, Vec<(Curve, emergence_detect::Classification)>);

#[cfg(feature = "plot")]
fn write_grids(out_dir: &str, plots: &[Grid]) -> Result<(), Box<dyn std::error::Error>> {
    for (name, items) in plots {
        let refs: Vec<(&Curve, &emergence_detect::Classification)> =
            items.iter().map(|(c, r)| (c, r)).collect();
        let path = std::path::Path::new(out_dir).join(format!("why_{name}.svg"));
        emergence_detect::plot::write_grid_svg(&refs, refs.len().min(3), &path)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(not(feature = "plot"))]
fn write_grids(_: &str, _: &[Grid]) -> Result<(), Box<dyn std::error::Error>> {
    Ok(())
}
