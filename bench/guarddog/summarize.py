#!/usr/bin/env python3
"""Summarise /tmp/guarddog/results.tsv into /tmp/guarddog/summary.md (safe to run while run.py is going)."""
import collections
import csv
import os
import statistics
import subprocess
import sys

# Work folder (venv, results, raw JSON): outside the repository.
HERE = os.environ.get("ASSAY_GUARDDOG_DIR", "/tmp/guarddog")
SCRIPTS = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results.tsv")
OUT = os.path.join(HERE, "summary.md")
sys.path.insert(0, SCRIPTS)
from run import plan, SAMPLE, TIMEOUT  # noqa: E402


def version():
    try:
        r = subprocess.run([os.path.join(HERE, "venv", "bin", "pip"), "show", "guarddog"],
                           capture_output=True, text=True)
        for line in r.stdout.splitlines():
            if line.startswith("Version:"):
                return line.split(":", 1)[1].strip()
    except Exception:
        pass
    return "?"


def load():
    with open(RESULTS) as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def num(x, default=0):
    try:
        return float(x)
    except (TypeError, ValueError):
        return default


CRITERIA = [
    ("issues > 0 (primary, as briefed)", lambda r: num(r["issues"]) > 0),
    ("any threat-* rule fired (capability-* rules ignored)", lambda r: num(r["threat_issues"]) > 0),
    ("risk_score label suspicious or high_risk (score >= 5)",
     lambda r: r["risk_label"] in ("suspicious", "high_risk")),
    ("risk_score label high_risk (score >= 7)", lambda r: r["risk_label"] == "high_risk"),
]


def pct(a, b):
    return f"{a / b:.4f} ({a}/{b})" if b else "n/a (0/0)"


