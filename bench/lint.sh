#!/usr/bin/env bash
# Benchmark `dockguard lint` against hadolint 2.15 on the lint corpus.
#
#   bash bench/lint.sh                 # dockguard vs hadolint
#   bash bench/lint.sh --hadolint-only # time hadolint alone (no dockguard build needed)
#
# One hyperfine run (warmup 2, min-runs 10, exit codes ignored with -i) times,
# as whole processes with every file passed in ONE invocation:
#   dockguard: target/release/dockguard lint --format json <files>
#   hadolint : hadolint -f json --no-fail <files>
# <files> = every corpus Dockerfile outside with-config/ (those need a hadolint
# config, so they are left out to keep both tools on the same rules) plus every
# Dockerfile under ../shared/fixtures/dockerfiles/.
#
# hadolint comes from $HADOLINT or PATH; dockguard from $DOCKGUARD or
# target/release/dockguard, built with `cargo build --release -p dockguard-cli`
# if missing.  Both run from an empty temporary directory with HOME and
# XDG_CONFIG_HOME pointing at an empty directory, so no configuration is picked
# up.  The hyperfine JSON goes to a temporary file; the mean times and the
# ratio hadolint/dockguard are printed at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
corpus="$repo/crates/dockguard-dockerfile/tests/corpus"
shared="$repo/../shared/fixtures/dockerfiles"

hadolint_only=0
for arg in "$@"; do
  case "$arg" in
    --hadolint-only) hadolint_only=1 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

command -v hyperfine >/dev/null || { echo "hyperfine not found (apt-get install -y hyperfine)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }

hadolint_bin="${HADOLINT:-$(command -v hadolint || true)}"
if [[ -z "$hadolint_bin" || ! -x "$hadolint_bin" ]]; then
  echo "hadolint not found: put hadolint 2.15 on PATH or set HADOLINT" >&2
  exit 2
fi
hadolint_version="$("$hadolint_bin" --version 2>&1 || true)"
if [[ ! "$hadolint_version" =~ (^|[^0-9.])2\.15(\.[0-9]+)?([^0-9.]|$) ]]; then
  echo "warning: expected hadolint 2.15, got: $hadolint_version" >&2
fi

dockguard_bin=""
if ((hadolint_only == 0)); then
  dockguard_bin="${DOCKGUARD:-$repo/target/release/dockguard}"
  if [[ ! -x "$dockguard_bin" ]]; then
    echo "building dockguard (cargo build --release -p dockguard-cli) ..." >&2
    (cd "$repo" && cargo build --release -p dockguard-cli)
  fi
  if [[ ! -x "$dockguard_bin" ]]; then
    echo "dockguard binary not found at $dockguard_bin after the build" >&2
    exit 2
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cwd" "$work/home" "$work/xdg"

files=()
while IFS= read -r f; do files+=("$f"); done < <(
  find "$corpus" -path "$corpus/with-config" -prune -o -type f -name '*.Dockerfile' -print | LC_ALL=C sort
  if [[ -d "$shared" ]]; then
    find "$(cd "$shared" && pwd)" -type f \( -name '*.Dockerfile' -o -name 'Dockerfile' -o -name 'Dockerfile.*' \) | LC_ALL=C sort
  fi
)
if ((${#files[@]} == 0)); then
  echo "no Dockerfiles found (run scripts/gen-lint-corpus.py)" >&2
  exit 2
fi

quoted=""
for f in "${files[@]}"; do quoted+=" $(printf '%q' "$f")"; done
hadolint_cmd="$(printf '%q' "$hadolint_bin") -f json --no-fail$quoted"
dockguard_cmd=""
if ((hadolint_only == 0)); then
  dockguard_cmd="$(printf '%q' "$dockguard_bin") lint --format json$quoted"
fi

json="$work/hyperfine.json"
echo "benchmarking ${#files[@]} Dockerfiles (hadolint: $hadolint_version)" >&2
cmds=()
names=()
if ((hadolint_only == 0)); then
  cmds+=("$dockguard_cmd")
  names+=(-n dockguard)
fi
cmds+=("$hadolint_cmd")
names+=(-n hadolint)

# -N: no intermediate shell, so its start-up is not part of the measurement.
(
  cd "$work/cwd"
  for v in $(env | sed -n 's/^\(HADOLINT_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
  HOME="$work/home" XDG_CONFIG_HOME="$work/xdg" NO_COLOR=1 \
    hyperfine -N -i --warmup 2 --min-runs 10 --style basic \
      --export-json "$json" "${names[@]}" "${cmds[@]}" >&2
)

python3 - "$json" <<'PY'
import json, sys

with open(sys.argv[1]) as fh:
    results = json.load(fh)["results"]
# commands are named with hyperfine -n, so "command" holds the name
by_name = {r["command"]: r for r in results}
for name in ("dockguard", "hadolint"):
    r = by_name.get(name)
    if r:
        print(f"{name:9} mean {r['mean'] * 1000:9.1f} ms  (stddev {r['stddev'] * 1000:.1f} ms, {len(r['times'])} runs)")
if "dockguard" in by_name and "hadolint" in by_name:
    ratio = by_name["hadolint"]["mean"] / by_name["dockguard"]["mean"]
    print(f"hadolint/dockguard: {ratio:.1f}x")
PY
