//! A small network that learns modular addition `(a + b) mod p`, trained full-batch with AdamW:
//! the grokking demo's model. Matrix products by ndarray, the backward pass by hand, every random
//! number from a seeded generator, so a run is reproducible bit for bit.

use ndarray::{Array1, Array2, Axis, s};

/// The recipe of one run.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// The modulus `p`: `p * p` pairs `(a, b)`, `p` classes.
    pub modulus: usize,
    /// The share of the pairs used for training; the rest is the validation set.
    pub train_fraction: f64,
    /// The embedding width of each operand (the two are concatenated).
    pub embedding: usize,
    /// The width of the hidden ReLU layer.
    pub hidden: usize,
    /// AdamW's learning rate.
    pub learning_rate: f32,
    /// AdamW's decoupled weight decay (0 for the control run).
    pub weight_decay: f32,
    /// Full-batch steps.
    pub steps: usize,
    /// Seeds the split and the initial weights.
    pub seed: u64,
}

impl Default for Recipe {
    fn default() -> Self {
        Recipe {
            modulus: 53,
            train_fraction: 0.6,
            embedding: 64,
            hidden: 64,
            learning_rate: 3e-2,
            weight_decay: 0.1,
            steps: 3000,
            seed: 1,
        }
    }
}

/// One logged step: the training and validation accuracy and loss after `step` updates.
#[derive(Debug, Clone, Copy)]
pub struct Logged {
    /// The step, from 1.
    pub step: usize,
    /// Accuracy on the training pairs.
    pub train_accuracy: f64,
    /// Accuracy on the held-out pairs.
    pub validation_accuracy: f64,
    /// Mean cross-entropy on the training pairs.
    pub train_loss: f64,
    /// Mean cross-entropy on the held-out pairs.
    pub validation_loss: f64,
}

/// SplitMix64: a small, well-mixed generator, enough for a shuffle and initial weights.
struct SplitMix(u64);

