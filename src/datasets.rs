//! A handful of published scaling curves, embedded for examples and tests, each with its source.
//!
//! Only the numbers the examples need are here. The open-model curves are exactly as published in
//! the evaluation results of Ruan, Maddison and Hashimoto 2024, "Observational Scaling Laws"
//! (repository `ryoungj/ObsScaling`, commit `4d6e1e43`, folder `eval_results/`); sizes are the
//! nominal parameter counts. One curve is **synthetic**: no per-model numbers of PaLM on the
//! inverse-scaling-prize tasks are available here, so it is built from the published description.

use crate::curve::{Curve, CurveLabels, DuplicatePolicy};

/// One embedded curve with its provenance.
///
/// ```
/// use emergence_detect::datasets;
/// for published in datasets::showcase() {
///     assert!(!published.source.is_empty(), "{} has no source", published.name);
/// }
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PublishedCurve {
    /// A short name for reports and file names.
    pub name: &'static str,
    /// Where the numbers come from.
    pub source: &'static str,
    /// Whether the numbers are made up from a description rather than measured.
    pub synthetic: bool,
    /// The validated curve.
    pub curve: Curve,
}

/// Builds one curve (the numbers below are valid by construction).
fn make(
    name: &'static str,
    source: &'static str,
    synthetic: bool,
    (family, task, metric, shots): (&str, &str, &str, u32),
    (x, y): (&[f64], &[f64]),
    n_examples: f64,
    chance: Option<f64>,
) -> PublishedCurve {
    let mut b = Curve::builder(x.to_vec(), y.to_vec())
        .n_examples(vec![n_examples; x.len()])
        .labels(CurveLabels {
            id: Some(name.to_string()),
            task: Some(task.to_string()),
            model_family: Some(family.to_string()),
            metric: Some(metric.to_string()),
            shots: Some(shots),
            scale: None,
        });
    if let Some(c) = chance {
        b = b.chance(c);
    }
    PublishedCurve {
        name,
        source,
        synthetic,
        curve: b.build().expect("embedded curves are valid"),
    }
}

const OBS: &str = "Ruan et al. 2024, Observational Scaling Laws; ryoungj/ObsScaling@4d6e1e43";

/// Qwen1.5 0.5B-110B on MMLU (5-shot accuracy, 14,042 questions, chance 0.25): a knowledge-heavy
/// task that improves steadily. `eval_results/base_llm_benchmark_eval.csv`, column `MMLU`.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::qwen15_mmlu();
/// assert_eq!(classify(&published.curve)?.category, Category::Scaling);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn qwen15_mmlu() -> PublishedCurve {
    make(
        "qwen1.5_mmlu",
        OBS,
        false,
        ("Qwen1.5", "MMLU", "accuracy", 5),
        (
            &[5e8, 1.8e9, 4e9, 7e9, 1.4e10, 3.2e10, 7.2e10, 1.1e11],
            &[
                0.393_533_408_121_757_9,
                0.467_083_853_017_578_2,
                0.565_235_196_399_333_7,
                0.619_700_216_814_055_8,
                0.693_602_647_083_147_4,
                0.742_996_128_396_531_3,
                0.772_014_583_085_197_7,
                0.801_957_590_878_156_3,
            ],
        ),
        14042.0,
        Some(0.25),
    )
}

/// GPT-Neo/J 125M-20B on 3-digit addition (GPT-3's arithmetic suite, 2-shot, 2,000 problems,
/// exact match, chance 0): flat at zero, then a jump. `base_llm_emergent_capability_eval.csv`,
/// column `arithmetic_3da_2_acc`.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::gpt_neo_3digit_addition();
/// assert_eq!(classify(&published.curve)?.category, Category::Emergent);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn gpt_neo_3digit_addition() -> PublishedCurve {
    make(
        "gpt-neo-j_3digit_addition",
        OBS,
        false,
        ("GPT-Neo/J", "3-digit addition", "accuracy", 2),
        (
            &[1.25e8, 1.3e9, 2.7e9, 6.05e9, 2e10],
            &[0.0, 0.0005, 0.002, 0.323, 0.504],
        ),
        2000.0,
        Some(0.0),
    )
}

