#!/usr/bin/env python3
"""Run `assay diff OLD NEW` over every pair of eval/release-pairs.tsv downloaded by
scripts/fetch-release-pairs.py, and count the diff verdicts (issue 19, acceptance 3).

    python3 scripts/diff-release-pairs.py --assay target/release/assay --dir ~/release-pairs

Prints every artifact whose diff verdict is not `clean` with its medium-or-worse
findings, then the counts. Exit status 1 when any diff is `malicious`. Standard library
only.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--assay", required=True, help="the assay binary")
    ap.add_argument("--dir", required=True, help="the --out directory of fetch-release-pairs.py")
    ap.add_argument("--pairs", default=str(ROOT / "eval" / "release-pairs.tsv"))
    args = ap.parse_args()
    counts: collections.Counter[str] = collections.Counter()
    pairs = 0
    start = time.monotonic()
    for line in Path(args.pairs).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        eco, name, old, new = line.split("\t")
        base = Path(args.dir) / eco / name
        p = subprocess.run(
            [args.assay, "diff", str(base / old), str(base / new), "--format", "json"],
            capture_output=True,
        )
        if p.returncode not in (0, 1):
            print(f"ERROR {eco} {name} {old} {new}: {p.stderr.decode()[:300]}")
            counts["error"] += 1
            continue
        pairs += 1
        for a in json.loads(p.stdout)["artifacts"]:
            counts[a["verdict"]] += 1
            if a["verdict"] != "clean":
                print(f"{a['verdict']:10} {eco} {name} {old} -> {new}  {a['path'].split('/')[-1]}")
                for f in a["findings"]:
                    if f["severity"] in ("medium", "high", "critical"):
                        print(f"    {f['rule']['code']} {f['severity']}/{f['confidence']} "
                              f"{f['location']['path']}: {f['evidence'][:120]}")
    total = sum(v for k, v in counts.items() if k != "error")
    print(f"{pairs} pairs, {total} compared artifacts: " + ", ".join(
        f"{k} {v}" for k, v in sorted(counts.items())) + f"; {time.monotonic() - start:.0f} s")
    return 1 if counts["malicious"] else 0


if __name__ == "__main__":
    sys.exit(main())
