#!/usr/bin/env python3
"""Install the real node_modules tree of the npm scan benchmark (issue 15, acceptance 4:
a tree of >= 1,000 packages scans in <= 10 s on 2 cores).

The tree is pinned by bench/node-modules/package.json and package-lock.json: the
package.json depends on DEPS, popular packages of a web, Node and tooling project
(bundlers, Babel, ESLint, Jest, React, Angular, Vue, Next, Express, the AWS SDK, ...),
each at an exact version: the one of eval/npm-top1000.tsv when the package is there, else
its `latest` on the day of --generate. The lockfile pins the whole tree with integrities.

default mode:
  Copies the two files into TARGET (default ~/.cache/assay-eval/node-modules-bench) and runs
  `npm ci --ignore-scripts --no-audit --no-fund` there (never an install script: nothing of
  the packages is run), with npm's cache under ~/.cache/assay-eval/npm-cache; then prints
  the counts of the tree (`--count-only` prints them without installing):
  - packages: directories under node_modules, nested included, holding a package.json
    with a "name" (this also counts the few package.json files with a name that packages
    keep in subfolders), and the `packages` entries of the lockfile that npm installed;
  - files, and bytes of .js files (and of .mjs/.cjs, .ts/.d.ts).

--generate:
  Writes bench/node-modules/package.json from DEPS and makes package-lock.json with
  `npm install --package-lock-only --ignore-scripts` in a temporary directory (nothing is
  installed); commit both. Needs the npm registry.

Python >= 3.9 standard library and the npm CLI.

    python3 scripts/install-node-modules.py [--target DIR] [--count-only]
    python3 scripts/install-node-modules.py --generate
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench" / "node-modules"
TSV = ROOT / "eval" / "npm-top1000.tsv"
CACHE = Path.home() / ".cache" / "assay-eval" / "npm-cache"
REGISTRY = os.environ.get("ASSAY_NPM_REGISTRY", "https://registry.npmjs.org")
MAX_DOC = 64 << 20

# Popular packages (most in the top 1,000 by downloads, the others well-known frameworks)
# whose trees together give > 1,000 installed packages. NAME@RANGE asks for a version other
# than the TSV's / latest (an older major where a peer dependency needs it); --generate
# then pins each one to the exact version the lockfile resolved.
DEPS = [
    # bundlers and compilers
    "webpack", "webpack-cli", "webpack-dev-server", "babel-loader", "css-loader", "style-loader",
    "sass-loader", "html-webpack-plugin", "mini-css-extract-plugin", "terser-webpack-plugin",
    "@babel/core", "@babel/preset-env", "@babel/preset-react", "@babel/preset-typescript",
    "@babel/standalone", "typescript@6.0.3", "esbuild", "esbuild-wasm", "rollup", "vite",
    "postcss", "autoprefixer", "tailwindcss", "sass", "terser", "@swc/core",
    # lint, format, test
    "eslint", "typescript-eslint", "prettier", "jest", "ts-jest", "vitest", "jsdom", "mocha",
    "chai", "sinon", "nyc", "@testing-library/react", "@testing-library/jest-dom", "ts-node",
    "nodemon", "husky", "lint-staged",
    # front-end frameworks
    "react", "react-dom", "next", "vue", "@vue/compiler-sfc", "svelte", "@angular/core",
    "@angular/common", "@angular/compiler", "@angular/platform-browser", "rxjs", "zone.js",
    "pdfjs-dist",
    # servers, clients, data
    "express", "body-parser", "cors", "jsonwebtoken", "axios", "node-fetch", "ws", "socket.io",
    "graphql@^16", "@apollo/server", "@nestjs/core", "@nestjs/common", "reflect-metadata",
    "mongoose", "pg", "mysql2", "ioredis", "@aws-sdk/client-s3", "@grpc/grpc-js",
    "googleapis", "firebase-admin",
    # utilities
    "lodash", "moment", "dayjs", "date-fns", "uuid", "zod", "commander", "yargs", "chalk",
    "dotenv", "glob", "fs-extra", "semver", "debug",
]


def tsv_versions() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in TSV.read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        rank, name, version, _ = line.split("\t")
        if rank != "extra" or name not in out:
            out[name] = version
    return out


def latest(name: str) -> str:
    url = f"{REGISTRY.rstrip('/')}/{name.replace('/', '%2f', 1)}"
    req = urllib.request.Request(url, headers={"Accept": "application/vnd.npm.install-v1+json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        body = r.read(MAX_DOC + 1)
    if len(body) > MAX_DOC:
        raise RuntimeError(f"{url}: larger than {MAX_DOC} bytes")
    return json.loads(body)["dist-tags"]["latest"]


def npm(args: list[str], cwd: Path) -> None:
    env = dict(os.environ, npm_config_cache=str(CACHE), npm_config_update_notifier="false")
    cmd = ["npm", *args, "--ignore-scripts", "--no-audit", "--no-fund"]
    print(f"$ (cd {cwd} && {' '.join(cmd)})", file=sys.stderr)
    subprocess.run(cmd, cwd=cwd, env=env, check=True)


def generate() -> int:
    pinned = tsv_versions()
    deps: dict[str, str] = {}
    for spec in DEPS:
        at = spec.rfind("@")
        name, version = (spec[:at], spec[at + 1 :]) if at > 0 else (spec, None)
        deps[name] = version or pinned.get(name) or latest(name)
    manifest = {
        "name": "assay-node-modules-bench",
        "version": "1.0.0",
        "private": True,
        "description": "The node_modules tree of the npm scan benchmark (issue 15, acceptance 4); "
        "made by scripts/install-node-modules.py --generate, installed with npm ci --ignore-scripts.",
        "license": "UNLICENSED",
        "dependencies": dict(sorted(deps.items())),
    }
    BENCH.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nm-bench-") as tmp:
        (Path(tmp) / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
        npm(["install", "--package-lock-only"], Path(tmp))
        lock = json.loads((Path(tmp) / "package-lock.json").read_text())
        exact = {n: lock["packages"][f"node_modules/{n}"]["version"] for n in deps}
        if exact != deps:
            manifest["dependencies"] = dict(sorted(exact.items()))
            (Path(tmp) / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
            npm(["install", "--package-lock-only"], Path(tmp))
        shutil.copy(Path(tmp) / "package.json", BENCH / "package.json")
        shutil.copy(Path(tmp) / "package-lock.json", BENCH / "package-lock.json")
    lock = json.loads((BENCH / "package-lock.json").read_text())
    print(f"{BENCH}: {len(deps)} dependencies, {len(lock['packages']) - 1} packages in the lockfile", file=sys.stderr)
    return 0


def count(target: Path) -> dict:
    nm = target / "node_modules"
    packages = files = 0
    by_ext = {".js": 0, ".mjs/.cjs": 0, ".ts": 0}
    total = 0
    for dirpath, dirnames, filenames in os.walk(nm):
        dirnames[:] = [d for d in dirnames if d != ".bin"] if dirpath == str(nm) else dirnames
        for f in filenames:
            p = os.path.join(dirpath, f)
            if os.path.islink(p):
                continue
            size = os.path.getsize(p)
            files += 1
            total += size
            if f.endswith(".js"):
                by_ext[".js"] += size
            elif f.endswith((".mjs", ".cjs")):
                by_ext[".mjs/.cjs"] += size
            elif f.endswith((".ts", ".mts", ".cts")):
                by_ext[".ts"] += size
        if "package.json" in filenames and dirpath != str(nm):
            try:
                if json.loads(Path(dirpath, "package.json").read_text(errors="replace")).get("name"):
                    packages += 1
            except (ValueError, AttributeError):
                pass
    lock = json.loads((target / "node_modules" / ".package-lock.json").read_text())
    installed = [k for k in lock.get("packages", {}) if k.startswith("node_modules/")]
    return {
        "package_dirs": packages,
        "lock_packages": len(installed),
        "files": files,
        "bytes": total,
        "js_bytes": by_ext[".js"],
        "mjs_cjs_bytes": by_ext[".mjs/.cjs"],
        "ts_bytes": by_ext[".ts"],
    }


def install(target: Path, count_only: bool) -> int:
    if not count_only:
        target.mkdir(parents=True, exist_ok=True)
        for f in ("package.json", "package-lock.json"):
            shutil.copy(BENCH / f, target / f)
        t0 = time.monotonic()
        npm(["ci"], target)
        print(f"npm ci: {time.monotonic() - t0:.0f} s", file=sys.stderr)
    c = count(target)
    print(json.dumps(c))
    print(
        f"{target}/node_modules: {c['package_dirs']} package dirs with a named package.json "
        f"({c['lock_packages']} packages installed per the lockfile), {c['files']} files, "
        f"{c['bytes'] / 1e6:.1f} MB; .js {c['js_bytes'] / 1e6:.1f} MB, .mjs/.cjs "
        f"{c['mjs_cjs_bytes'] / 1e6:.1f} MB, .ts {c['ts_bytes'] / 1e6:.1f} MB",
        file=sys.stderr,
    )
    return 0 if c["package_dirs"] >= 1000 else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--generate", action="store_true", help="rewrite bench/node-modules/package.json and the lockfile")
    ap.add_argument("--target", type=Path, default=Path.home() / ".cache" / "assay-eval" / "node-modules-bench")
    ap.add_argument("--count-only", action="store_true", help="count the installed tree, do not install")
    args = ap.parse_args()
    return generate() if args.generate else install(args.target, args.count_only)


if __name__ == "__main__":
    sys.exit(main())
