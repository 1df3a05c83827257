#!/usr/bin/env bash
# Secret-scan throughput on a large text corpus, in MB/s per core (done-when: >= 1000 MB/s).
#
#   bench/secrets.sh [SOURCE] [MIN_MB] [RUNS]
#
# The corpus is every text file (no NUL byte in its first 8 KiB) of SOURCE — by default the
# debian12-app fixture image: Python and Node packages, Debian configuration and docs, the
# planted secrets — repeated until it reaches MIN_MB (default 512). That is text with the
# keyword density of a real image, not a synthetic best case.
#
# The timed part is the whole engine (prefilter, rule regexes, checks, line numbers, allow
# rules) as the layer analyzer calls it, on one thread. Reading and decompressing layers is not
# included: that is the image reader's cost, measured by bench/image-read.sh. Two numbers are
# printed: wall-clock MB/s of the scanning thread, and MB/s per CPU second of that thread (the
# per-core figure; on a busy machine wall-clock also counts time other processes held the core).
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures="${DOCKGUARD_FIXTURES:-../shared/fixtures}"
source="${1:-oci-dir:$fixtures/images/debian12-app:1.3.0}"
min_mb="${2:-512}"
runs="${3:-5}"

cargo build --release -q -p dockguard-secrets --example secrets-bench
out=$(target/release/examples/secrets-bench bench "$source" "$min_mb" "$runs")
echo "$out"
per_core=$(echo "$out" | sed -n 's/.* \([0-9][0-9]*\) MB\/s per core.*/\1/p')
if [ -n "$per_core" ]; then
  if [ "$per_core" -ge 1000 ]; then
    echo "OK: ${per_core} MB/s per core (target >= 1000)"
  else
    echo "BELOW TARGET: ${per_core} MB/s per core (target >= 1000)" >&2
    exit 1
  fi
fi
