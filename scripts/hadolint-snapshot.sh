#!/usr/bin/env bash
# Record hadolint 2.15's findings on the lint corpus and the shared Dockerfile
# fixtures as crates/dockguard-dockerfile/tests/corpus/hadolint-2.15.tsv.
#
#   bash scripts/hadolint-snapshot.sh
#
# hadolint is taken from $HADOLINT, else from PATH, and must report 2.15.
# Groups, each linted in ONE hadolint invocation (`-f json --no-fail`):
#   corpus   every corpus Dockerfile outside with-config/, no configuration
#   config   corpus/with-config/*.Dockerfile with --config corpus/with-config/.hadolint.yaml
#   shared   every Dockerfile under ../shared/fixtures/dockerfiles/, no configuration
# hadolint runs from an empty temporary directory with HOME and
# XDG_CONFIG_HOME pointing at an empty directory and HADOLINT_* unset, so no
# user or project configuration leaks in.  If an invocation fails outright
# (non-zero exit or unreadable JSON) the group is re-run one file at a time
# and a file that still fails is recorded as a DL1000 row at line 1.
#
# Output: header `file<TAB>line<TAB>code<TAB>level`, one row per DL finding
# (SC* ShellCheck findings are dropped, DL1000 parse errors are kept), corpus
# paths relative to the repository root, shared fixtures as
# `shared:dockerfiles/<subdir>/<name>`, sorted by file, line, code.  A summary
# of hits per DL code is printed at the end.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
corpus_rel="crates/dockguard-dockerfile/tests/corpus"
corpus="$repo/$corpus_rel"
config="$corpus/with-config/.hadolint.yaml"
shared="$repo/../shared/fixtures/dockerfiles"
out="$corpus/hadolint-2.15.tsv"

hadolint_bin="${HADOLINT:-}"
if [[ -z "$hadolint_bin" ]]; then
  hadolint_bin="$(command -v hadolint || true)"
fi
if [[ -z "$hadolint_bin" || ! -x "$hadolint_bin" ]]; then
  echo "hadolint not found: put hadolint 2.15 on PATH or set HADOLINT" >&2
  exit 2
fi
version="$("$hadolint_bin" --version 2>&1 || true)"
if [[ ! "$version" =~ (^|[^0-9.])2\.15(\.[0-9]+)?([^0-9.]|$) ]]; then
  echo "need hadolint 2.15, $hadolint_bin says: $version" >&2
  exit 2
