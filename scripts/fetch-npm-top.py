#!/usr/bin/env python3
"""Build and download the npm false-alarm corpus of issue 15, acceptance 3: the tarballs of
the 1,000 most-downloaded npm packages, each pinned in eval/npm-top1000.tsv
(`rank<TAB>name<TAB>version<TAB>integrity`), plus the big bundles the issue names.

Source of the top list: the `npmTopDownloads` export (lib/top-download.js, "sorted by most
downloaded first") of the npm package `npm-high-impact` by Titus Wormer, version 1.13.0,
published on the npm registry on 2026-09-23 (dist.integrity sha512-Dngjb2fy...d7VETA==).
Its list is built by its author from npm download counts; the download-count API itself
is not reachable from the machines of this project. The tarball is read as data: the
quoted names of lib/top-download.js are parsed with a regular expression, nothing of the
package is executed or imported. `--list-version` picks another release of it.

--make-tsv (run on 2026-12-07 for the committed TSV):
  Takes the first 1,000 names of the list whose packument (the abbreviated
  `application/vnd.npm.install-v1+json` form of https://registry.npmjs.org/NAME, scoped
  names as @scope%2fname) still has a `latest` dist-tag with a published version; names
  without one (unpublished, gone) are skipped, reported, and the next names fill in, so
  `rank` is the rank in the source list and gaps in it are the skipped names. Each name is
  pinned to its `latest` version and that version's `dist.integrity` (sha512). Deprecated
  latest versions are kept (they are still downloaded) and reported (the registry seen
  here serves no `deprecated` fields, so none was). The big bundles of BIG_BUNDLES are
  appended with rank `extra` when they are not in the first 1,000, and so is
  typescript@6.0.3 (see BIG_BUNDLES).

default mode (download):
  Fetches each tarball of the TSV to OUT/<name, '/' -> '__'>-<version>.tgz, 8 at a time,
  from the registry's tarball URL (https://registry.npmjs.org/NAME/-/BASENAME-VERSION.tgz,
  the form of every `dist.tarball` there; on a failure the packument's `dist.tarball` is
  looked up and tried) with urllib, or with `--use-npm-pack` through `npm pack NAME@VERSION
  --ignore-scripts` (slower: one npm process per package; npm's cache is put under
  ~/.cache/assay-eval/npm-cache). Every file is checked against the TSV's sha512; a file
  already present with the right digest is not fetched again. Tarballs over 1 GiB and
  packuments over 64 MiB are refused. Nothing is unpacked or run.

Standard library only; Python >= 3.9.

    python3 scripts/fetch-npm-top.py --make-tsv [--count 1000] [--tsv eval/npm-top1000.tsv]
    python3 scripts/fetch-npm-top.py [--out ~/.cache/assay-eval/npm-top] [--limit N]
                                     [--only typescript,webpack] [--use-npm-pack] [--jobs 8]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UA = "assay-fetch-npm-top (+https://github.com/; set ASSAY_CONTACT)"
MAX_DOC = 64 << 20
MAX_FILE = 1 << 30
LIST_PACKAGE = "npm-high-impact"
LIST_VERSION = "1.13.0"
LIST_FILE = "package/lib/top-download.js"
# The big bundles issue 15 names: TypeScript, webpack, esbuild's JS (the `esbuild` wrapper
# and `esbuild-wasm`, which ships the big JS), Babel, Angular, pdf.js. NAME@VERSION pins a
# release besides `latest`: typescript 7 (latest since 2026) is the native compiler, whose
# npm package is a small JS API over platform binaries; 6.0.3 is the last release of the
# compiler written in JS (the multi-MB lib/typescript.js, lib/_tsc.js).
BIG_BUNDLES = [
    "typescript",
    "typescript@6.0.3",
    "webpack",
    "esbuild",
    "esbuild-wasm",
    "@babel/core",
    "@babel/standalone",
    "@angular/core",
    "@angular/compiler",
    "pdfjs-dist",
]
ABBREVIATED = "application/vnd.npm.install-v1+json"


def headers(accept: str | None = None) -> dict:
    h = {"User-Agent": os.environ.get("ASSAY_CONTACT", UA)}
    if accept:
        h["Accept"] = accept
    return h


def get(url: str, accept: str | None = None, limit: int = MAX_DOC, tries: int = 3) -> bytes:
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers(accept)), timeout=60) as r:
                body = r.read(limit + 1)
            if len(body) > limit:
                raise RuntimeError(f"{url}: larger than {limit} bytes")
            return body
        except urllib.error.HTTPError as e:
            if e.code < 500 or attempt == tries - 1:
                raise
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            if attempt == tries - 1:
                raise
        time.sleep(2 * (attempt + 1))
    raise AssertionError("unreachable")


def packument_url(registry: str, name: str) -> str:
    return f"{registry.rstrip('/')}/{name.replace('/', '%2f', 1)}"


def tarball_url(registry: str, name: str, version: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return f"{registry.rstrip('/')}/{name}/-/{base}-{version}.tgz"


def sha512_hex(integrity: str) -> str | None:
    for item in integrity.split():
        algo, _, b64 = item.partition("-")
        if algo == "sha512":
            return base64.b64decode(b64).hex()
    return None


def file_name(name: str, version: str) -> str:
    return f"{name.replace('/', '__')}-{version}.tgz"


# --- the top list -------------------------------------------------------------------------


def top_list(registry: str, version: str) -> list[str]:
    """The names of npm-high-impact's lib/top-download.js, parsed as text."""
    doc = json.loads(get(packument_url(registry, LIST_PACKAGE), ABBREVIATED))
    meta = doc["versions"][version]
    expected = sha512_hex(meta["dist"]["integrity"])
    body = get(meta["dist"]["tarball"], limit=MAX_DOC)
    if hashlib.sha512(body).hexdigest() != expected:
        raise RuntimeError(f"{LIST_PACKAGE}@{version}: sha512 mismatch")
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as tf:
        member = tf.getmember(LIST_FILE)
        text = tf.extractfile(member).read().decode("utf-8")  # type: ignore[union-attr]
    if "export const topDownload = [" not in text:
        raise RuntimeError(f"{LIST_FILE}: not the expected `export const topDownload = [...]`")
    names = re.findall(r"^\s*'((?:@[a-z0-9][\w.~-]*/)?[a-z0-9][\w.~-]*)',?\s*$", text, re.M | re.I)
    print(f"{LIST_PACKAGE}@{version}: {len(names)} names in {LIST_FILE}", file=sys.stderr)
    return names


