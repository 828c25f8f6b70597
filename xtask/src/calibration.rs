//! Reliability tables: how often verdicts reported at a confidence are right.

/// Lower edges of the confidence bins.
const BINS: [f64; 5] = [0.0, 0.5, 0.75, 0.9, 0.99];

/// Verdicts counted per confidence bin: how many, how many right, and their summed confidence.
#[derive(Default)]
pub struct Calibration {
    bins: [(usize, usize, f64); BINS.len()],
}

impl Calibration {
    /// Counts one verdict at `confidence`, right or not.
    pub fn add(&mut self, confidence: f64, right: bool) {
        let bin = BINS.iter().rposition(|&lo| confidence >= lo).unwrap_or(0);
        self.bins[bin].0 += 1;
        self.bins[bin].1 += usize::from(right);
        self.bins[bin].2 += confidence;
    }

    /// The expected calibration error: the bins' gaps between mean confidence and accuracy,
    /// weighted by their counts.
    pub fn expected_error(&self) -> f64 {
        let total: usize = self.bins.iter().map(|b| b.0).sum();
        self.bins
            .iter()
            .filter(|b| b.0 > 0)
            .map(|&(n, right, sum)| {
                let n_f = n as f64;
                n_f / total as f64 * (sum / n_f - right as f64 / n_f).abs()
            })
            .sum()
    }

    /// The share right among verdicts at 0.99 or more, and how many there are.
    pub fn top(&self) -> (f64, usize) {
        let (n, right, _) = self.bins[BINS.len() - 1];
        (right as f64 / n.max(1) as f64, n)
    }

    /// Prints the table, one line per bin, then the expected calibration error.
    pub fn print(&self) {
        println!("calibration (confidence bin: curves, mean confidence, accuracy):");
        for (i, &(n, right, sum)) in self.bins.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let hi = BINS.get(i + 1).copied().unwrap_or(1.0);
            let close = if i + 1 == BINS.len() { "]" } else { ")" };
            println!(
                "  [{:.2}, {hi:.2}{close}: {n:>5}  {:.3}  {:.3}",
                BINS[i],
                sum / n as f64,
                right as f64 / n as f64
            );
        }
        println!("  expected calibration error: {:.3}", self.expected_error());
    }
}
