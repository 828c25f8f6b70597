"""The 40-curve review of EVALUATION.md: compares a reviewer's labels with the classifier's.

    cargo run --release -p xtask -- evaluate $DATA/real/curves.csv $DATA/real/labels.csv \
        --no-bootstrap --json /tmp/real.json
    python3 tests/data/review.py /tmp/real.json tests/data/review_labels.csv

`review_labels.csv` holds, per curve, the category or categories (separated by `|`) a reviewer
read from the numbers before seeing any verdict, and whether the reading is `clear` or
`ambiguous`. The curves were drawn with Python's `random.Random(2026)` from `real/curves.csv`,
stratified by the category predicted at the time (10 flat, 10 scaling, 10 emergent, 4 inverse,
4 inverted U, 2 U-shaped). Prints one table row per curve, the agreement on the clear curves and
how many ambiguous curves get a confidence of 0.99 or more.
"""
import csv
import json
import sys

predicted = {row["curve_id"]: row for row in json.load(open(sys.argv[1]))}
agree = clear = ambiguous_certain = 0
for row in csv.DictReader(open(sys.argv[2])):
    got = predicted[row["curve_id"]]
    ok = got["predicted"] in row["labels"].split("|")
    if row["kind"] == "clear":
        clear += 1
        agree += ok
    elif got["confidence"] >= 0.99:
        ambiguous_certain += 1
    print(f"| `{row['curve_id']}` | {row['labels'].replace('|', ' or ')} | {row['kind']} "
          f"| {got['predicted']} | {got['confidence']:.2f} | {'yes' if ok else '**no**'} |")
print(f"clear curves: {agree}/{clear} agree; ambiguous curves at confidence >= 0.99: {ambiguous_certain}")
