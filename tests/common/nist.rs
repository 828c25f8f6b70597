//! The NIST StRD nonlinear regression problems (`tests/data/nist`): the files parsed (starting
//! values, certified values and residual sum of squares, data) and each model as a curve family
//! with an analytic gradient. The families keep the predictors themselves and are fitted on the
//! row index (a linear axis), so repeated or unsorted predictor values need no merging.

#![allow(dead_code)]

use emergence_detect::{Axis, Curve, CurveFamily, FitOptions, fit};
use std::f64::consts::PI;
use std::sync::Arc;

/// One problem as NIST publishes it.
#[derive(Debug, Clone)]
pub struct Problem {
    pub name: String,
    pub starts: [Vec<f64>; 2],
    pub certified: Vec<f64>,
    pub certified_rss: f64,
    pub y: Vec<f64>,
    /// One row of predictors per observation (one or two columns).
    pub x: Vec<Vec<f64>>,
}

fn numbers(line: &str) -> Vec<f64> {
    line.split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok())
        .collect()
}

/// Parses a NIST StRD `.dat` file.
pub fn parse(name: &str, text: &str) -> Problem {
    let lines: Vec<&str> = text.lines().collect();
    let (mut s1, mut s2, mut cert) = (Vec::new(), Vec::new(), Vec::new());
    let mut rss = f64::NAN;
    let mut data_from = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with('b') && t.contains('=') && !t.starts_with("b1 to") {
            let (_, rest) = t.split_once('=').unwrap();
            let v = numbers(rest);
            if v.len() == 4 {
                s1.push(v[0]);
                s2.push(v[1]);
                cert.push(v[2]);
            }
        } else if t.starts_with("Residual Sum of Squares:") {
            rss = numbers(t)[0];
        } else if t.starts_with("Data:") && t.contains('y') {
            data_from = Some(i + 1);
        }
    }
    let (mut y, mut x) = (Vec::new(), Vec::new());
    for line in &lines[data_from.expect("a data section")..] {
        let v = numbers(line);
        if v.len() >= 2 {
            y.push(v[0]);
            x.push(v[1..].to_vec());
        }
    }
    Problem {
        name: name.to_string(),
        starts: [s1, s2],
        certified: cert,
        certified_rss: rss,
        y,
        x,
    }
}

/// Every problem in `tests/data/nist`, by name.
pub fn problems() -> Vec<Problem> {
    // from the crate's tests, or from the xtask member beside it
    let manifest = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = [
        manifest.join("tests/data/nist"),
        manifest.join("../tests/data/nist"),
    ]
    .into_iter()
    .find(|d| d.is_dir())
    .expect("tests/data/nist");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/data/nist")
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".dat").map(str::to_string)
        })
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| {
            parse(
                n,
                &std::fs::read_to_string(dir.join(format!("{n}.dat"))).unwrap(),
            )
        })
        .collect()
}

/// The model forms of the 27 problems.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// `b1 (1 - exp(-b2 x))` (Misra1a, BoxBOD)
    ExpRise,
    /// `b1 (1 - (1 + b2 x / 2)^-2)` (Misra1b)
    Misra1b,
    /// `b1 (1 - (1 + 2 b2 x)^-1/2)` (Misra1c)
    Misra1c,
    /// `b1 b2 x / (1 + b2 x)` (Misra1d)
    Misra1d,
    /// `exp(-b1 x) / (b2 + b3 x)` (Chwirut1, Chwirut2)
    Chwirut,
    /// three exponentials (Lanczos1-3)
    Lanczos,
    /// an exponential and two Gaussians (Gauss1-3)
    Gauss,
    /// `b1 x^b2` (DanWood)
    DanWood,
    /// quadratic over quadratic (Kirby2)
    Kirby2,
    /// cubic over cubic (Hahn1, Thurber)
    CubicRatio,
    /// `log y = b1 - b2 x1 exp(-b3 x2)` (Nelson, two predictors)
    Nelson,
    /// `b1 + b2 exp(-x b4) + b3 exp(-x b5)` (MGH17)
    Mgh17,
    /// `b1 - b2 x - atan(b3 / (x - b4)) / pi` (Roszman1)
    Roszman1,
    /// annual and two other cycles (ENSO, nine parameters)
    Enso,
    /// `b1 (x^2 + x b2) / (x^2 + x b3 + b4)` (MGH09)
    Mgh09,
    /// `b1 / (1 + exp(b2 - b3 x))` (Rat42)
    Rat42,
    /// `b1 exp(b2 / (x + b3))` (MGH10)
    Mgh10,
    /// `(b1 / b2) exp(-((x - b3) / b2)^2 / 2)` (Eckerle4)
    Eckerle4,
    /// `b1 / (1 + exp(b2 - b3 x))^(1/b4)` (Rat43)
    Rat43,
    /// `b1 (b2 + x)^(-1/b3)` (Bennett5)
    Bennett5,
}