def pin(registry: str, name: str, version: str | None = None) -> tuple[str, str, str] | str:
    """(version, integrity, deprecation) of the latest release (or of `version`), or the
    reason there is none."""
    try:
        doc = json.loads(get(packument_url(registry, name), ABBREVIATED))
    except urllib.error.HTTPError as e:
        return f"HTTP {e.code}"
    except Exception as e:  # noqa: BLE001 - reported as the skip reason
        return f"error: {e}"
    latest = version or doc.get("dist-tags", {}).get("latest")
    if not latest:
        return "no latest dist-tag (unpublished?)"
    meta = doc.get("versions", {}).get(latest)
    if meta is None:
        return f"latest {latest} not in the packument"
    integrity = meta.get("dist", {}).get("integrity", "")
    if not sha512_hex(integrity):
        return f"{latest}: no sha512 integrity"
    sha = [i for i in integrity.split() if i.startswith("sha512-")][0]
    return latest, sha, str(meta.get("deprecated") or "")


def split_spec(spec: str) -> tuple[str, str | None]:
    """'name' or 'name@version' (scoped names start with '@')."""
    at = spec.rfind("@")
    return (spec[:at], spec[at + 1 :]) if at > 0 else (spec, None)


def make_tsv(args) -> int:
    names = top_list(args.registry, args.list_version)
    rows: list[tuple[str, str, str, str]] = []
    skipped: list[str] = []
    deprecated: list[str] = []
    chosen: set[str] = set()
    i = 0
    with ThreadPoolExecutor(args.jobs) as pool:
        while len(rows) < args.count and i < len(names):
            batch = names[i : i + (args.count - len(rows))]
            start = i
            i += len(batch)
            for k, (name, res) in enumerate(zip(batch, pool.map(lambda n: pin(args.registry, n), batch))):
                rank = start + k + 1
                if isinstance(res, str):
                    skipped.append(f"{rank} {name}: {res}")
                    continue
                version, integrity, dep = res
                if dep:
                    deprecated.append(f"{rank} {name}@{version}: {dep[:100]}")
                rows.append((str(rank), name, version, integrity))
                chosen.add(name)
        extras = [split_spec(b) for b in BIG_BUNDLES]
        extras = [(n, v) for n, v in extras if v is not None or n not in chosen]
        for (name, version), res in zip(extras, pool.map(lambda e: pin(args.registry, *e), extras)):
            if isinstance(res, str):
                skipped.append(f"extra {name}@{version or 'latest'}: {res}")
                continue
            if (name, res[0]) not in {(r[1], r[2]) for r in rows}:
                rows.append(("extra", name, res[0], res[1]))
    in_top = [n for n in BIG_BUNDLES if n in chosen]
    today = time.strftime("%Y-%m-%d", time.gmtime())
    lines = [
        f"# The {args.count} most-downloaded npm packages, from the npmTopDownloads list of "
        f"{LIST_PACKAGE}@{args.list_version}, pinned to their latest version on {today}.",
        "# Made by: python3 scripts/fetch-npm-top.py --make-tsv. rank 'extra' = a big bundle "
        "of issue 15 not in the top list, or a pinned older release of one (typescript 6: the "
        "last compiler in JS); gaps in rank = names skipped (unpublished).",
        "# rank\tname\tversion\tintegrity",
    ]
    lines += ["\t".join(r) for r in rows]
    args.tsv.parent.mkdir(parents=True, exist_ok=True)
    args.tsv.write_text("\n".join(lines) + "\n")
    for s in skipped:
        print(f"skipped: {s}", file=sys.stderr)
    for d in deprecated:
        print(f"deprecated (kept): {d}", file=sys.stderr)
    ranked = [int(r[0]) for r in rows if r[0] != "extra"]
    print(
        f"{args.tsv}: {len(rows)} rows, {len(ranked)} ranked (last rank {max(ranked, default=0)}) and "
        f"{len(rows) - len(ranked)} extra; {len(skipped)} skipped, {len(deprecated)} deprecated; "
        f"big bundles already in the top: {', '.join(in_top) or 'none'}",
        file=sys.stderr,
    )
    return 0


