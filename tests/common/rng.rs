//! A small seeded generator (SplitMix64) for test data and the development tools: the same seed
//! gives the same data, with no dependency.
#![allow(dead_code)]

/// SplitMix64, seeded.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.uniform(0.0, 1.0);
        let v = self.uniform(0.0, 1.0);
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// A binomial proportion: `n` Bernoulli(`p`) draws.
    pub fn proportion(&mut self, p: f64, n: usize) -> f64 {
        let hits = (0..n).filter(|_| self.uniform(0.0, 1.0) < p).count();
        hits as f64 / n as f64
    }

    /// An accuracy measured on `n` examples: `k / n` with `k` binomial (normal approximation).
    pub fn measured(&mut self, p: f64, n: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        let k = (p * n + (p * (1.0 - p) * n).sqrt() * self.normal()).round();
        k.clamp(0.0, n) / n
    }
}