pub fn model_of(name: &str) -> Model {
    match name {
        "Misra1a" | "BoxBOD" => Model::ExpRise,
        "Misra1b" => Model::Misra1b,
        "Misra1c" => Model::Misra1c,
        "Misra1d" => Model::Misra1d,
        "Chwirut1" | "Chwirut2" => Model::Chwirut,
        "Lanczos1" | "Lanczos2" | "Lanczos3" => Model::Lanczos,
        "Gauss1" | "Gauss2" | "Gauss3" => Model::Gauss,
        "DanWood" => Model::DanWood,
        "Kirby2" => Model::Kirby2,
        "Hahn1" | "Thurber" => Model::CubicRatio,
        "Nelson" => Model::Nelson,
        "MGH17" => Model::Mgh17,
        "Roszman1" => Model::Roszman1,
        "ENSO" => Model::Enso,
        "MGH09" => Model::Mgh09,
        "Rat42" => Model::Rat42,
        "MGH10" => Model::Mgh10,
        "Eckerle4" => Model::Eckerle4,
        "Rat43" => Model::Rat43,
        "Bennett5" => Model::Bennett5,
        other => panic!("no model for {other}"),
    }
}

/// A NIST model as a family on the row index.
#[derive(Debug, Clone)]
pub struct NistFamily {
    pub model: Model,
    pub names: Vec<&'static str>,
    pub x: Vec<Vec<f64>>,
}

const NAMES: [&str; 9] = ["b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9"];

impl NistFamily {
    pub fn new(problem: &Problem) -> NistFamily {
        NistFamily {
            model: model_of(&problem.name),
            names: NAMES[..problem.certified.len()].to_vec(),
            x: problem.x.clone(),
        }
    }

