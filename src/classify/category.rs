//! The categories of scaling behaviour.

use std::fmt;
use std::str::FromStr;

/// How a task's score changes with scale.
///
/// Categories speak of *performance*: for a metric where lower is better (a loss), "scaling" means
/// the loss falls. Their CSV/JSON names are `scaling`, `emergent`, `u_shaped`, `inverted_u`,
/// `inverse`, `flat` and `inconclusive`.
///
/// ```
/// use emergence_detect::Category;
/// assert_eq!(Category::UShaped.as_str(), "u_shaped");
/// assert_eq!("inverse".parse::<Category>(), Ok(Category::InverseScaling));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Category {
    /// Improves steadily: linear in `log x`, a saturating power law, a shallow sigmoid.
    #[cfg_attr(feature = "serde", serde(rename = "scaling"))]
    Scaling,
    /// Near chance (or flat) below a critical scale, then a sharp rise well above it.
    #[cfg_attr(feature = "serde", serde(rename = "emergent"))]
    Emergent,
    /// Gets significantly worse, then significantly better.
    #[cfg_attr(feature = "serde", serde(rename = "u_shaped"))]
    UShaped,
    /// Gets significantly better, then significantly worse.
    #[cfg_attr(feature = "serde", serde(rename = "inverted_u"))]
    InvertedU,
    /// Gets steadily worse.
    #[cfg_attr(feature = "serde", serde(rename = "inverse"))]
    InverseScaling,
    /// No significant change (at chance: not yet emerged; high up: saturated).
    #[cfg_attr(feature = "serde", serde(rename = "flat"))]
    Flat,
    /// Too few points, too much noise, or fits that disagree; the reason says which.
    #[cfg_attr(feature = "serde", serde(rename = "inconclusive"))]
    Inconclusive,
}

impl Category {
    /// All categories, the six shapes first.
    ///
    /// ```
    /// use emergence_detect::Category;
    /// assert_eq!(Category::ALL.len(), 7);
    /// assert!(Category::ALL.contains(&Category::Inconclusive));
    /// ```
    pub const ALL: [Category; 7] = [
        Category::Scaling,
        Category::Emergent,
        Category::UShaped,
        Category::InvertedU,
        Category::InverseScaling,
        Category::Flat,
        Category::Inconclusive,
    ];

    /// The CSV/JSON name.
    ///
    /// ```
    /// use emergence_detect::Category;
    /// assert_eq!(Category::InvertedU.as_str(), "inverted_u");
    /// assert_eq!(Category::InvertedU.to_string(), "inverted_u");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Scaling => "scaling",
            Category::Emergent => "emergent",
            Category::UShaped => "u_shaped",
            Category::InvertedU => "inverted_u",
            Category::InverseScaling => "inverse",
            Category::Flat => "flat",
            Category::Inconclusive => "inconclusive",
        }
    }

    /// Position in [`Category::ALL`].
    pub(crate) fn index(self) -> usize {
        Category::ALL.iter().position(|c| *c == self).unwrap_or(6)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown category name.
///
/// ```
/// use emergence_detect::Category;
/// let err = "emergentt".parse::<Category>().unwrap_err();
/// assert!(err.to_string().contains("emergentt"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCategory(pub String);

impl fmt::Display for UnknownCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown category `{}`", self.0)
    }
}

impl std::error::Error for UnknownCategory {}

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| UnknownCategory(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(c));
            assert_eq!(Category::ALL[c.index()], c);
        }
        assert!("emergence".parse::<Category>().is_err());
    }
}
