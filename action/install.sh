#!/usr/bin/env bash
# Step 1 of action.yml: find or build the `assay` binary and print its path as the
# step output `assay`. A path given as the `assay` input is used as it is; otherwise the
# binary is built from this action's own source (`cargo install --locked`, the versions
# pinned by Cargo.lock) into the runner's tool cache.
set -euo pipefail
out="${GITHUB_OUTPUT:-/dev/stdout}"
if [[ -n "${INPUT_ASSAY:-}" ]]; then
  if [[ ! -x "$INPUT_ASSAY" ]]; then
    echo "assay action: input assay=$INPUT_ASSAY is not an executable file" >&2
    exit 2
  fi
  echo "assay=$INPUT_ASSAY" >> "$out"
  exit 0
fi
root="${RUNNER_TOOL_CACHE:-${TMPDIR:-/tmp}}/assay"
if ! command -v cargo >/dev/null 2>&1; then
  echo "assay action: cargo not found; install a Rust toolchain first or pass a prebuilt binary as the assay input" >&2
  exit 2
fi
cargo install --locked --quiet --root "$root" --path "${GITHUB_ACTION_PATH:?}/crates/assay"
echo "assay=$root/bin/assay" >> "$out"
