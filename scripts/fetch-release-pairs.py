#!/usr/bin/env python3
"""Download the release pairs of eval/release-pairs.tsv for the false-alarm evaluation of
`assay diff` (issue 19, acceptance 3; see docs/release-integrity.md).

For each row (ecosystem, name, old, new) both releases are fetched into
OUT/<ecosystem>/<name>/<version>/:
- PyPI: the sdist and the wheels for one platform: pure Python (`py3-none-any`,
  `py2.py3-none-any`) or CPython `--python` (default cp312) on manylinux x86_64
  (`cp312-cp312`, `cp312-abi3`, older `cp3X-abi3`). Listed with the PEP 691 JSON simple
  API; every file checked against its published sha256.
- npm: the tarball from the packument, checked against `dist.integrity` (sha512), or
  `dist.shasum` (sha1) when no integrity is published.

Files already present with the right digest are not downloaded again. A pair that is not
consecutive on the registry (a final release between the two, or a version missing) is
reported as a warning. Standard library only; Python >= 3.9.

    python3 scripts/fetch-release-pairs.py --out ~/release-pairs [--only scipy,typescript]
                                           [--dry-run] [--python cp313]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UA = "assay-fetch-release-pairs (+https://github.com/; set ASSAY_CONTACT)"
MAX_DOC = 64 << 20
MAX_FILE = 1 << 30


def get(url: str, accept: str | None = None, limit: int = MAX_DOC) -> bytes:
    headers = {"User-Agent": os.environ.get("ASSAY_CONTACT", UA)}
    if accept:
        headers["Accept"] = accept
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60) as r:
        body = r.read(limit + 1)
    if len(body) > limit:
        raise RuntimeError(f"{url}: larger than {limit} bytes")
    return body


def download(url: str, dest: Path, algo: str, expected: str, dry: bool) -> str:
    """Fetch url to dest unless it is there with the right digest; returns a status word."""
    if dest.is_file() and hashlib.new(algo, dest.read_bytes()).hexdigest() == expected:
        return "cached"
    if dry:
        return "would fetch"
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    h = hashlib.new(algo)
    n = 0
    req = urllib.request.Request(url, headers={"User-Agent": os.environ.get("ASSAY_CONTACT", UA)})
    with urllib.request.urlopen(req, timeout=120) as r, open(tmp, "wb") as f:
        while chunk := r.read(1 << 20):
            n += len(chunk)
            if n > MAX_FILE:
                raise RuntimeError(f"{url}: larger than {MAX_FILE} bytes")
            h.update(chunk)
            f.write(chunk)
    if h.hexdigest() != expected:
        tmp.unlink()
        raise RuntimeError(f"{dest.name}: {algo} mismatch ({h.hexdigest()} != {expected})")
    tmp.replace(dest)
    return f"fetched {n / 1e6:.1f} MB"


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(v: str):
    """A rough PEP 440 order (`packaging` when installed)."""
    try:
        from packaging.version import Version  # type: ignore

        return Version(v)
    except Exception:
        return tuple(int(x) if x.isdigit() else -1 for x in re.split(r"[.+-]", v))


def is_final(v: str) -> bool:
    return re.fullmatch(r"[0-9]+(\.[0-9]+)*(\.post[0-9]+)?", v) is not None


def file_version(filename: str, project: str) -> str | None:
    if filename.endswith(".whl"):
        parts = filename[:-4].split("-")
        return parts[1] if len(parts) in (5, 6) and normalize(parts[0]) == project else None
    for ext in (".tar.gz", ".zip", ".tar.bz2"):
        if filename.endswith(ext):
            stem = filename[: -len(ext)]
            for i, c in enumerate(stem):
                if c == "-" and normalize(stem[:i]) == project:
                    return stem[i + 1 :]
    return None


def wanted_wheel(filename: str, python: str) -> bool:
    tags = filename[:-4].split("-")[-3:]
    py, abi, plat = tags
    if plat == "any":
        return abi == "none" and any(p in ("py3", "py2.py3") or p == python for p in py.split("."))
    linux = "manylinux" in plat and plat.endswith("x86_64")
    if not linux:
        return False
    pys = py.split(".")
    return (python in pys and abi in (python, "abi3", "none")) or (abi == "abi3" and any(p.startswith("cp3") for p in pys))


def pypi_pair(index: str, name: str, versions: list[str], out: Path, python: str, dry: bool) -> list[str]:
    project = normalize(name)
    url = f"{index.rstrip('/')}/{project}/"
    doc = json.loads(get(url, "application/vnd.pypi.simple.v1+json"))
    files = doc.get("files", [])
    by_version: dict[str, list[dict]] = {}
    for f in files:
        v = file_version(f["filename"], project)
        if v is not None:
            by_version.setdefault(v, []).append(f)
    warnings = []
    finals = sorted((v for v in by_version if is_final(v)), key=version_key)
    for v in versions:
        if v not in by_version:
            warnings.append(f"pypi {name} {v}: not on the index")
    old, new = versions
    if old in finals and new in finals and finals.index(new) != finals.index(old) + 1:
        between = finals[finals.index(old) + 1 : finals.index(new)]
        warnings.append(f"pypi {name} {old} -> {new}: not consecutive (between: {', '.join(between[:5])})")
    for v in versions:
        chosen = [
            f
            for f in by_version.get(v, [])
            if not f.get("yanked")
            and (not f["filename"].endswith(".whl") or wanted_wheel(f["filename"], python))
        ]
        if not any(f["filename"].endswith(".whl") for f in chosen):
            warnings.append(f"pypi {name} {v}: no wheel for {python}/manylinux x86_64 or pure Python")
        for f in chosen:
            sha = f.get("hashes", {}).get("sha256")
            if not sha:
                warnings.append(f"pypi {name} {v}: {f['filename']} has no sha256; skipped")
                continue
            furl = urllib.parse.urljoin(url, f["url"])
            status = download(furl, out / "pypi" / project / v / f["filename"], "sha256", sha, dry)
            print(f"  pypi {name} {v} {f['filename']}: {status}")
    return warnings


def npm_pair(registry: str, name: str, versions: list[str], out: Path, dry: bool) -> list[str]:
    url = f"{registry.rstrip('/')}/{name.replace('/', '%2f', 1)}"
    doc = json.loads(get(url, "application/json"))
    warnings = []
    allv = doc.get("versions", {})
    times = doc.get("time", {})
    finals = sorted((v for v in allv if re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", v)), key=lambda v: tuple(map(int, v.split("."))))
    old, new = versions
    if old in finals and new in finals and finals.index(new) != finals.index(old) + 1:
        between = finals[finals.index(old) + 1 : finals.index(new)]
        warnings.append(f"npm {name} {old} -> {new}: not consecutive (between: {', '.join(between[:5])})")
    for v in versions:
        meta = allv.get(v)
        if meta is None:
            warnings.append(f"npm {name} {v}: not in the packument")
            continue
        dist = meta.get("dist", {})
        tarball = dist["tarball"]
        integrity = dist.get("integrity", "")
        algo, expected = None, None
        for item in integrity.split():
            a, _, b64 = item.partition("-")
            if a == "sha512":
                algo, expected = "sha512", base64.b64decode(b64).hex()
        if algo is None and dist.get("shasum"):
            algo, expected = "sha1", dist["shasum"].lower()
        if algo is None:
            warnings.append(f"npm {name} {v}: no usable digest; skipped")
            continue
        filename = tarball.rsplit("/", 1)[-1]
        status = download(tarball, out / "npm" / name / v / filename, algo, expected, dry)
        print(f"  npm {name} {v} {filename} ({times.get(v, '?')}): {status}")
    return warnings


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, type=Path, help="download directory")
    ap.add_argument("--pairs", type=Path, default=ROOT / "eval" / "release-pairs.tsv")
    ap.add_argument("--only", help="comma-separated names to fetch")
    ap.add_argument("--python", default="cp312", help="CPython tag of the wheels (default cp312)")
    ap.add_argument("--index-url", default=os.environ.get("ASSAY_INDEX_URL", "https://pypi.org/simple"))
    ap.add_argument("--npm-registry", default=os.environ.get("ASSAY_NPM_REGISTRY", "https://registry.npmjs.org"))
    ap.add_argument("--dry-run", action="store_true", help="list what would be fetched")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    warnings: list[str] = []
    errors = 0
    for line in args.pairs.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        eco, name, old, new = line.split("\t")
        if only and name not in only:
            continue
        print(f"{eco} {name} {old} -> {new}")
        try:
            if eco == "pypi":
                warnings += pypi_pair(args.index_url, name, [old, new], args.out, args.python, args.dry_run)
            elif eco == "npm":
                warnings += npm_pair(args.npm_registry, name, [old, new], args.out, args.dry_run)
            else:
                warnings.append(f"{eco} {name}: unknown ecosystem")
        except Exception as e:  # noqa: BLE001 - report and go on with the next pair
            errors += 1
            print(f"  error: {e}", file=sys.stderr)
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    print(f"{errors} error(s), {len(warnings)} warning(s)", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
