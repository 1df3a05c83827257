#!/bin/sh
# Vulnerability database numbers: import time, size on disk and open time for the shared OSV
# fixtures, and matching time for a 10k-package inventory (release build).
#
# Usage: bench/vulndb.sh   (DOCKGUARD_FIXTURES overrides the fixtures folder)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIXTURES=${DOCKGUARD_FIXTURES:-$ROOT/../shared/fixtures}
OSV=$FIXTURES/osv
[ -d "$OSV" ] || { echo "bench/vulndb.sh: $OSV not found (set DOCKGUARD_FIXTURES)" >&2; exit 2; }

cd "$ROOT"
cargo build --release -q -p dockguard-vulndb --example vulndb_bench
BIN=$ROOT/target/release/examples/vulndb_bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN" import "$OSV" "$WORK/db"
echo "db_bytes=$(du -sb "$WORK/db" | cut -f1)"
"$BIN" inventory "$OSV" 10000 "$WORK/inventory.tsv"
"$BIN" match "$WORK/db" "$WORK/inventory.tsv"
# A typical inventory: mostly packages no advisory names.
head -n 1000 "$WORK/inventory.tsv" > "$WORK/typical.tsv"
i=0
while [ "$i" -lt 9000 ]; do printf 'Debian:12\tlibother%s\t1.0-1\n' "$i"; i=$((i + 1)); done >> "$WORK/typical.tsv"
"$BIN" match "$WORK/db" "$WORK/typical.tsv"
