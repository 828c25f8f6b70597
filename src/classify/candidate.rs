//! The classifier's menu: candidate families, each with the parameters it pins.

use crate::error::{Error, Result};
use crate::family::{
    Constant, CurveFamily, DoubleLogistic, Hinge, Linear, Logistic, Quadratic, SaturatingPowerLaw,
};
use std::sync::Arc;

/// A value a candidate pins a parameter at.
///
/// ```
/// use emergence_detect::{Candidate, Hinge, Pin};
/// let flat_at_chance = Candidate::new(Hinge::default()).pin("base", Pin::Chance)?;
/// let flat_at_zero = Candidate::new(Hinge::default()).pin("base", Pin::Value(0.0))?;
/// assert_eq!(flat_at_zero.label(), "hinge(base=0)");
/// assert_eq!(flat_at_chance.n_free(), 2);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pin {
    /// A fixed number.
    Value(f64),
    /// The curve's chance level; the candidate is skipped for curves without one.
    Chance,
}

/// One family in the classifier's menu, with parameters it pins.
///
/// ```
/// use emergence_detect::{Candidate, Logistic, Pin};
/// let c = Candidate::new(Logistic).pin("floor", Pin::Chance)?;
/// assert_eq!(c.label(), "logistic(floor=chance)");
/// // a name the family lacks is refused when the pin is set, naming the real ones
/// let err = Candidate::new(Logistic).pin("flor", Pin::Chance).unwrap_err();
/// assert!(err.to_string().contains("floor"));
/// # Ok::<(), emergence_detect::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Candidate {
    family: Arc<dyn CurveFamily>,
    pins: Vec<(String, Pin)>,
    label: String,
    on_lack_of_fit: bool,
}

impl Candidate {
    /// A family with nothing pinned.
    ///
    /// ```
    /// use emergence_detect::{Candidate, Quadratic};
    /// assert_eq!(Candidate::new(Quadratic).label(), "quadratic");
    /// ```
    pub fn new(family: impl CurveFamily + 'static) -> Candidate {
        Candidate::from_arc(Arc::new(family))
    }

    /// A family already shared behind an `Arc`, with nothing pinned.
    ///
    /// ```
    /// use emergence_detect::{Candidate, CurveFamily, Linear};
    /// use std::sync::Arc;
    /// let shared: Arc<dyn CurveFamily> = Arc::new(Linear);
    /// assert_eq!(Candidate::from_arc(shared).label(), "linear");
    /// ```
    pub fn from_arc(family: Arc<dyn CurveFamily>) -> Candidate {
        let label = family.name().to_string();
        Candidate {
            family,
            pins: Vec::new(),
            label,
            on_lack_of_fit: false,
        }
    }

    /// Fits this candidate only when no other candidate explains the curve within its stated
    /// noise (the best fit's goodness of fit rejected at 1%), and never under unknown noise: for
    /// rich families that would otherwise spend degrees of freedom on noise.
    ///
    /// ```
    /// use emergence_detect::{Candidate, DoubleLogistic};
    /// let c = Candidate::new(DoubleLogistic).when_others_misfit();
    /// assert!(c.only_on_lack_of_fit());
    /// ```
    pub fn when_others_misfit(mut self) -> Candidate {
        self.on_lack_of_fit = true;
        self
    }

    /// Whether the candidate is fitted only on lack of fit (see
    /// [`Candidate::when_others_misfit`]).
    ///
    /// ```
    /// use emergence_detect::{Candidate, Linear};
    /// assert!(!Candidate::new(Linear).only_on_lack_of_fit());
    /// ```
    pub fn only_on_lack_of_fit(&self) -> bool {
        self.on_lack_of_fit
    }