    /// Value and gradient at predictor row `r`.
    pub fn value_gradient(&self, r: &[f64], b: &[f64], g: &mut [f64]) -> f64 {
        let x = r[0];
        match self.model {
            Model::ExpRise => {
                let e = (-b[1] * x).exp();
                g[0] = 1.0 - e;
                g[1] = b[0] * x * e;
                b[0] * (1.0 - e)
            }
            Model::Misra1b => {
                let u = 1.0 + b[1] * x / 2.0;
                g[0] = 1.0 - u.powi(-2);
                g[1] = b[0] * x * u.powi(-3);
                b[0] * g[0]
            }
            Model::Misra1c => {
                let u = 1.0 + 2.0 * b[1] * x;
                g[0] = 1.0 - u.powf(-0.5);
                g[1] = b[0] * x * u.powf(-1.5);
                b[0] * g[0]
            }
            Model::Misra1d => {
                let u = 1.0 + b[1] * x;
                g[0] = b[1] * x / u;
                g[1] = b[0] * x / (u * u);
                b[0] * g[0]
            }
            Model::Chwirut => {
                let e = (-b[0] * x).exp();
                let d = b[1] + b[2] * x;
                g[0] = -x * e / d;
                g[1] = -e / (d * d);
                g[2] = -x * e / (d * d);
                e / d
            }
            Model::Lanczos => {
                let mut v = 0.0;
                for k in 0..3 {
                    let e = (-b[2 * k + 1] * x).exp();
                    g[2 * k] = e;
                    g[2 * k + 1] = -b[2 * k] * x * e;
                    v += b[2 * k] * e;
                }
                v
            }
            Model::Gauss => {
                let e = (-b[1] * x).exp();
                g[0] = e;
                g[1] = -b[0] * x * e;
                let mut v = b[0] * e;
                for (a, m, w) in [(2, 3, 4), (5, 6, 7)] {
                    let d = x - b[m];
                    let q = (-(d * d) / (b[w] * b[w])).exp();
                    g[a] = q;
                    g[m] = b[a] * q * 2.0 * d / (b[w] * b[w]);
                    g[w] = b[a] * q * 2.0 * d * d / (b[w] * b[w] * b[w]);
                    v += b[a] * q;
                }
                v
            }
            Model::DanWood => {
                let p = x.powf(b[1]);
                g[0] = p;
                g[1] = b[0] * p * x.ln();
                b[0] * p
            }
            Model::Kirby2 => {
                let n = b[0] + b[1] * x + b[2] * x * x;
                let d = 1.0 + b[3] * x + b[4] * x * x;
                g[0] = 1.0 / d;
                g[1] = x / d;
                g[2] = x * x / d;
                g[3] = -n * x / (d * d);
                g[4] = -n * x * x / (d * d);
                n / d
            }
            Model::CubicRatio => {
                let n = b[0] + b[1] * x + b[2] * x * x + b[3] * x * x * x;
                let d = 1.0 + b[4] * x + b[5] * x * x + b[6] * x * x * x;
                g[0] = 1.0 / d;
                g[1] = x / d;
                g[2] = x * x / d;
                g[3] = x * x * x / d;
                g[4] = -n * x / (d * d);
                g[5] = -n * x * x / (d * d);
                g[6] = -n * x * x * x / (d * d);
                n / d
            }
            Model::Nelson => {
                let (x1, x2) = (r[0], r[1]);
                let e = (-b[2] * x2).exp();
                g[0] = 1.0;
                g[1] = -x1 * e;
                g[2] = b[1] * x1 * x2 * e;
                b[0] - b[1] * x1 * e
            }
            Model::Mgh17 => {
                let (e4, e5) = ((-x * b[3]).exp(), (-x * b[4]).exp());
                g[0] = 1.0;
                g[1] = e4;
                g[2] = e5;
                g[3] = -b[1] * x * e4;
                g[4] = -b[2] * x * e5;
                b[0] + b[1] * e4 + b[2] * e5
            }
            Model::Roszman1 => {
                let d = x - b[3];
                let q = b[2] / d;
                let s = 1.0 / (1.0 + q * q);
                g[0] = 1.0;
                g[1] = -x;
                g[2] = -s / (d * PI);
                g[3] = -s * b[2] / (d * d * PI);
                b[0] - b[1] * x - q.atan() / PI
            }
            Model::Enso => {
                let w = 2.0 * PI * x;
                let (c12, s12) = ((w / 12.0).cos(), (w / 12.0).sin());
                let (c4, s4) = ((w / b[3]).cos(), (w / b[3]).sin());
                let (c7, s7) = ((w / b[6]).cos(), (w / b[6]).sin());
                g[0] = 1.0;
                g[1] = c12;
                g[2] = s12;
                g[3] = (b[4] * s4 - b[5] * c4) * w / (b[3] * b[3]);
                g[4] = c4;
                g[5] = s4;
                g[6] = (b[7] * s7 - b[8] * c7) * w / (b[6] * b[6]);
                g[7] = c7;
                g[8] = s7;
                b[0] + b[1] * c12 + b[2] * s12 + b[4] * c4 + b[5] * s4 + b[7] * c7 + b[8] * s7
            }
            Model::Mgh09 => {
                let n = x * x + x * b[1];
                let d = x * x + x * b[2] + b[3];
                g[0] = n / d;
                g[1] = b[0] * x / d;
                g[2] = -b[0] * n * x / (d * d);
                g[3] = -b[0] * n / (d * d);
                b[0] * n / d
            }
            Model::Rat42 => {
                let e = (b[1] - b[2] * x).exp();
                let d = 1.0 + e;
                g[0] = 1.0 / d;
                g[1] = -b[0] * e / (d * d);
                g[2] = b[0] * x * e / (d * d);
                b[0] / d
            }
            Model::Mgh10 => {
                let e = (b[1] / (x + b[2])).exp();
                g[0] = e;
                g[1] = b[0] * e / (x + b[2]);
                g[2] = -b[0] * e * b[1] / ((x + b[2]) * (x + b[2]));
                b[0] * e
            }
            Model::Eckerle4 => {
                let z = (x - b[2]) / b[1];
                let e = (-0.5 * z * z).exp();
                let v = b[0] / b[1] * e;
                g[0] = e / b[1];
                g[1] = v * (z * z - 1.0) / b[1];
                g[2] = v * z / b[1];
                v
            }
            Model::Rat43 => {
                let e = (b[1] - b[2] * x).exp();
                let d = 1.0 + e;
                let p = d.powf(-1.0 / b[3]);
                let v = b[0] * p;
                g[0] = p;
                g[1] = -v * e / (b[3] * d);
                g[2] = v * x * e / (b[3] * d);
                g[3] = v * d.ln() / (b[3] * b[3]);
                v
            }
            Model::Bennett5 => {
                let u = b[1] + x;
                let p = u.powf(-1.0 / b[2]);
                let v = b[0] * p;
                g[0] = p;
                g[1] = -v / (b[2] * u);
                g[2] = v * u.ln() / (b[2] * b[2]);
                v
            }
        }
    }