/// GPT-Neo/J 125M-20B on TruthfulQA (MC2, 817 questions): bigger models imitate more human
/// falsehoods (Lin et al. 2022). `base_llm_benchmark_eval.csv`, column `TruthfulQA`.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::gpt_neo_truthfulqa();
/// assert_eq!(classify(&published.curve)?.category, Category::InverseScaling);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn gpt_neo_truthfulqa() -> PublishedCurve {
    make(
        "gpt-neo-j_truthfulqa",
        OBS,
        false,
        ("GPT-Neo/J", "TruthfulQA", "mc2", 0),
        (
            &[1.25e8, 1.3e9, 2.7e9, 6.05e9, 2e10],
            &[
                0.455_761_630_633_801,
                0.396_293_060_443_583_2,
                0.397_779_599_087_802_1,
                0.359_624_729_495_078,
                0.316_131_459_673_384_9,
            ],
        ),
        817.0,
        None,
    )
}

/// Pythia 70M-12B on 2-digit addition (2-shot, 2,000 problems, chance 0): a sharp rise to 0.80 at
/// 2.8B, then lower at 6.9B and 12B. `base_llm_emergent_capability_eval.csv`, column
/// `arithmetic_2da_2_acc`.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::pythia_2digit_addition();
/// assert_eq!(classify(&published.curve)?.category, Category::InvertedU);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn pythia_2digit_addition() -> PublishedCurve {
    make(
        "pythia_2digit_addition",
        OBS,
        false,
        ("Pythia", "2-digit addition", "accuracy", 2),
        (
            &[7e7, 1.6e8, 4.1e8, 1e9, 1.4e9, 2.8e9, 6.9e9, 1.2e10],
            &[0.009, 0.005, 0.009, 0.0165, 0.067, 0.795, 0.486, 0.446],
        ),
        2000.0,
        Some(0.0),
    )
}

/// LLaMA 7B-65B on BIG-Bench Hard "multistep arithmetic two" (3-shot, 250 problems, exact match,
/// chance 0) with direct (answer-only) prompting. `base_llm_post_training_eval.csv`.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::llama_multistep_arithmetic_direct();
/// assert_eq!(classify(&published.curve)?.category, Category::Flat);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn llama_multistep_arithmetic_direct() -> PublishedCurve {
    make(
        "llama_bbh_multistep_arithmetic_direct",
        OBS,
        false,
        (
            "LLaMA",
            "BBH multistep arithmetic two (direct)",
            "exact_match",
            3,
        ),
        (
            &[6.7e9, 1.3e10, 3.25e10, 6.52e10],
            &[0.024, 0.004, 0.012, 0.004],
        ),
        250.0,
        Some(0.0),
    )
}

/// The same task and models with chain-of-thought prompting.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::llama_multistep_arithmetic_cot();
/// assert_eq!(classify(&published.curve)?.category, Category::Emergent);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn llama_multistep_arithmetic_cot() -> PublishedCurve {
    make(
        "llama_bbh_multistep_arithmetic_cot",
        OBS,
        false,
        (
            "LLaMA",
            "BBH multistep arithmetic two (chain of thought)",
            "exact_match",
            3,
        ),
        (
            &[6.7e9, 1.3e10, 3.25e10, 6.52e10],
            &[0.0, 0.016, 0.048, 0.188],
        ),
        250.0,
        Some(0.0),
    )
}

