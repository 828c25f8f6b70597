"""Classify LLM scaling curves: scaling, emergence, U-shapes, inverse scaling, flat.

The Python face of the Rust crate emergence-detect: the same classifier, in microseconds per
curve, with the crate's messages as exceptions.

>>> import emergence_detect as ed
>>> c = ed.Curve([1.25e8, 1.3e9, 2.7e9, 6.05e9, 2.0e10], [0.0, 0.0005, 0.002, 0.323, 0.504],
...              n_examples=[2000] * 5, chance=0.0)
>>> ed.classify(c).category
'emergent'
"""

from ._native import Curve, classify, classify_all, classify_csv, compare

__all__ = ["Curve", "classify", "classify_all", "classify_csv", "compare", "classify_frame"]


def classify_frame(frame):
    """Classify every curve of a pandas DataFrame in the crate's CSV columns.

    Columns: ``curve_id``, ``x_params`` (or ``x``) and ``y`` are required; ``y_random`` (chance),
    ``n_examples``, ``sigma`` and ``y_max`` are optional (one value per curve for ``y_random`` and
    ``y_max``). Returns a DataFrame with one row per curve: ``curve_id``, ``category``,
    ``confidence``, ``critical_x``, ``reason`` (``category`` is ``"error"`` when a curve cannot
    be built or classified, and ``reason`` says why).
    """
    import pandas as pd  # optional dependency

    x_column = "x_params" if "x_params" in frame.columns else "x"
    curves, ids, rows = [], [], []
    for curve_id, group in frame.groupby("curve_id", sort=False):
        kwargs = {}
        for column, name in (("n_examples", "n_examples"), ("sigma", "sigma")):
            if column in group.columns and group[column].notna().all():
                kwargs[name] = group[column].astype(float).tolist()
        for column, name in (("y_random", "chance"), ("y_max", "y_max")):
            if column in group.columns and group[column].notna().any():
                kwargs[name] = float(group[column].dropna().iloc[0])
        try:
            curves.append(
                Curve(group[x_column].astype(float).tolist(), group["y"].astype(float).tolist(), **kwargs)
            )
            ids.append(curve_id)
        except ValueError as error:
            rows.append({"curve_id": curve_id, "category": "error", "confidence": None,
                         "critical_x": None, "reason": str(error)})
    for curve_id, result in zip(ids, classify_all(curves)):
        if isinstance(result, ValueError):
            rows.append({"curve_id": curve_id, "category": "error", "confidence": None,
                         "critical_x": None, "reason": str(result)})
            continue
        critical = result.critical_scale
        rows.append({"curve_id": curve_id, "category": result.category,
                     "confidence": result.confidence,
                     "critical_x": critical["value"] if critical else None,
                     "reason": result.reason})
    return pd.DataFrame(rows, columns=["curve_id", "category", "confidence", "critical_x", "reason"])
