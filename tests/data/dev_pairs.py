"""Baseline/treatment pairs of the published curves, for `emergence compare` (EVALUATION.md).

    python3 tests/data/dev_pairs.py DATA_DIR OUT_DIR

DATA_DIR holds `real/curves.csv` and `real_ushape/curves.csv`. Writes OUT_DIR/curves.csv (both
files together) and OUT_DIR/pairs.csv (`pair_id,baseline_curve_id,treatment_curve_id`):
- `icl:TASK:k` zero-shot against k-shot for the on-emergence curves (Lu et al. 2024);
- `cot-gsm8k:FAMILY` GSM8K 5-shot exact match against 8-shot chain of thought;
- `cot-bbh:FAMILY:TASK` BIG-Bench Hard answer-only against chain of thought (3-shot);
- `ushape:llama-2:TASK` the same for the Llama-2 curves of `real_ushape`.
"""
import collections
import csv
import os
import sys

data, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
rows, ids = [], collections.OrderedDict()
for name in ("real/curves.csv", "real_ushape/curves.csv"):
    for row in csv.DictReader(open(os.path.join(data, name))):
        rows.append(row)
        ids.setdefault(row["curve_id"], row)
with open(os.path.join(out, "curves.csv"), "w", newline="") as f:
    writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    writer.writeheader()
    writer.writerows(rows)

pairs = []
by_task = collections.defaultdict(dict)
for cid in ids:
    if cid.startswith("ukp"):
        parts = cid.split("__")
        by_task[(parts[2], parts[5])][parts[4]] = cid
for (task, _prompt), shots in sorted(by_task.items()):
    for k, cid in sorted(shots.items()):
        if k != "k0" and "k0" in shots:
            pairs.append((f"icl:{task}:{k}", shots["k0"], cid))
families = sorted({cid.split("__")[1] for cid in ids if cid.startswith("obsscaling")})
for fam in families:
    base = f"obsscaling__{fam}__gsm8k__exact-match__k5__openllm"
    treat = f"obsscaling__{fam}__gsm8k__exact-match-flexible-extract__k8__cot-8shot"
    if base in ids and treat in ids:
        pairs.append((f"cot-gsm8k:{fam}", base, treat))
for cid in ids:
    if cid.startswith("obsscaling") and "__bbh-" in cid and cid.endswith("__direct"):
        treat = cid[: -len("direct")] + "cot"
        if treat in ids:
            parts = cid.split("__")
            prefix = "ushape" if parts[1] == "llama-2" else "cot-bbh"
            pairs.append((f"{prefix}:{parts[1]}:{parts[2]}", cid, treat))
with open(os.path.join(out, "pairs.csv"), "w") as f:
    f.write("pair_id,baseline_curve_id,treatment_curve_id\n")
    for pair in pairs:
        f.write(",".join(pair) + "\n")
print(f"{len(pairs)} pairs in {out}/pairs.csv")