# --- downloads ----------------------------------------------------------------------------


def valid(path: Path, expected: str) -> bool:
    if not path.is_file():
        return False
    h = hashlib.sha512()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest() == expected


def fetch_url(url: str, dest: Path, expected: str) -> int:
    tmp = dest.with_name(dest.name + ".part")
    h = hashlib.sha512()
    n = 0
    req = urllib.request.Request(url, headers=headers())
    try:
        with urllib.request.urlopen(req, timeout=120) as r, open(tmp, "wb") as f:
            length = r.headers.get("Content-Length")
            if length and int(length) > MAX_FILE:
                raise RuntimeError(f"{url}: {length} bytes, over {MAX_FILE}")
            while chunk := r.read(1 << 20):
                n += len(chunk)
                if n > MAX_FILE:
                    raise RuntimeError(f"{url}: larger than {MAX_FILE} bytes")
                h.update(chunk)
                f.write(chunk)
        if h.hexdigest() != expected:
            raise RuntimeError(f"{dest.name}: sha512 mismatch")
        tmp.replace(dest)
        return n
    finally:
        if tmp.exists():
            tmp.unlink()


def fetch_npm_pack(name: str, version: str, dest: Path, expected: str) -> int:
    cache = Path.home() / ".cache" / "assay-eval" / "npm-cache"
    with tempfile.TemporaryDirectory(prefix="npm-pack-", dir=dest.parent) as tmpdir:
        cmd = ["npm", "pack", f"{name}@{version}", "--ignore-scripts", "--json", "--pack-destination", tmpdir]
        env = dict(os.environ, npm_config_cache=str(cache), npm_config_update_notifier="false")
        out = subprocess.run(cmd, cwd=tmpdir, env=env, capture_output=True, text=True, timeout=600)
        if out.returncode != 0:
            raise RuntimeError(f"npm pack {name}@{version}: {out.stderr.strip()[-300:]}")
        filename = json.loads(out.stdout)[0]["filename"]
        got = Path(tmpdir) / Path(filename).name
        if got.stat().st_size > MAX_FILE:
            raise RuntimeError(f"{name}@{version}: larger than {MAX_FILE} bytes")
        if not valid(got, expected):
            raise RuntimeError(f"{dest.name}: sha512 mismatch")
        size = got.stat().st_size
        shutil.move(str(got), dest)
        return size