fi
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }
[[ -f "$config" ]] || { echo "missing $config (run scripts/gen-lint-corpus.py)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cwd" "$work/home" "$work/xdg" "$work/json"

# Run hadolint with a clean environment from the empty directory.
run_hadolint() {
  (
    cd "$work/cwd"
    for v in $(env | sed -n 's/^\(HADOLINT_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
    HOME="$work/home" XDG_CONFIG_HOME="$work/xdg" NO_COLOR=1 \
      "$hadolint_bin" --no-color -f json --no-fail "$@"
  )
}

# lint_group NAME LISTFILE [hadolint options...]
# Writes $work/json/NAME.*.json (hadolint's JSON arrays) and, for files that
# could not be linted at all, lines to $work/json/NAME.failed.
lint_group() {
  local name="$1" list="$2"
  shift 2
  local -a files=()
  mapfile -t files < "$list"
  : > "$work/json/$name.failed"
  if ((${#files[@]} == 0)); then
    echo "[]" > "$work/json/$name.all.json"
    return
  fi
  local rc=0
  run_hadolint "$@" "${files[@]}" > "$work/json/$name.all.json" 2> "$work/json/$name.all.err" || rc=$?
  if ((rc == 0)) && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/json/$name.all.json" 2>/dev/null; then
    return
  fi
  echo "hadolint failed on group $name (exit $rc); retrying file by file" >&2
  rm -f "$work/json/$name.all.json"
  local i=0 f
  for f in "${files[@]}"; do
    i=$((i + 1))
    rc=0
    run_hadolint "$@" "$f" > "$work/json/$name.$i.json" 2>/dev/null || rc=$?
    if ((rc != 0)) || ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/json/$name.$i.json" 2>/dev/null; then
      rm -f "$work/json/$name.$i.json"
      printf '%s\n' "$f" >> "$work/json/$name.failed"
    fi
  done
}

find "$corpus" -path "$corpus/with-config" -prune -o -type f -name '*.Dockerfile' -print | LC_ALL=C sort > "$work/corpus.list"
find "$corpus/with-config" -type f -name '*.Dockerfile' | LC_ALL=C sort > "$work/config.list"
if [[ -d "$shared" ]]; then
  shared="$(cd "$shared" && pwd)"
  find "$shared" -type f \( -name '*.Dockerfile' -o -name 'Dockerfile' -o -name 'Dockerfile.*' \) | LC_ALL=C sort > "$work/shared.list"
else
  echo "warning: $shared not found; shared fixtures skipped" >&2
  : > "$work/shared.list"
fi

lint_group corpus "$work/corpus.list"
lint_group config "$work/config.list" --config "$config"
lint_group shared "$work/shared.list"

python3 - "$work" "$repo" "$shared" "$out" "$here/gen-lint-corpus.py" <<'PY'
import collections, glob, importlib.util, json, os, sys

work, repo, shared, out, generator = sys.argv[1:6]
repo = os.path.realpath(repo)
shared = os.path.realpath(shared)

def name_for(path):
    p = os.path.realpath(path)
    if p.startswith(shared + os.sep):
        return "shared:dockerfiles/" + os.path.relpath(p, shared).replace(os.sep, "/")
    return os.path.relpath(p, repo).replace(os.sep, "/")

rows = []
for group in ("corpus", "config", "shared"):
    with open(os.path.join(work, group + ".list")) as fh:
        listed = [l.rstrip("\n") for l in fh if l.strip()]
    for jf in sorted(glob.glob(os.path.join(work, "json", group + ".*.json"))):
        with open(jf) as fh:
            for d in json.load(fh):
                code = d.get("code", "")
                if not code.startswith("DL"):
                    continue
                rows.append((name_for(d["file"]), int(d["line"]), code, d["level"]))
    with open(os.path.join(work, "json", group + ".failed")) as fh:
        for f in fh:
            if f.strip():
                rows.append((name_for(f.strip()), 1, "DL1000", "error"))
    print(f"{group:7} {len(listed):4d} files linted", file=sys.stderr)

rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
with open(out, "w", encoding="utf-8", newline="\n") as fh:
    fh.write("file\tline\tcode\tlevel\n")
    for r in rows:
        fh.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\n")

print(f"wrote {os.path.relpath(out, repo)}: {len(rows)} rows")
print()
print("hits per DL code (rows / distinct files; corpus = corpus/ incl. with-config, shared = shared fixtures)")
rows_by = collections.Counter(r[2] for r in rows)
files_by = collections.defaultdict(set)
corpus_files_by = collections.defaultdict(set)
levels = collections.defaultdict(set)
for r in rows:
    files_by[r[2]].add(r[0])
    levels[r[2]].add(r[3])
    if not r[0].startswith("shared:"):
        corpus_files_by[r[2]].add(r[0])
# every DL code hadolint 2.15 can emit, from the generator's rule table
known = []
if os.path.exists(generator):
    spec = importlib.util.spec_from_file_location("gen_lint_corpus", generator)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    known = list(mod.RULE_CODES)
print(f"{'code':8} {'level':8} {'rows':>5} {'files':>5} {'corpus':>6}")
low = []
for code in sorted(set(rows_by) | set(known)):
    n = len(corpus_files_by[code])
    mark = "" if n >= 2 else "   <-- fewer than 2 corpus files"
    if n < 2:
        low.append(code)
    print(f"{code:8} {'/'.join(sorted(levels[code])) or '-':8} {rows_by[code]:5d} {len(files_by[code]):5d} {n:6d}{mark}")
print(f"{len(rows_by)} distinct DL codes in the snapshot" + (f", {len(known)} known to the generator" if known else ""))
unknown = sorted(set(rows_by) - set(known)) if known else []
if unknown:
    print("codes not in the generator's rule table: " + ", ".join(unknown))
if low:
    print("codes hit by fewer than 2 corpus files: " + ", ".join(low))
PY