/// **Synthetic.** A U-shaped curve in the spirit of Wei et al. 2022, "Inverse scaling can become
/// U-shaped" (arXiv:2211.02011): on inverse-scaling-prize tasks PaLM's accuracy falls from 1B to
/// 62B parameters and recovers at 540B. The numbers are made up to follow that description (a
/// two-way task, chance 0.5, 1,000 examples); they are not measurements.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::synthetic_palm_u_shape();
/// assert_eq!(classify(&published.curve)?.category, Category::UShaped);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn synthetic_palm_u_shape() -> PublishedCurve {
    make(
        "synthetic_palm_u_shape",
        "SYNTHETIC, after the description in Wei et al. 2022, Inverse scaling can become U-shaped",
        true,
        (
            "PaLM (synthetic)",
            "inverse-scaling-prize-like task",
            "accuracy",
            0,
        ),
        (&[1e9, 8e9, 6.2e10, 5.4e11], &[0.62, 0.52, 0.41, 0.66]),
        1000.0,
        Some(0.5),
    )
}

const UKP: &str = "Lu et al. 2024, Are Emergent Abilities in Large Language Models just In-Context Learning?; UKPLab/on-emergence@f791b653, evaluation_scores.csv";

/// Sizes of the on-emergence models: GPT-2 (117M), GPT-2 XL (1.5B), GPT-J (6B), GPT-3 davinci
/// (175B). Four families on one axis, as the source evaluates them.
const UKP_SIZES: [f64; 4] = [1.17e8, 1.5e9, 6e9, 1.75e11];

/// CommonsenseQA (1,220 questions, exact match, closed prompt) without in-context examples, on
/// GPT-2, GPT-2 XL, GPT-J and GPT-3 davinci. The baseline of the in-context-learning comparison
/// ([`ukp_commonsense_qa_few_shot`]).
///
/// ```
/// use emergence_detect::datasets;
/// assert_eq!(datasets::ukp_commonsense_qa_zero_shot().curve.len(), 4);
/// ```
pub fn ukp_commonsense_qa_zero_shot() -> PublishedCurve {
    make(
        "ukp_commonsense_qa_zero_shot",
        UKP,
        false,
        ("GPT-2 / GPT-J / GPT-3", "CommonsenseQA", "exact match", 0),
        (
            &UKP_SIZES,
            &[0.08032786885, 0.02540983607, 0.118852459, 0.1344262295],
        ),
        1220.0,
        None,
    )
}

/// The same models on CommonsenseQA with 5 in-context examples.
///
/// ```
/// use emergence_detect::{compare, datasets};
/// let zero = datasets::ukp_commonsense_qa_zero_shot().curve;
/// let five = datasets::ukp_commonsense_qa_few_shot().curve;
/// assert!(compare(&zero, &five)?.mean_gain > 0.2);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn ukp_commonsense_qa_few_shot() -> PublishedCurve {
    make(
        "ukp_commonsense_qa_few_shot",
        UKP,
        false,
        ("GPT-2 / GPT-J / GPT-3", "CommonsenseQA", "exact match", 5),
        (
            &UKP_SIZES,
            &[0.1778688525, 0.2237704918, 0.3508196721, 0.5631147541],
        ),
        1220.0,
        None,
    )
}

const QWEN15_SIZES: [f64; 7] = [5e8, 1.8e9, 4e9, 7e9, 1.4e10, 3.2e10, 7.2e10];

/// Qwen1.5 0.5B-72B on BIG-Bench Hard "tracking shuffled objects (three objects)", 3-shot,
/// answer only (250 items, exact match with flexible extraction, chance 1/3).
/// `eval_results/base_llm_post_training_eval.csv`, column
/// `bbh_fewshot_tracking_shuffled_objects_three_objects_3_exact_match,flexible-extract`.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::qwen15_tracking_three_direct();
/// assert_ne!(classify(&published.curve)?.category, Category::Emergent);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn qwen15_tracking_three_direct() -> PublishedCurve {
    make(
        "qwen15_bbh_tracking_three_direct",
        OBS,
        false,
        (
            "Qwen1.5",
            "BBH tracking shuffled objects (3), answer only",
            "exact match",
            3,
        ),
        (
            &QWEN15_SIZES,
            &[0.312, 0.328, 0.316, 0.364, 0.332, 0.304, 0.328],
        ),
        250.0,
        Some(1.0 / 3.0),
    )
}

