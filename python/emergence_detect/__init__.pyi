from typing import Any

from ._native import Curve as Curve
from ._native import classify as classify
from ._native import classify_all as classify_all
from ._native import classify_csv as classify_csv
from ._native import compare as compare

def classify_frame(frame: Any) -> Any: ...