    /// Pins parameter `name` (the label records it).
    ///
    /// # Errors
    /// [`Error::UnknownParameter`] when the family has no parameter `name`; the error lists the
    /// names it has.
    ///
    /// ```
    /// use emergence_detect::{Candidate, Logistic, Pin};
    /// let c = Candidate::new(Logistic).pin("floor", Pin::Value(0.0))?;
    /// assert_eq!(c.label(), "logistic(floor=0)");
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn pin(mut self, name: &str, pin: Pin) -> Result<Candidate> {
        let names = self.family.param_names();
        if !names.contains(&name) {
            return Err(Error::UnknownParameter {
                family: self.family.name().to_string(),
                name: name.to_string(),
                known: names.iter().map(|n| n.to_string()).collect(),
            });
        }
        self.pins.retain(|(n, _)| n != name);
        self.pins.push((name.to_string(), pin));
        let pins: Vec<String> = self
            .pins
            .iter()
            .map(|(n, p)| match p {
                Pin::Value(v) => format!("{n}={v}"),
                Pin::Chance => format!("{n}=chance"),
            })
            .collect();
        self.label = format!("{}({})", self.family.name(), pins.join(","));
        Ok(self)
    }

    /// The family.
    ///
    /// ```
    /// use emergence_detect::{Candidate, Hinge};
    /// assert_eq!(Candidate::new(Hinge::default()).family().name(), "hinge");
    /// ```
    pub fn family(&self) -> &Arc<dyn CurveFamily> {
        &self.family
    }

    /// The pinned parameters.
    ///
    /// ```
    /// use emergence_detect::{Candidate, Logistic, Pin};
    /// let c = Candidate::new(Logistic).pin("floor", Pin::Chance)?;
    /// assert_eq!(c.pins(), &[("floor".to_string(), Pin::Chance)]);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn pins(&self) -> &[(String, Pin)] {
        &self.pins
    }

    /// The name used in reports: the family's, with its pins.
    ///
    /// ```
    /// use emergence_detect::{Candidate, Hinge, Pin};
    /// let c = Candidate::new(Hinge::default()).pin("base", Pin::Chance)?;
    /// assert_eq!(c.label(), "hinge(base=chance)");
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Number of parameters left free.
    ///
    /// ```
    /// use emergence_detect::{Candidate, Logistic, Pin};
    /// assert_eq!(Candidate::new(Logistic).n_free(), 4);
    /// assert_eq!(Candidate::new(Logistic).pin("floor", Pin::Chance)?.n_free(), 3);
    /// # Ok::<(), emergence_detect::Error>(())
    /// ```
    pub fn n_free(&self) -> usize {
        self.family.n_params().saturating_sub(self.pins.len())
    }
}

/// The built-in menu: constant, linear, quadratic, 4-parameter logistic and the logistic with its
/// floor at chance, saturating power law, hinge and the hinge flat at chance, and the double
/// logistic (six parameters: fitted to curves of seven points or more, and only when none of the
/// others explains the curve within its stated noise). The broken power law, also
/// six parameters but with no shape the others lack on typical ladders, is left out; add it with
/// [`ClassifierBuilder::family`](super::ClassifierBuilder::family) for long curves.
///
/// ```
/// use emergence_detect::{default_candidates, DefaultClassifier, Hinge};
/// let mut menu = default_candidates();
/// assert!(menu.iter().any(|c| c.label() == "logistic(floor=chance)"));
/// // a menu without the hinges
/// menu.retain(|c| !c.label().starts_with("hinge"));
/// let classifier = DefaultClassifier::builder().candidates(menu).build()?;
/// assert_eq!(classifier.settings().candidates().len(), 7);
/// # Ok::<(), emergence_detect::Error>(())
/// ```
pub fn default_candidates() -> Vec<Candidate> {
    let at_chance = |family: Candidate, name: &str| {
        family
            .pin(name, Pin::Chance)
            .expect("the built-in families have the parameters they pin")
    };
    vec![
        Candidate::new(Constant),
        Candidate::new(Linear),
        Candidate::new(Quadratic),
        Candidate::new(Logistic),
        at_chance(Candidate::new(Logistic), "floor"),
        Candidate::new(SaturatingPowerLaw::default()),
        Candidate::new(Hinge::default()),
        at_chance(Candidate::new(Hinge::default()), "base"),
        Candidate::new(DoubleLogistic).when_others_misfit(),
    ]
}