def main():
    rows = load()
    jobs, k, nmal_total, nben_total = plan(full=True)
    nsample = len(files_sample := [j for j in jobs if j[1] == "malicious" and j[2]])
    ben = [r for r in rows if r["set"] == "benign"]
    mal_all = [r for r in rows if r["set"] == "malicious"]
    mal_s = [r for r in mal_all if r["in_sample"] == "1"]
    ok = lambda rs: [r for r in rs if r["status"] == "ok"]

    L = []
    w = L.append
    w("# GuardDog baseline on the assay eval corpora (dev split)\n")
    w(f"- guarddog version: **{version()}** (pip install guarddog into /tmp/guarddog/venv, Python "
      f"{sys.version.split()[0]})")
    w("- Static scan of local archives only; nothing from the corpora is installed or executed. "
      "guarddog's own kernel sandbox (nono-py, on by default) was active. Its attempts to download "
      "popular-package lists (typosquatting data) fail offline; that only affects metadata rules, "
      "which are not run on local files without `--metadata` anyway.")
    w("- Commands:")
    w("  ```sh")
    w("  python3 -m venv /tmp/guarddog/venv && /tmp/guarddog/venv/bin/pip install guarddog")
    w("  nohup nice -n 19 python3 bench/guarddog/run.py --full > run.log 2>&1 &")
    w("  # per archive, sequentially (1 process), timeout %d s:" % TIMEOUT)
    w("  nice -n 19 /tmp/guarddog/venv/bin/guarddog pypi scan FILE --output-format json")
    w("  python3 bench/guarddog/summarize.py   # regenerates this file from results.tsv")
    w("  ```")
    w(f"- Files: every file under the corpus folders except `*.md`, `*.tsv`, `*.part` (as evaluate.py). "
      f"Malicious sample = every k-th file of the sorted list, k = {nmal_total} // {SAMPLE} = {k} "
      f"-> {nsample} archives (same as `evaluate.py --sample {SAMPLE}`). run.py scans benign first, "
      f"then the sample, then (`--full`) the rest of the malicious set.")
    w("")
    w("## Progress\n")
    w(f"| set | total | scanned | status ok | error | timeout |")
    w(f"|---|---|---|---|---|---|")
    for name, rs, tot in [("benign", ben, nben_total), ("malicious sample", mal_s, nsample),
                          ("malicious all", mal_all, nmal_total)]:
        c = collections.Counter(r["status"] for r in rs)
        w(f"| {name} | {tot} | {len(rs)} | {c['ok']} | {c['error']} | {c['timeout']} |")
    w("")
    w("## Detection\n")
    w("Denominator = all scanned archives (an error/timeout counts as *not flagged*). "
      "Recall on the deterministic sample is the headline; 'all scanned' includes the extra "
      "malicious archives scanned after the sample.\n")
    w("| flag criterion | recall (sample) | recall (all malicious scanned) | FPR (benign) |")
    w("|---|---|---|---|")
    for name, fn in CRITERIA:
        w(f"| {name} | {pct(sum(map(fn, mal_s)), len(mal_s))} | "
          f"{pct(sum(map(fn, mal_all)), len(mal_all))} | {pct(sum(map(fn, ben)), len(ben))} |")
    w("")
    be = sum(1 for r in ben if r["status"] != "ok"); me = sum(1 for r in mal_all if r["status"] != "ok")
    w(f"Errors are counted as not flagged above. If a refused/unreadable archive counted as flagged instead, "
      f"each benign FPR numerator rises by {be} and each malicious (all) recall numerator by {me}.\n")
    w("GuardDog 3.x reports *capability* rules (e.g. `capability-network-outbound`, "
      "`capability-process-spawn`) as issues too, so `issues > 0` flags almost anything that does "
      "I/O; the threat-only and risk-label rows are given for a fairer comparison.\n")
    w("## Time per archive (wall seconds, nice 19, 1 process, 2-core machine shared with a compile)\n")
    w("| set | n | median | mean | max |")
    w("|---|---|---|---|---|")
    for name, rs in [("benign", ben), ("malicious (all scanned)", mal_all), ("both", ben + mal_all)]:
        t = [num(r["seconds"]) for r in rs]
        if t:
            w(f"| {name} | {len(t)} | {statistics.median(t):.2f} | {statistics.mean(t):.2f} | {max(t):.2f} |")
    w("")
    errs = [r for r in rows if r["status"] != "ok"]
    w(f"## Errors / timeouts: {len(errs)}\n")
    for r in errs[:30]:
        w(f"- {r['status']} exit={r['exit_code']} {r['seconds']}s `{r['path']}` {r['gd_errors'][:200]}")
    if len(errs) > 30:
        w(f"- ... {len(errs) - 30} more (see results.tsv)")
    gde = [r for r in rows if r["status"] == "ok" and r["gd_errors"]]
    if gde:
        w(f"\nArchives scanned OK but with entries in guarddog's `errors` field: {len(gde)}")
    w("")
    for title, filt in [("Top 10 rules fired on benign archives (all rules)", lambda x: True),
                        ("Top 10 threat-* rules fired on benign archives", lambda x: not x.startswith("capability-"))]:
        c = collections.Counter(x for r in ben for x in r["rules"].split(",") if x and filt(x))
        w(f"## {title}\n")
        w(f"Count = benign archives (of {len(ben)}) on which the rule reported at least one finding.\n")
        w("| rule | benign archives |")
        w("|---|---|")
        for rule, n in c.most_common(10):
            w(f"| {rule} | {n} |")
        w("")
    c = collections.Counter(x for r in mal_s for x in r["rules"].split(",") if x and not x.startswith("capability-"))
    w("## Top 10 threat-* rules on the malicious sample\n")
    w("| rule | malicious archives |")
    w("|---|---|")
    for rule, n in c.most_common(10):
        w(f"| {rule} | {n} |")
    w("")
    with open(OUT, "w") as f:
        f.write("\n".join(L) + "\n")
    print("\n".join(L))


if __name__ == "__main__":
    main()
