#!/usr/bin/env bash
# Compare dockguard's secret findings with Trivy's on one image.
#
#   scripts/compare-trivy-secrets.sh [SOURCE]     (default: the debian12-app fixture)
#
# Trivy comes from $TRIVY or PATH (0.76 is the reference version); dockguard from $DOCKGUARD,
# target/release/dockguard when it has the `secrets` subcommand, or else the library's
# `secrets-bench json` example. Every Trivy secret must be found by dockguard: same file, same
# layer, same line (Trivy reports a private key at the line after BEGIN, dockguard at BEGIN),
# rule ids mapped where ours differ. Findings only dockguard has are listed for review; the
# fixture test `superset_of_trivy_and_every_extra_is_a_planted_secret` checks them against the
# hand-written ground truth without needing Trivy.
#
# Exit status: 0 when dockguard finds everything Trivy finds, 1 otherwise, 2 on setup errors.
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures="${DOCKGUARD_FIXTURES:-../shared/fixtures}"
source="${1:-oci-dir:$fixtures/images/debian12-app:1.3.0}"

trivy="${TRIVY:-$(command -v trivy || true)}"
[ -n "$trivy" ] && [ -x "$trivy" ] || { echo "trivy not found: put it on PATH or set TRIVY" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }

# Trivy takes a path; strip our prefix and tag selector.
input="${source#*:}"
input="${input%:*}"
[ -e "$input" ] || input="${source#*:}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$trivy" image --cache-dir "$work/trivy-cache" --quiet --input "$input" \
  --scanners secret -f json -o "$work/trivy.json"

if [ -n "${DOCKGUARD:-}" ]; then
  "$DOCKGUARD" secrets --no-cache --format json "$source" > "$work/dg.json" || [ $? -eq 1 ]
elif [ -x target/release/dockguard ] && target/release/dockguard secrets --help >/dev/null 2>&1; then
  target/release/dockguard secrets --no-cache --format json "$source" > "$work/dg.json" || [ $? -eq 1 ]
else
  cargo build --release -q -p dockguard-secrets --example secrets-bench
  target/release/examples/secrets-bench json "$source" > "$work/dg.json"
fi

python3 - "$work/trivy.json" "$work/dg.json" <<'PY'
import json, sys
trivy = json.load(open(sys.argv[1]))
dg = json.load(open(sys.argv[2]))
findings = dg["findings"] if isinstance(dg, dict) else dg
rename = {"slack-access-token": "slack-bot-token", "stripe-secret-token": "stripe-secret-key"}

def norm(p):
    return p if p.startswith("/") else "/" + p

theirs = []
for r in trivy.get("Results") or []:
    for s in r.get("Secrets") or []:
        theirs.append({
            "rule": rename.get(s["RuleID"], s["RuleID"]),
            "path": norm(r["Target"]),
            "line": s.get("StartLine"),
            "digest": (s.get("Layer") or {}).get("Digest"),
        })

used = set()
missing = 0
for t in theirs:
    hit = None
    for i, f in enumerate(findings):
        loc = f.get("location", {})
        lines = {t["line"]} | ({t["line"] - 1} if t["rule"] == "private-key" else set())
        if (f["id"] == t["rule"] and loc.get("path") == t["path"]
                and loc.get("line") in lines
                and (t["digest"] is None or loc.get("layer_digest") == t["digest"])):
            hit = i
            break
    if hit is None:
        missing += 1
        print(f"MISSING  {t['rule']:<24} {t['path']}:{t['line']}  {t['digest']}")
    else:
        used.add(hit)
        print(f"both     {t['rule']:<24} {t['path']}:{t['line']}")
for i, f in enumerate(findings):
    if i not in used:
        loc = f.get("location", {})
        print(f"extra    {f['id']:<24} {loc.get('path')}:{loc.get('line')} layer {loc.get('layer_index')}  {f['message']}")
print(f"trivy {len(theirs)}, dockguard {len(findings)}, trivy-only {missing}, dockguard-only {len(findings) - len(used)}")
sys.exit(1 if missing else 0)
PY