    fn row(&self, t: f64) -> &[f64] {
        let i = (t.round().max(0.0) as usize).min(self.x.len() - 1);
        &self.x[i]
    }
}

impl CurveFamily for NistFamily {
    fn name(&self) -> &str {
        "nist"
    }
    fn param_names(&self) -> &[&str] {
        &self.names
    }
    fn eval(&self, t: f64, p: &[f64]) -> f64 {
        let mut g = [0.0; 16];
        self.value_gradient(self.row(t), p, &mut g)
    }
    fn gradient(&self, t: f64, p: &[f64], grad: &mut [f64]) {
        let mut g = [0.0; 16];
        self.value_gradient(self.row(t), p, &mut g);
        grad[..p.len()].copy_from_slice(&g[..p.len()]);
    }
}

/// The response a problem fits (Nelson fits `log y`).
pub fn response(problem: &Problem) -> Vec<f64> {
    if problem.name == "Nelson" {
        problem.y.iter().map(|y| y.ln()).collect()
    } else {
        problem.y.clone()
    }
}

/// Log relative error of `estimate` against `certified`: the number of correct significant
/// digits (11 for an exact match, NIST's certified precision).
pub fn lre(estimate: f64, certified: f64) -> f64 {
    let rel = ((estimate - certified) / certified).abs();
    if !rel.is_finite() {
        return 0.0;
    }
    if rel == 0.0 {
        11.0
    } else {
        (-rel.log10()).clamp(0.0, 11.0)
    }
}

/// The outcome of one problem from one start with the engine's defaults.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The smallest LRE over the parameters (0 when the fit failed).
    pub lre: f64,
    /// Whether the engine reported convergence.
    pub converged: bool,
    pub termination: String,
    pub evaluations: usize,
    pub error: Option<String>,
}

/// Fits `problem` from NIST start 1 or 2 with default options (the start given, the
/// self-starter off).
pub fn solve(problem: &Problem, start: usize) -> Outcome {
    solve_with(problem, start, FitOptions::default())
}

/// Fits `problem` from the parameters `from` with `options` (the self-starter off).
pub fn fit_from(
    problem: &Problem,
    from: &[f64],
    options: FitOptions,
) -> emergence_detect::Result<emergence_detect::Fit> {
    let n = problem.y.len();
    let curve = Curve::builder((0..n).map(|i| i as f64).collect(), response(problem))
        .axis(Axis::Linear)
        .build()?;
    let options = options.self_starter(false).start(from.to_vec());
    fit(Arc::new(NistFamily::new(problem)), &curve, &options)
}

/// The digits of the worst parameter of `params` against the certified values.
pub fn digits(problem: &Problem, params: &[f64]) -> f64 {
    params
        .iter()
        .zip(&problem.certified)
        .map(|(e, c)| lre(*e, *c))
        .fold(11.0, f64::min)
}

/// Fits `problem` from NIST start 1 or 2 with `options` (the start given, the self-starter off).
pub fn solve_with(problem: &Problem, start: usize, options: FitOptions) -> Outcome {
    match fit_from(problem, &problem.starts[start], options) {
        Ok(f) => Outcome {
            lre: digits(problem, f.params()),
            converged: f.termination().converged(),
            termination: format!("{:?}", f.termination()),
            evaluations: f.evaluations(),
            error: None,
        },
        Err(e) => Outcome {
            lre: 0.0,
            converged: false,
            termination: "error".into(),
            evaluations: 0,
            error: Some(e.to_string()),
        },
    }
}
