#!/usr/bin/env python3
"""Run GuardDog (static scan only) over the assay eval corpora, one archive at a time.

Order: all benign archives, then the deterministic malicious sample (every k-th file of the
sorted list, k = len(mal) // SAMPLE, as evaluate.py --sample does), then -- with --full --
the remaining malicious archives. Results are appended to results.tsv as each archive finishes;
archives already present in results.tsv are skipped, so the script can be re-run to resume.

Nothing from the corpora is installed, imported or executed: each archive path is only handed
to `guarddog pypi scan FILE --output-format json`.
"""
import argparse
import gzip
import json
import os
import signal
import subprocess
import sys
import time

# Work folder (venv, results, raw JSON): outside the repository.
HERE = os.environ.get("ASSAY_GUARDDOG_DIR", "/tmp/guarddog")
SCRIPTS = os.path.dirname(os.path.abspath(__file__))
MAL_ROOT = "/work/shared/corpus/pypi-malicious-dev"
BEN_ROOT = "/root/.cache/assay-eval/benign-dev"
GUARDDOG = os.path.join(HERE, "venv", "bin", "guarddog")
RESULTS = os.path.join(HERE, "results.tsv")
JSON_DIR = os.path.join(HERE, "json")
TIMEOUT = 120
SAMPLE = 400
COLS = ["path", "set", "in_sample", "status", "exit_code", "seconds", "issues",
        "threat_issues", "risk_label", "risk_score", "rules", "gd_errors"]


def files_under(root):  # identical to /work/shared/eval/evaluate.py
    out = []
    for d, _, names in os.walk(root):
        for n in names:
            if n.endswith((".md", ".tsv", ".part")):
                continue
            out.append(os.path.join(d, n))
    return sorted(out)


def plan(full):
    mal = files_under(MAL_ROOT)
    ben = files_under(BEN_ROOT)
    k = max(1, len(mal) // SAMPLE)
    sample = mal[::k]
    sset = set(sample)
    jobs = [(p, "benign", 1) for p in ben] + [(p, "malicious", 1) for p in sample]
    if full:
        jobs += [(p, "malicious", 0) for p in mal if p not in sset]
    return jobs, k, len(mal), len(ben)


def done_paths():
    if not os.path.exists(RESULTS):
        return set()
    with open(RESULTS) as f:
        next(f, None)
        return {line.split("\t", 1)[0] for line in f if line.strip()}


def clean(s):
    return str(s).replace("\t", " ").replace("\n", " ")[:500]


def scan_one(path):
    cmd = ["nice", "-n", "19", GUARDDOG, "pypi", "scan", path, "--output-format", "json"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True, text=True)
    try:
        out, err = p.communicate(timeout=TIMEOUT)
        status = None
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)  # the process group this call created
        out, err = p.communicate()
        status = "timeout"
    secs = time.monotonic() - t0
    row = {"path": path, "exit_code": p.returncode, "seconds": f"{secs:.2f}", "issues": "",
           "threat_issues": "", "risk_label": "", "risk_score": "", "rules": "", "gd_errors": ""}
    if status == "timeout":
        row["status"] = "timeout"
        return row, None, err
    try:
        d = json.loads(out)
    except Exception:
        row["status"] = "error"
        row["gd_errors"] = clean((err or "").strip().splitlines()[-1:] or "no json output")
        return row, None, err
    res = d.get("results", {}) or {}
    fired = sorted(k for k, v in res.items() if v)
    threat_issues = 0
    for k, v in res.items():
        if k.startswith("capability-") or not v:
            continue
        threat_issues += len(v) if isinstance(v, (list, dict)) else 1
    rs = d.get("risk_score") or {}
    row.update({
        "status": "ok" if p.returncode == 0 else "error",
        "issues": d.get("issues", ""),
        "threat_issues": threat_issues,
        "risk_label": rs.get("label", ""),
        "risk_score": rs.get("score", ""),
        "rules": ",".join(fired),
        "gd_errors": clean(json.dumps(d.get("errors"))) if d.get("errors") else "",
    })
    return row, d, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--full", action="store_true",
                    help="after the sample, scan the rest of the malicious set too")
    args = ap.parse_args()
    jobs, k, nmal, nben = plan(args.full)
    os.makedirs(JSON_DIR, exist_ok=True)
    seen = done_paths()
    print(f"benign={nben} malicious={nmal} k={k} sample={sum(1 for j in jobs if j[1]=='malicious' and j[2])}"
          f" jobs={len(jobs)} already_done={len(seen)}", flush=True)
    new = not os.path.exists(RESULTS)
    with open(RESULTS, "a") as f:
        if new:
            f.write("\t".join(COLS) + "\n")
            f.flush()
        for i, (path, kind, in_sample) in enumerate(jobs):
            if path in seen:
                continue
            row, d, err = scan_one(path)
            row["set"] = kind
            row["in_sample"] = in_sample
            f.write("\t".join(clean(row[c]) for c in COLS) + "\n")
            f.flush()
            rel = os.path.relpath(path, "/").replace("/", "__")
            if d is not None:
                with gzip.open(os.path.join(JSON_DIR, rel + ".json.gz"), "wt") as jf:
                    json.dump(d, jf)
            else:
                with open(os.path.join(JSON_DIR, rel + ".stderr.txt"), "w") as ef:
                    ef.write(err or "")
            print(f"[{i+1}/{len(jobs)}] {kind} {row['status']} {row['seconds']}s "
                  f"issues={row['issues']} {os.path.basename(path)}", flush=True)


if __name__ == "__main__":
    main()
