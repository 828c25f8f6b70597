"""The Python package: the same answers as the Rust crate, Python errors, batches, pickling."""

import csv
import json
import os
import pickle
import subprocess

import pytest

import emergence_detect as ed

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "tests", "data", "cli_example.csv")

GPT_NEO_X = [1.25e8, 1.3e9, 2.7e9, 6.05e9, 2.0e10]
GPT_NEO_Y = [0.0, 0.0005, 0.002, 0.323, 0.504]


def gpt_neo():
    return ed.Curve(GPT_NEO_X, GPT_NEO_Y, n_examples=[2000] * 5, chance=0.0)


def test_classify_names_the_category_with_its_evidence():
    result = ed.classify(gpt_neo())
    assert result.category == "emergent"
    assert 0.0 <= result.confidence <= 1.0
    crit = result.critical_scale
    assert 2.7e9 <= crit["value"] <= 2.0e10
    assert "emergent" in str(result)
    assert result.to_dict()["category"] == "emergent"


def test_numpy_arrays_are_accepted():
    np = pytest.importorskip("numpy")
    curve = ed.Curve(np.array(GPT_NEO_X), np.array(GPT_NEO_Y), n_examples=np.full(5, 2000.0), chance=0.0)
    assert ed.classify(curve).to_json() == ed.classify(gpt_neo()).to_json()


def test_bad_input_raises_the_crates_message():
    with pytest.raises(ValueError, match="not finite|NaN"):
        ed.Curve([1e8, 1e9], [0.1, float("nan")])
    with pytest.raises(ValueError, match="length"):
        ed.Curve([1e8, 1e9, 1e10], [0.1, 0.2])
    with pytest.raises(ValueError, match="does not fit the curve's scale"):
        ed.Curve([1e8, 1e9, 1e10], [25.0, 40.0, 60.0], chance=0.25)


def test_classify_all_keeps_order_and_isolates_failures():
    curves = [gpt_neo(), ed.Curve([1e8, 1e9, 1e10, 1e11], [0.3, 0.3, 0.3, 0.3], n_examples=[500] * 4)]
    results = ed.classify_all(curves)
    assert [r.category for r in results] == ["emergent", "flat"]
    assert results[0].to_json() == ed.classify(curves[0]).to_json()


def test_results_pickle():
    result = ed.classify(gpt_neo())
    again = pickle.loads(pickle.dumps(result))
    assert again.to_json() == result.to_json()
    assert str(again) == str(result)


def test_compare_says_when_the_benefit_emerges():
    x = [1e8, 1e9, 1e10, 1e11, 1e12]
    zero = ed.Curve(x, [0.26] * 5, n_examples=[1000] * 5, chance=0.25)
    few = ed.Curve(x, [0.26, 0.27, 0.3, 0.62, 0.8], n_examples=[1000] * 5, chance=0.25)
    c = ed.compare(zero, few)
    assert c.gain_classification["category"] == "emergent"
    assert "benefit emerges" in c.reason


def test_python_and_rust_agree_on_the_same_curves():
    """The curves of the shipped example, built in Python from the CSV, classify exactly as the
    crate's own CSV reader and classifier do."""
    rows = {}
    with open(EXAMPLE) as f:
        for row in csv.DictReader(f):
            rows.setdefault(row["curve_id"], []).append(row)
    from_rust = dict(ed.classify_csv(EXAMPLE))
    compared = 0
    for curve_id, points in rows.items():
        if isinstance(from_rust[curve_id], ValueError):
            continue
        points.sort(key=lambda r: float(r["x_params"]))
        kwargs = {}
        if all(p.get("n_examples") for p in points):
            kwargs["n_examples"] = [float(p["n_examples"]) for p in points]
        if points[0].get("y_random"):
            kwargs["chance"] = float(points[0]["y_random"])
        curve = ed.Curve([float(p["x_params"]) for p in points], [float(p["y"]) for p in points], **kwargs)
        assert ed.classify(curve).to_json() == from_rust[curve_id].to_json()
        compared += 1
    assert compared >= 1


def test_classify_frame():
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(EXAMPLE)
    out = ed.classify_frame(frame)
    assert list(out.columns)[:3] == ["curve_id", "category", "confidence"]
    assert len(out) == frame["curve_id"].nunique()
