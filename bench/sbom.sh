#!/usr/bin/env bash
# Benchmark: `dockguard sbom` against `syft` on the same image archive, cold (no layer cache),
# measuring wall time and peak RSS of each run with GNU time. Both tools write CycloneDX JSON.
#
# Usage: bench/sbom.sh [IMAGE_DIR] [RUNS]
#   IMAGE_DIR  OCI layout to catalogue (default: the debian12-app fixture)
#   RUNS       runs per tool, alternating; the median is reported (default 5)
# Environment:
#   DOCKGUARD  dockguard binary (default: `dockguard` on PATH, else target/release/dockguard)
#   SYFT       syft binary (default: `syft` on PATH)
#   DOCKGUARD_FIXTURES  fixture folder (default: ../shared/fixtures next to the checkout)
# Exits 1 when dockguard is not at least 5x faster with at most 1/4 of syft's peak RSS.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures="${DOCKGUARD_FIXTURES:-$repo/../shared/fixtures}"
image="${1:-$fixtures/images/debian12-app}"
runs="${2:-5}"

dockguard="${DOCKGUARD:-$(command -v dockguard || true)}"
if [ -z "$dockguard" ] && [ -x "$repo/target/release/dockguard" ]; then
    dockguard="$repo/target/release/dockguard"
fi
syft="${SYFT:-$(command -v syft || true)}"
[ -n "$dockguard" ] || { echo "dockguard not found: build with 'cargo build --release -p dockguard-cli' or set DOCKGUARD" >&2; exit 2; }
[ -n "$syft" ] || { echo "syft not found: put it on PATH or set SYFT" >&2; exit 2; }
[ -d "$image" ] || { echo "$image: no such OCI layout" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is required: apt-get install time" >&2; exit 2; }

export SYFT_CHECK_FOR_APP_UPDATE=false
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Runs a command, appends "seconds kilobytes" to the file named by $1.
measure() {
    local out="$1"
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || {
        echo "failed: $*" >&2
        cat "$work/stderr" >&2
        exit 2
    }
    cat "$work/time" >>"$out"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for i in $(seq "$runs"); do
    measure "$work/dg" "$dockguard" sbom --no-cache -q -f cyclonedx -o "$work/dg.cdx.json" "oci-dir:$image"
    measure "$work/syft" "$syft" -q "oci-dir:$image" -o "cyclonedx-json=$work/syft.cdx.json"
done

dg_s=$(cut -d' ' -f1 "$work/dg" | median)
dg_kb=$(cut -d' ' -f2 "$work/dg" | median)
sy_s=$(cut -d' ' -f1 "$work/syft" | median)
sy_kb=$(cut -d' ' -f2 "$work/syft" | median)
dg_pkgs=$(grep -o '"bom-ref": *"pkg:' "$work/dg.cdx.json" | wc -l)
sy_pkgs=$(grep -o '"bom-ref": *"pkg:' "$work/syft.cdx.json" | wc -l)

awk -v dg_s="$dg_s" -v dg_kb="$dg_kb" -v sy_s="$sy_s" -v sy_kb="$sy_kb" \
    -v dg_p="$dg_pkgs" -v sy_p="$sy_pkgs" -v runs="$runs" -v image="$(basename "$image")" '
BEGIN {
    printf "image %s, %d runs each, median, cold (no layer cache)\n", image, runs
    printf "%-10s %10s %14s %10s\n", "tool", "wall (s)", "peak RSS (MB)", "packages"
    printf "%-10s %10.2f %14.1f %10d\n", "dockguard", dg_s, dg_kb / 1024, dg_p
    printf "%-10s %10.2f %14.1f %10d\n", "syft", sy_s, sy_kb / 1024, sy_p
    speed = (dg_s > 0) ? sy_s / dg_s : 1e9
    mem = dg_kb / sy_kb
    printf "speed-up %.1fx (goal >= 5x), memory %.3f of syft (goal <= 0.25)\n", speed, mem
    exit !(speed >= 5 && mem <= 0.25)
}'