/// The same task with chain-of-thought prompting (column `bbh_cot_fewshot_..._3_exact_match,
/// flexible-extract`).
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::qwen15_tracking_three_cot();
/// assert_eq!(classify(&published.curve)?.category, Category::Emergent);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn qwen15_tracking_three_cot() -> PublishedCurve {
    make(
        "qwen15_bbh_tracking_three_cot",
        OBS,
        false,
        (
            "Qwen1.5",
            "BBH tracking shuffled objects (3), chain of thought",
            "exact match",
            3,
        ),
        (
            &QWEN15_SIZES,
            &[0.28, 0.348, 0.304, 0.532, 0.632, 0.712, 0.776],
        ),
        250.0,
        Some(1.0 / 3.0),
    )
}

/// Llama-2 7B, 13B and 70B on BIG-Bench Hard "disambiguation QA", 3-shot, answer only (250
/// items, exact match with flexible extraction, chance 1/3): it dips at 13B, then recovers.
/// `eval_results/base_llm_post_training_eval.csv`, column
/// `bbh_fewshot_disambiguation_qa_3_exact_match,flexible-extract`.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::llama2_disambiguation_direct();
/// assert_eq!(classify(&published.curve)?.category, Category::UShaped);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn llama2_disambiguation_direct() -> PublishedCurve {
    make(
        "llama2_bbh_disambiguation_direct",
        OBS,
        false,
        (
            "Llama-2",
            "BBH disambiguation QA, answer only",
            "exact match",
            3,
        ),
        (&[7e9, 1.3e10, 7e10], &[0.464, 0.324, 0.524]),
        250.0,
        Some(1.0 / 3.0),
    )
}

/// The same task with chain-of-thought prompting.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let published = datasets::llama2_disambiguation_cot();
/// assert_eq!(classify(&published.curve)?.category, Category::Scaling);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn llama2_disambiguation_cot() -> PublishedCurve {
    make(
        "llama2_bbh_disambiguation_cot",
        OBS,
        false,
        (
            "Llama-2",
            "BBH disambiguation QA, chain of thought",
            "exact match",
            3,
        ),
        (&[7e9, 1.3e10, 7e10], &[0.46, 0.412, 0.656]),
        250.0,
        Some(1.0 / 3.0),
    )
}

/// Every embedded curve, in the order the `three_categories` example shows them.
///
/// ```
/// let curves = emergence_detect::datasets::showcase();
/// assert!(curves.iter().any(|c| c.synthetic));
/// assert!(curves.iter().all(|c| !c.source.is_empty()));
/// ```
pub fn showcase() -> Vec<PublishedCurve> {
    vec![
        qwen15_mmlu(),
        gpt_neo_3digit_addition(),
        synthetic_palm_u_shape(),
        gpt_neo_truthfulqa(),
        pythia_2digit_addition(),
        llama_multistep_arithmetic_direct(),
        llama_multistep_arithmetic_cot(),
    ]
}

/// A task's questions grouped by difficulty: one curve per group (easiest first) and the overall
/// curve, on a training-compute axis (FLOPs), as published by Wu & Lo (ICLR 2025).
///
/// ```
/// use emergence_detect::datasets;
/// let task = datasets::wu_lo_mmlu();
/// assert_eq!(task.groups.len(), 10);
/// assert!(!task.groups[0].higher_is_better()); // TC Brier score: lower is better
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DifficultyTask {
    /// A short name.
    pub name: &'static str,
    /// Where the numbers come from.
    pub source: &'static str,
    /// The groups' curves (target-conditioned Brier score, lower is better), easiest first.
    pub groups: Vec<Curve>,
    /// The overall accuracy.
    pub overall: Curve,
    /// The threshold the paper sets for this task (training FLOPs), where it reports one.
    pub paper_threshold: Option<f64>,
}

