//! The embedded published curves load and the showcase shows the three categories of scaling behaviour.

use emergence_detect::datasets::{self, showcase};
use emergence_detect::{Category, classify};

#[test]
fn embedded_curves_load_with_their_sources() {
    let all = showcase();
    assert_eq!(all.len(), 7);
    for c in &all {
        assert!(c.curve.len() >= 4, "{}", c.name);
        assert!(!c.source.is_empty());
        assert!(
            c.curve.n_examples().is_some(),
            "{} has binomial noise",
            c.name
        );
        assert!(c.curve.x().windows(2).all(|w| w[0] < w[1]));
    }
    let synthetic: Vec<_> = all.iter().filter(|c| c.synthetic).collect();
    assert_eq!(synthetic.len(), 1);
    assert!(synthetic[0].source.starts_with("SYNTHETIC"));
}

#[test]
fn the_showcase_shows_the_three_categories_of_scaling_behaviour() {
    let cat = |c: datasets::PublishedCurve| classify(&c.curve).unwrap().category;
    assert_eq!(cat(datasets::qwen15_mmlu()), Category::Scaling);
    assert_eq!(cat(datasets::gpt_neo_3digit_addition()), Category::Emergent);
    assert_eq!(cat(datasets::synthetic_palm_u_shape()), Category::UShaped);
    assert_eq!(
        cat(datasets::gpt_neo_truthfulqa()),
        Category::InverseScaling
    );
}

#[test]
fn chain_of_thought_changes_how_the_task_scales() {
    let direct = classify(&datasets::llama_multistep_arithmetic_direct().curve).unwrap();
    let cot = classify(&datasets::llama_multistep_arithmetic_cot().curve).unwrap();
    assert_eq!(direct.category, Category::Flat);
    assert_eq!(cot.category, Category::Emergent);
}

#[test]
fn gpt_neo_emerges_between_2_7b_and_20b() {
    let r = classify(&datasets::gpt_neo_3digit_addition().curve).unwrap();
    let e = r.critical_scale.unwrap();
    assert!(e.value > 2.7e9 && e.value < 2.0e10, "{}", e.value);
    assert!(e.lower >= 2.7e9 && e.upper <= 2.0e10, "{e:?}");
}

#[cfg(feature = "plot")]
#[test]
fn plots_render_every_element() {
    use emergence_detect::plot::{render_grid_svg, render_svg};
    let c = datasets::gpt_neo_3digit_addition().curve;
    let r = classify(&c).unwrap();
    let svg = render_svg(&c, &r).unwrap();
    assert!(svg.starts_with("<svg"));
    for needle in [
        "critical scale",
        "chance 0",
        "measured",
        "logistic",
        "parameters (log scale)",
    ] {
        assert!(svg.contains(needle), "missing {needle}");
    }
    let u = datasets::synthetic_palm_u_shape().curve;
    let ru = classify(&u).unwrap();
    let grid = render_grid_svg(&[(&c, &r), (&u, &ru)], 2).unwrap();
    assert!(grid.contains("turn") && grid.contains("critical scale"));
    // two panels side by side, each as wide as a single plot
    let single_width = svg
        .split("width=\"")
        .nth(1)
        .and_then(|w| w.split('"').next())
        .unwrap();
    let single: u32 = single_width.parse().unwrap();
    assert!(grid.contains(&format!("width=\"{}\"", 2 * single)));
}

/// The prompting claims on the embedded published pairs: chain of thought's benefit emerges for
/// Qwen1.5 on tracking shuffled objects (between the 4B and 14B models) and LLaMA on multistep
/// arithmetic; chain of thought turns Llama-2's U on disambiguation QA into scaling; five
/// in-context examples help every size on CommonsenseQA.
#[test]
fn prompting_benefits_on_published_pairs() {
    use emergence_detect::compare;
    let qwen = compare(
        &datasets::qwen15_tracking_three_direct().curve,
        &datasets::qwen15_tracking_three_cot().curve,
    )
    .unwrap();
    assert_eq!(qwen.transition.to, Category::Emergent, "{qwen}");
    assert_eq!(
        qwen.gain_classification.category,
        Category::Emergent,
        "{qwen}"
    );
    let crit = qwen.gain_classification.critical_scale.unwrap();
    assert!(crit.value > 4e9 && crit.value < 1.4e10, "{crit:?}");

    let llama = compare(
        &datasets::llama_multistep_arithmetic_direct().curve,
        &datasets::llama_multistep_arithmetic_cot().curve,
    )
    .unwrap();
    assert_eq!(
        llama.gain_classification.category,
        Category::Emergent,
        "{llama}"
    );

    let u = compare(
        &datasets::llama2_disambiguation_direct().curve,
        &datasets::llama2_disambiguation_cot().curve,
    )
    .unwrap();
    assert_eq!(
        (u.transition.from, u.transition.to),
        (Category::UShaped, Category::Scaling),
        "{u}"
    );

    let icl = compare(
        &datasets::ukp_commonsense_qa_zero_shot().curve,
        &datasets::ukp_commonsense_qa_few_shot().curve,
    )
    .unwrap();
    assert!(
        icl.mean_gain_is_real && icl.gain.iter().all(|g| *g > 0.05),
        "{icl}"
    );
    assert!(icl.hurts_at.is_empty());
}