impl SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[0, 1)`.
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box-Muller).
    fn normal(&mut self) -> f64 {
        let u = 1.0 - self.uniform();
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// The parameters, and AdamW's two moments for each.
struct Parameters {
    embedding: Array2<f32>,
    w1: Array2<f32>,
    b1: Array1<f32>,
    w2: Array2<f32>,
    b2: Array1<f32>,
}

impl Parameters {
    fn zeros_like(&self) -> Parameters {
        Parameters {
            embedding: Array2::zeros(self.embedding.raw_dim()),
            w1: Array2::zeros(self.w1.raw_dim()),
            b1: Array1::zeros(self.b1.raw_dim()),
            w2: Array2::zeros(self.w2.raw_dim()),
            b2: Array1::zeros(self.b2.raw_dim()),
        }
    }
    /// The tensors in one fixed order, for the optimizer.
    fn tensors(&mut self) -> [ndarray::ArrayViewMut1<'_, f32>; 5] {
        [
            flat(&mut self.embedding),
            flat(&mut self.w1),
            self.b1.view_mut(),
            flat(&mut self.w2),
            self.b2.view_mut(),
        ]
    }
}

fn flat(a: &mut Array2<f32>) -> ndarray::ArrayViewMut1<'_, f32> {
    let n = a.len();
    a.view_mut()
        .into_shape_with_order(n)
        .expect("a standard-layout matrix flattens")
}

/// The pairs of one split: operands and answers.
struct Split {
    a: Vec<usize>,
    b: Vec<usize>,
    answer: Vec<usize>,
}

/// What one forward pass keeps for the backward pass.
struct Forward {
    input: Array2<f32>,
    pre_activation: Array2<f32>,
    hidden: Array2<f32>,
    probabilities: Array2<f32>,
    loss: f64,
    accuracy: f64,
}

fn forward(params: &Parameters, split: &Split) -> Forward {
    let d = params.embedding.ncols();
    let n = split.a.len();
    let mut input = Array2::<f32>::zeros((n, 2 * d));
    for (i, mut row) in input.axis_iter_mut(Axis(0)).enumerate() {
        row.slice_mut(s![..d])
            .assign(&params.embedding.row(split.a[i]));
        row.slice_mut(s![d..])
            .assign(&params.embedding.row(split.b[i]));
    }
    let pre_activation = input.dot(&params.w1) + &params.b1;
    let hidden = pre_activation.mapv(|v| v.max(0.0));
    let mut probabilities = hidden.dot(&params.w2) + &params.b2;
    let mut loss = 0.0f64;
    let mut correct = 0usize;
    for (i, mut row) in probabilities.axis_iter_mut(Axis(0)).enumerate() {
        let (mut best, mut max) = (0, f32::NEG_INFINITY);
        for (j, &v) in row.iter().enumerate() {
            if v > max {
                (best, max) = (j, v);
            }
        }
        correct += usize::from(best == split.answer[i]);
        let mut total = 0.0f32;
        row.mapv_inplace(|v| {
            // flushed below the normal range: subnormal arithmetic is many times slower, and a
            // run without weight decay drives most probabilities there
            let e = (v - max).exp();
            let e = if e < TINY { 0.0 } else { e };
            total += e;
            e
        });
        row /= total;
        loss -= f64::from(row[split.answer[i]].max(f32::MIN_POSITIVE)).ln();
    }
    Forward {
        input,
        pre_activation,
        hidden,
        probabilities,
        loss: loss / n as f64,
        accuracy: correct as f64 / n as f64,
    }
}

/// The gradients of the mean cross-entropy, by hand.
fn backward(params: &Parameters, split: &Split, f: Forward, grads: &mut Parameters) {
    let n = split.a.len() as f32;
    let d = params.embedding.ncols();
    let mut d_logits = f.probabilities;
    for (i, mut row) in d_logits.axis_iter_mut(Axis(0)).enumerate() {
        row[split.answer[i]] -= 1.0;
        row /= n;
    }
    grads.w2 = f.hidden.t().dot(&d_logits);
    grads.b2 = d_logits.sum_axis(Axis(0));
    let mut d_pre = d_logits.dot(&params.w2.t());
    ndarray::Zip::from(&mut d_pre)
        .and(&f.pre_activation)
        .for_each(|g, &z| {
            if z <= 0.0 {
                *g = 0.0;
            }
        });
    grads.w1 = f.input.t().dot(&d_pre);
    grads.b1 = d_pre.sum_axis(Axis(0));
    let d_input = d_pre.dot(&params.w1.t());
    grads.embedding.fill(0.0);
    for (i, row) in d_input.axis_iter(Axis(0)).enumerate() {
        let mut ea = grads.embedding.row_mut(split.a[i]);
        ea += &row.slice(s![..d]);
        let mut eb = grads.embedding.row_mut(split.b[i]);
        eb += &row.slice(s![d..]);
    }
}

/// Values below this are flushed to zero (see [`flush`]).
const TINY: f32 = 1e-30;

/// Zero for a value below [`TINY`] in magnitude: keeps the arithmetic out of the subnormal range,
/// where it is many times slower.
fn flush(v: f32) -> f32 {
    if v.abs() < TINY { 0.0 } else { v }
}

/// AdamW (decoupled weight decay), betas 0.9 and 0.98.
struct AdamW {
    first: Parameters,
    second: Parameters,
    step: i32,
}

impl AdamW {
    fn update(&mut self, params: &mut Parameters, grads: &mut Parameters, lr: f32, decay: f32) {
        const BETA1: f32 = 0.9;
        const BETA2: f32 = 0.98;
        const EPS: f32 = 1e-8;
        self.step += 1;
        let c1 = 1.0 - BETA1.powi(self.step);
        let c2 = 1.0 - BETA2.powi(self.step);
        let moments = self.first.tensors().into_iter().zip(self.second.tensors());
        for ((mut p, g), (mut m, mut v)) in params
            .tensors()
            .into_iter()
            .zip(grads.tensors())
            .zip(moments)
        {
            ndarray::Zip::from(&mut p)
                .and(&g)
                .and(&mut m)
                .and(&mut v)
                .for_each(|p, &g, m, v| {
                    *m = flush(BETA1 * *m + (1.0 - BETA1) * g);
                    *v = flush(BETA2 * *v + (1.0 - BETA2) * g * g);
                    *p -= lr * decay * *p;
                    *p -= lr * (*m / c1) / ((*v / c2).sqrt() + EPS);
                });
        }
    }
}

/// Trains one run and returns its log, one entry per step.
pub fn train(recipe: &Recipe) -> Vec<Logged> {
    let p = recipe.modulus;
    let mut rng = SplitMix(recipe.seed);
    // the split: a seeded Fisher-Yates shuffle of all p^2 pairs
    let mut pairs: Vec<(usize, usize)> = (0..p).flat_map(|a| (0..p).map(move |b| (a, b))).collect();
    for i in (1..pairs.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        pairs.swap(i, j);
    }
    let n_train = ((pairs.len() as f64) * recipe.train_fraction).round() as usize;
    let split = |pairs: &[(usize, usize)]| Split {
        a: pairs.iter().map(|q| q.0).collect(),
        b: pairs.iter().map(|q| q.1).collect(),
        answer: pairs.iter().map(|q| (q.0 + q.1) % p).collect(),
    };
    let (train_split, validation_split) = (split(&pairs[..n_train]), split(&pairs[n_train..]));

    // initial weights as PyTorch's defaults: embeddings N(0, 1), linear layers U(-1/sqrt(fan_in), ..)
    let (d, h) = (recipe.embedding, recipe.hidden);
    let mut uniform = |rows: usize, cols: usize, fan_in: usize| {
        let bound = 1.0 / (fan_in as f64).sqrt();
        Array2::from_shape_simple_fn((rows, cols), || {
            ((2.0 * rng.uniform() - 1.0) * bound) as f32
        })
    };
    let w1 = uniform(2 * d, h, 2 * d);
    let b1 = uniform(1, h, 2 * d).remove_axis(Axis(0));
    let w2 = uniform(h, p, h);
    let b2 = uniform(1, p, h).remove_axis(Axis(0));
    let embedding = Array2::from_shape_simple_fn((p, d), || rng.normal() as f32);
    let mut params = Parameters {
        embedding,
        w1,
        b1,
        w2,
        b2,
    };
    let mut grads = params.zeros_like();
    let mut optimizer = AdamW {
        first: params.zeros_like(),
        second: params.zeros_like(),
        step: 0,
    };
    let mut log = Vec::with_capacity(recipe.steps);
    // each pass measures both splits at the weights after `updates` steps, then takes one more step;
    // the training pass doubles as the step's gradient
    for updates in 0..=recipe.steps {
        let on_train = forward(&params, &train_split);
        if updates > 0 {
            let on_validation = forward(&params, &validation_split);
            log.push(Logged {
                step: updates,
                train_accuracy: on_train.accuracy,
                validation_accuracy: on_validation.accuracy,
                train_loss: on_train.loss,
                validation_loss: on_validation.loss,
            });
        }
        if updates == recipe.steps {
            break;
        }
        backward(&params, &train_split, on_train, &mut grads);
        optimizer.update(
            &mut params,
            &mut grads,
            recipe.learning_rate,
            recipe.weight_decay,
        );
    }
    log
}