const WU_LO: &str = "Wu & Lo 2025, U-shaped and Inverted-U Scaling behind Emergent Abilities of \
                     Large Language Models (ICLR 2025); tony10101105/ExpEmergence@288b731d (MIT)";

/// Parses an embedded difficulty table: `rank,x_flops,y,n_examples,y_random`, rank 0 the overall
/// accuracy; lines starting with `#` are the provenance.
fn difficulty_task(
    name: &'static str,
    table: &str,
    (task, shots): (&str, u32),
    paper_threshold: Option<f64>,
) -> DifficultyTask {
    let mut points: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new(); 11];
    let mut chance = None;
    for line in table.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let number = |i: usize| f[i].parse::<f64>().expect("embedded numbers parse");
        let rank: usize = f[0].parse().expect("embedded ranks parse");
        points[rank].push((number(1), number(2), number(3)));
        if rank == 0 && !f[4].is_empty() {
            chance = Some(number(4));
        }
    }
    let build = |rank: usize| {
        let p = &points[rank];
        let metric = if rank == 0 { "accuracy" } else { "tc_brier" };
        let mut b = Curve::builder(
            p.iter().map(|q| q.0).collect(),
            p.iter().map(|q| q.1).collect(),
        )
        .n_examples(p.iter().map(|q| q.2).collect())
        .duplicates(DuplicatePolicy::Keep)
        .higher_is_better(rank == 0)
        .labels(CurveLabels {
            id: Some(if rank == 0 {
                format!("{name}_overall")
            } else {
                format!("{name}_group{rank:02}")
            }),
            task: Some(task.to_string()),
            model_family: Some("21 families".to_string()),
            metric: Some(metric.to_string()),
            shots: Some(shots),
            scale: Some("training FLOPs".to_string()),
        });
        if rank == 0
            && let Some(c) = chance
        {
            b = b.chance(c);
        }
        b.build().expect("embedded curves are valid")
    };
    DifficultyTask {
        name,
        source: WU_LO,
        groups: (1..=10).map(build).collect(),
        overall: build(0),
        paper_threshold,
    }
}

/// MMLU (5-shot, 14,042 questions in 10 groups of 1,404-1,405) on 59 models of 21 families,
/// against training FLOPs: overall accuracy flat at 0.24-0.27 up to about 7e22 FLOPs, then a
/// sharp rise; the paper's emergence threshold is 10^1.5 x 1e21 FLOPs. Files
/// `data/mmlu/mmlu_instance_brier_-1000_31.62_10_redist.csv` and the 3-group file's `acc`.
///
/// ```
/// use emergence_detect::{classify, datasets, Category};
/// let task = datasets::wu_lo_mmlu();
/// assert_eq!(classify(&task.overall)?.category, Category::Emergent);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn wu_lo_mmlu() -> DifficultyTask {
    difficulty_task(
        "wulo2025_mmlu",
        include_str!("data/wulo2025_mmlu.csv"),
        ("MMLU", 5),
        Some(10f64.powf(1.5) * 1e21),
    )
}

/// BIG-bench arithmetic (2-shot multiple choice, 15,023 questions in 10 groups) on 58 models of
/// 21 families, against training FLOPs; the paper's emergence threshold is 10^1.8 x 1e21 FLOPs.
/// Files `data/arithmetic/arithmetic_instance_brier_-1000_63.1_10_redist.csv` and the 3-group
/// file's `acc`.
///
/// ```
/// use emergence_detect::datasets;
/// let task = datasets::wu_lo_arithmetic();
/// assert_eq!(task.overall.len(), 58);
/// ```
pub fn wu_lo_arithmetic() -> DifficultyTask {
    difficulty_task(
        "wulo2025_arithmetic",
        include_str!("data/wulo2025_arithmetic.csv"),
        ("arithmetic", 2),
        Some(10f64.powf(1.8) * 1e21),
    )
}
