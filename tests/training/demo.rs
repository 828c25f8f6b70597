//! The grokking demo's network, shortened (p = 23): with weight decay it groks, without it never
//! generalises, and the analysis says so.

#[allow(dead_code)]
#[path = "../../examples/grokking/modular.rs"]
mod modular;

use emergence_detect::training::{TrainingCategory, TrainingLog, analyze_training};
use modular::{Recipe, train};

fn quick(weight_decay: f32) -> Recipe {
    Recipe {
        modulus: 23,
        train_fraction: 0.8,
        weight_decay,
        steps: 700,
        seed: 1,
        ..Recipe::default()
    }
}

#[test]
fn weight_decay_groks_and_the_control_does_not() {
    let (grokking, control) = std::thread::scope(|s| {
        let a = s.spawn(|| train(&quick(0.5)));
        let b = s.spawn(|| train(&quick(0.0)));
        (a.join().unwrap(), b.join().unwrap())
    });
    let analyse = |log: &[modular::Logged]| {
        let steps = log.iter().map(|l| l.step as f64).collect();
        let log = TrainingLog::builder(steps)
            .train(log.iter().map(|l| l.train_accuracy).collect())
            .validation(log.iter().map(|l| l.validation_accuracy).collect())
            .build()
            .unwrap();
        analyze_training(&log).unwrap()
    };
    let a = analyse(&grokking);
    assert_eq!(a.category, TrainingCategory::Grokking, "{a}");
    assert!(a.delay.unwrap().ratio > 10.0, "{a}");
    assert!(grokking.last().unwrap().validation_accuracy > 0.95);
    let b = analyse(&control);
    assert_eq!(b.category, TrainingCategory::NoGeneralization, "{b}");
    assert!(control.last().unwrap().train_accuracy > 0.99);
}

#[test]
fn training_is_deterministic() {
    let recipe = Recipe {
        steps: 30,
        ..quick(0.5)
    };
    let (a, b) = (train(&recipe), train(&recipe));
    let bits = |log: &[modular::Logged]| -> Vec<u64> {
        log.iter()
            .flat_map(|l| [l.train_loss.to_bits(), l.validation_loss.to_bits()])
            .collect()
    };
    assert_eq!(bits(&a), bits(&b));
    let other = train(&Recipe { seed: 2, ..recipe });
    assert_ne!(bits(&a), bits(&other));
}
