#!/usr/bin/env bash
# Reading and hashing every layer of the largest fixture (debian12-app) with dockguard, against
# `gzip -dc` over the same layer blobs. Prints both times and the ratio (done-when: <= 1.2).
#
# dockguard's number includes opening the layout, verifying every digest (blob and diff_id),
# parsing every tar entry and building the merged view; gzip only inflates.
#
#   bench/image-read.sh [RUNS]        (needs hyperfine and jq; builds release binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
fixtures="${DOCKGUARD_FIXTURES:-../shared/fixtures}"
image="$fixtures/images/debian12-app"
[ -d "$image" ] || { echo "missing fixture: $image" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is required (apt-get install hyperfine)" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is required" >&2; exit 1; }

cargo build --release -q -p dockguard-image --example hostile-images
reader="target/release/examples/hostile-images scan"
# Once the CLI wires `inspect`, measure the real command instead.
if [ -x target/release/dockguard ] && target/release/dockguard inspect --help >/dev/null 2>&1; then
  reader="target/release/dockguard inspect --no-cache"
fi

manifest=$(jq -r '.manifests[0].digest' "$image/index.json" | sed 's/:/\//')
blobs=$(jq -r '.layers[].digest' "$image/blobs/$manifest" | sed "s|sha256:|$image/blobs/sha256/|")
src="oci-dir:$image"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# shellcheck disable=SC2086
hyperfine --runs "$runs" --warmup 1 --export-json "$out/r.json" \
  -n dockguard "$reader $src" \
  -n gzip "gzip -dc $(echo $blobs) > /dev/null"
jq -r '.results | (map({(.command): .mean}) | add) as $m
  | "dockguard \($m.dockguard * 1000 | floor) ms, gzip -dc \($m.gzip * 1000 | floor) ms, ratio \(($m.dockguard / $m.gzip * 100 | floor) / 100)"' "$out/r.json"