def fetch_one(args, row: tuple[str, str, str, str]) -> tuple[str, str, int]:
    rank, name, version, integrity = row
    dest = args.out / file_name(name, version)
    expected = sha512_hex(integrity)
    if expected is None:
        return ("failed", f"{name}@{version}: no sha512 in the TSV", 0)
    if valid(dest, expected):
        return ("cached", f"{name}@{version}", dest.stat().st_size)
    try:
        if args.use_npm_pack:
            n = fetch_npm_pack(name, version, dest, expected)
        else:
            try:
                n = fetch_url(tarball_url(args.registry, name, version), dest, expected)
            except urllib.error.HTTPError:
                doc = json.loads(get(packument_url(args.registry, name), ABBREVIATED))
                n = fetch_url(doc["versions"][version]["dist"]["tarball"], dest, expected)
        return ("fetched", f"{name}@{version}", n)
    except Exception as e:  # noqa: BLE001 - reported, the others go on
        return ("failed", f"{name}@{version}: {e}", 0)


def read_tsv(path: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    for line in path.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        rank, name, version, integrity = line.split("\t")
        rows.append((rank, name, version, integrity))
    return rows


def download(args) -> int:
    rows = read_tsv(args.tsv)
    if args.only:
        only = set(args.only.split(","))
        rows = [r for r in rows if r[1] in only]
    if args.limit is not None:
        rows = rows[: args.limit]
    args.out.mkdir(parents=True, exist_ok=True)
    counts = {"fetched": 0, "cached": 0, "failed": 0}
    total = 0
    failures = []
    sizes = []
    t0 = time.monotonic()
    with ThreadPoolExecutor(args.jobs) as pool:
        for k, (status, what, n) in enumerate(pool.map(lambda r: fetch_one(args, r), rows), 1):
            counts[status] += 1
            total += n
            if status == "failed":
                failures.append(what)
                print(f"  failed: {what}", file=sys.stderr)
            else:
                sizes.append((n, what))
                if status == "fetched" or args.verbose:
                    print(f"  [{k}/{len(rows)}] {status} {what} ({n / 1e6:.2f} MB)")
    sizes.sort(reverse=True)
    print("largest: " + ", ".join(f"{w} {n / 1e6:.1f} MB" for n, w in sizes[:10]), file=sys.stderr)
    print(
        f"{len(rows)} tarballs in {args.out}: {counts['fetched']} fetched, {counts['cached']} already there, "
        f"{counts['failed']} failed; {total} bytes ({total / 1e6:.1f} MB) in {time.monotonic() - t0:.0f} s",
        file=sys.stderr,
    )
    return 1 if failures else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--make-tsv", action="store_true", help="build the TSV from the top list instead of downloading")
    ap.add_argument("--tsv", type=Path, default=ROOT / "eval" / "npm-top1000.tsv")
    ap.add_argument("--count", type=int, default=1000, help="how many top names to pin (default 1000)")
    ap.add_argument("--list-version", default=LIST_VERSION, help=f"version of {LIST_PACKAGE} (default {LIST_VERSION})")
    ap.add_argument("--out", type=Path, default=Path.home() / ".cache" / "assay-eval" / "npm-top")
    ap.add_argument("--limit", type=int, help="fetch only the first N rows")
    ap.add_argument("--only", help="comma-separated names to fetch")
    ap.add_argument("--use-npm-pack", action="store_true", help="fetch with `npm pack` instead of urllib")
    ap.add_argument("--jobs", type=int, default=8, help="parallel requests (default 8)")
    ap.add_argument("--verbose", action="store_true", help="also list the tarballs already there")
    ap.add_argument("--registry", default=os.environ.get("ASSAY_NPM_REGISTRY", "https://registry.npmjs.org"))
    args = ap.parse_args()
    return make_tsv(args) if args.make_tsv else download(args)


if __name__ == "__main__":
    sys.exit(main())
