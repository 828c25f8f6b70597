//! `axes [DATA_DIR]`: which scale does an emergence line up on? For every task of
//! `../shared/data/real` (or DATA_DIR) measured in two or more model families whose curve is
//! emergent against parameters, the families' curves are put on three axes (parameters, training
//! tokens, training FLOPs, from `models.csv`) and compared with `axes::axis_alignment`. Families
//! with a point whose model has no published tokens or FLOPs are left out of that task.

use emergence_detect::axes::{FamilyCurves, axis_alignment};
use emergence_detect::io::read_curves;
use emergence_detect::{Category, Curve, DuplicatePolicy, classify};
use std::collections::{BTreeMap, HashMap};

pub fn main() {
    let dir = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "../shared/data/real".to_string());
    let text = |name: &str| {
        std::fs::read_to_string(format!("{dir}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    // (curve_id, x_params) -> model
    let mut model_of: HashMap<(String, u64), String> = HashMap::new();
    for line in text("points_models.csv").lines().skip(1) {
        let f: Vec<&str> = line.splitn(4, ',').collect();
        let x: f64 = f[1].parse().expect("x_params parses");
        model_of.insert((f[0].to_string(), x.to_bits()), f[2].to_string());
    }
    // model -> (tokens, flops)
    let mut budget: HashMap<String, (f64, f64)> = HashMap::new();
    for line in text("models.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if let (Ok(tokens), Ok(flops)) = (f[3].parse::<f64>(), f[4].parse::<f64>()) {
            budget.insert(f[0].to_string(), (tokens, flops));
        }
    }
    let records = read_curves(format!("{dir}/curves.csv")).expect("curves.csv reads");
    // (task, metric, shots) -> families
    let mut tasks: BTreeMap<String, Vec<FamilyCurves>> = BTreeMap::new();
    for r in records {
        let Ok(curve) = r.curve else { continue };
        let Some(axes) = on_three_axes(&r.id, &curve, &model_of, &budget) else {
            continue;
        };
        let l = curve.labels();
        let key = format!(
            "{} / {} / {}-shot",
            l.task.clone().unwrap_or_default(),
            l.metric.clone().unwrap_or_default(),
            l.shots.unwrap_or(0)
        );
        let family = l.model_family.clone().unwrap_or_default();
        tasks
            .entry(key)
            .or_default()
            .push(FamilyCurves::new(family, axes));
    }
    let mut compared = 0;
    let mut best: BTreeMap<String, usize> = BTreeMap::new();
    for (task, families) in &tasks {
        // tasks with two or more families emergent against parameters
        let emergent = families
            .iter()
            .filter(|f| classify(&f.curves[0].1).is_ok_and(|c| c.category == Category::Emergent))
            .count();
        if emergent < 2 {
            continue;
        }
        let Ok(a) = axis_alignment(families) else {
            continue;
        };
        compared += 1;
        println!("## {task}");
        for axis in &a.axes {
            let criticals: Vec<String> = axis
                .families
                .iter()
                .filter_map(|f| f.critical.map(|c| format!("{} {:.2e}", f.family, c.value)))
                .collect();
            println!(
                "  {:<7} emergent {}/{}  spread {} (common {})  Q p {}  [{}]",
                axis.axis,
                axis.emergent,
                axis.families.len(),
                axis.spread_decades
                    .map_or("-".into(), |s| format!("{s:.2} dec")),
                axis.common_spread_decades
                    .map_or("-".into(), |s| format!("{s:.2}")),
                axis.p_value.map_or("-".into(), |p| format!("{p:.3}")),
                criticals.join(", ")
            );
        }
        println!("  -> {}", a.best_axis.as_deref().unwrap_or("none"));
        *best
            .entry(a.best_axis.unwrap_or_else(|| "none".into()))
            .or_default() += 1;
    }
    println!("\n{compared} tasks compared; best axis: {best:?}");
}

/// The curve on parameters, training tokens and training FLOPs, or `None` when a model lacks them.
fn on_three_axes(
    id: &str,
    curve: &Curve,
    model_of: &HashMap<(String, u64), String>,
    budget: &HashMap<String, (f64, f64)>,
) -> Option<Vec<(String, Curve)>> {
    let mut tokens = Vec::with_capacity(curve.len());
    let mut flops = Vec::with_capacity(curve.len());
    for x in curve.x() {
        let model = model_of.get(&(id.to_string(), x.to_bits()))?;
        let (t, f) = budget.get(model)?;
        tokens.push(*t);
        flops.push(*f);
    }
    let rebuild = |x: Vec<f64>| -> Option<Curve> {
        let mut b = Curve::builder(x, curve.y().to_vec())
            .duplicates(DuplicatePolicy::Keep)
            .labels(curve.labels().clone())
            .higher_is_better(curve.higher_is_better())
            .y_max(curve.y_max());
        if let Some(n) = curve.n_examples() {
            b = b.n_examples(n.to_vec());
        }
        if let Some(c) = curve.chance() {
            b = b.chance(c);
        }
        b.build().ok()
    };
    Some(vec![
        ("params".to_string(), curve.clone()),
        ("tokens".to_string(), rebuild(tokens)?),
        ("flops".to_string(), rebuild(flops)?),
    ])
}
