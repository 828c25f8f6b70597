//! Python bindings of emergence-detect: `Curve`, `classify`, `classify_all` (in parallel, without
//! the GIL), `compare`, and their results as Python objects with `to_dict()` and pickling.

use emergence_detect as ed;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The crate's errors as Python `ValueError`s with the crate's message.
fn value_error(e: ed::Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// A validated scaling curve: scores `y` at scales `x` (lists or numpy arrays).
#[pyclass(module = "emergence_detect._native", frozen)]
#[derive(Clone)]
struct Curve {
    inner: ed::Curve,
}

#[pymethods]
impl Curve {
    #[new]
    #[pyo3(signature = (x, y, *, n_examples=None, sigma=None, chance=None, y_max=None, higher_is_better=true))]
    fn new(
        x: Vec<f64>,
        y: Vec<f64>,
        n_examples: Option<Vec<f64>>,
        sigma: Option<Vec<f64>>,
        chance: Option<f64>,
        y_max: Option<f64>,
        higher_is_better: bool,
    ) -> PyResult<Self> {
        let mut b = ed::Curve::builder(x, y).higher_is_better(higher_is_better);
        if let Some(n) = n_examples {
            b = b.n_examples(n);
        }
        if let Some(s) = sigma {
            b = b.sigma(s);
        }
        if let Some(c) = chance {
            b = b.chance(c);
        }
        if let Some(m) = y_max {
            b = b.y_max(m);
        }
        Ok(Curve {
            inner: b.build().map_err(value_error)?,
        })
    }

    /// The scales, sorted.
    #[getter]
    fn x(&self) -> Vec<f64> {
        self.inner.x().to_vec()
    }

    /// The scores, in the order of `x`.
    #[getter]
    fn y(&self) -> Vec<f64> {
        self.inner.y().to_vec()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("Curve({} points)", self.inner.len())
    }
}

/// A result (classification or comparison): its fields as attributes and `to_dict()`, from the
/// crate's own serialisation; `Display` as `str()`.
#[pyclass(name = "Result", module = "emergence_detect._native", frozen)]
struct Outcome {
    json: String,
    text: String,
}

#[pymethods]
impl Outcome {
    /// The result as a dictionary (the crate's JSON serialisation).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = py.import("json")?;
        json.call_method1("loads", (&self.json,))
    }

    /// The result as JSON text.
    fn to_json(&self) -> &str {
        &self.json
    }

    fn __getattr__<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let dict = self.to_dict(py)?;
        let dict = dict.downcast::<PyDict>()?;
        dict.get_item(name)?
            .ok_or_else(|| pyo3::exceptions::PyAttributeError::new_err(name.to_string()))
    }

    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        self.text.lines().next().unwrap_or("").to_string()
    }

    /// Pickling: rebuilt from its JSON and text.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String, String))> {
        let module = py.import("emergence_detect._native")?;
        Ok((
            module.getattr("_result_from_parts")?,
            (self.json.clone(), self.text.clone()),
        ))
    }
}

#[pyfunction]
fn _result_from_parts(json: String, text: String) -> Outcome {
    Outcome { json, text }
}

fn wrap<T: serde_json_like::Serialise + std::fmt::Display>(value: &T) -> PyResult<Outcome> {
    Ok(Outcome {
        json: value
            .to_json()
            .map_err(|e| PyValueError::new_err(e.to_string()))?,
        text: value.to_string(),
    })
}

mod serde_json_like {
    /// Results that serialise to JSON.
    pub trait Serialise {
        fn to_json(&self) -> serde_json::Result<String>;
    }
    impl Serialise for emergence_detect::Classification {
        fn to_json(&self) -> serde_json::Result<String> {
            serde_json::to_string(self)
        }
    }
    impl Serialise for emergence_detect::Comparison {
        fn to_json(&self) -> serde_json::Result<String> {
            serde_json::to_string(self)
        }
    }
}

/// Classifies one curve with the default classifier.
#[pyfunction]
fn classify(curve: &Curve) -> PyResult<Outcome> {
    wrap(&ed::classify(&curve.inner).map_err(value_error)?)
}

/// Classifies many curves in parallel, without holding the GIL; results in input order. A curve
/// that fails gives a `ValueError` object in its place, never losing the others.
#[pyfunction]
fn classify_all(py: Python<'_>, curves: Vec<Curve>) -> PyResult<Vec<PyObject>> {
    let inner: Vec<ed::Curve> = curves.into_iter().map(|c| c.inner).collect();
    let classifier = ed::DefaultClassifier::default();
    let results = py.allow_threads(|| ed::classify_all(&classifier, &inner));
    results
        .into_iter()
        .map(|r| match r {
            Ok(c) => Ok(Py::new(py, wrap(&c)?)?.into_any()),
            Err(e) => Ok(value_error(e).into_value(py).into_any()),
        })
        .collect()
}

/// Compares a baseline and a treatment curve of the same models (see the crate's `compare`).
#[pyfunction]
#[pyo3(signature = (baseline, treatment, *, correlation=0.0))]
fn compare(baseline: &Curve, treatment: &Curve, correlation: f64) -> PyResult<Outcome> {
    let options = ed::CompareOptions::default()
        .correlation(correlation)
        .map_err(value_error)?;
    let classifier = ed::DefaultClassifier::default();
    wrap(
        &ed::compare_with(&classifier, &baseline.inner, &treatment.inner, &options)
            .map_err(value_error)?,
    )
}

/// Reads a CSV file of curves (the crate's long layout) and classifies each: a list of
/// `(curve_id, result or ValueError)`.
#[pyfunction]
fn classify_csv(py: Python<'_>, path: &str) -> PyResult<Vec<(String, PyObject)>> {
    let records = ed::io::read_curves(path).map_err(value_error)?;
    let classifier = ed::DefaultClassifier::default();
    let mut out = Vec::with_capacity(records.len());
    for r in records {
        let item = match r
            .curve
            .and_then(|c| ed::Classifier::classify(&classifier, &c))
        {
            Ok(c) => Py::new(py, wrap(&c)?)?.into_any(),
            Err(e) => value_error(e).into_value(py).into_any(),
        };
        out.push((r.id, item));
    }
    Ok(out)
}

/// The native part of the `emergence_detect` package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Curve>()?;
    m.add_class::<Outcome>()?;
    m.add_function(wrap_pyfunction!(classify, m)?)?;
    m.add_function(wrap_pyfunction!(classify_all, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(classify_csv, m)?)?;
    m.add_function(wrap_pyfunction!(_result_from_parts, m)?)?;
    Ok(())
}
