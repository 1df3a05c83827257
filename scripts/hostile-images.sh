#!/usr/bin/env bash
# The hostile-input suite at full scale: generates every hostile image (a million files, 4 GiB
# gzip/zstd bombs, a 10 GiB sparse file, `..` entries, bad digests, …), reads each with the
# release build under /usr/bin/time -v, and checks that
#   - each case ends as expected (opened, or an error naming what the case says),
#   - nothing panicked, nothing was written to the working directory or HOME,
#   - maximum RSS stayed under the limit (500 MB).
#
#   scripts/hostile-images.sh            (needs /usr/bin/time; builds release binaries)
set -uo pipefail
cd "$(dirname "$0")/.."
limit_kib="${RSS_LIMIT_KIB:-488281}" # 500 MB
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required (apt-get install time)" >&2; exit 1; }

cargo build --release -q -p dockguard-image --example hostile-images || exit 1
bin="$PWD/target/release/examples/hostile-images"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/images" "$work/cwd" "$work/home"

echo "generating hostile images (full scale)…"
"$bin" generate "$work/images" > "$work/cases.tsv" || { echo "generation failed" >&2; exit 1; }

passed=0
failed=0
printf '%-34s %-7s %10s  %s\n' CASE RESULT "MAX RSS" DETAIL
while IFS=$'\t' read -r name expect src; do
  (cd "$work/cwd" && HOME="$work/home" /usr/bin/time -v -o "$work/$name.time" "$bin" scan "$src" > "$work/$name.out" 2>&1)
  rc=$?
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.time")
  msg=$(head -c 400 "$work/$name.out" | tr '\n' ' ')
  why=""
  case "$expect" in
    ok) [ "$rc" -eq 0 ] || why="expected success, got exit $rc" ;;
    error:*)
      if [ "$rc" -ne 2 ]; then
        why="expected a clean error (exit 2), got exit $rc"
      else
        IFS='|' read -ra parts <<< "${expect#error:}"
        for p in "${parts[@]}"; do
          case "$msg" in *"$p"*) ;; *) why="error lacks '$p'" ;; esac
        done
      fi
      ;;
  esac
  grep -q "panicked" "$work/$name.out" && why="panicked"
  [ -n "$rss" ] && [ "$rss" -lt "$limit_kib" ] || why="${why:+$why; }max RSS ${rss:-?} KiB over $limit_kib KiB"
  if [ -n "$(find "$work/cwd" "$work/home" -mindepth 1 -print -quit)" ]; then
    why="${why:+$why; }wrote files outside its cache/output"
  fi
  if [ -z "$why" ]; then
    passed=$((passed + 1)); result=ok
  else
    failed=$((failed + 1)); result=FAIL; msg="$why :: $msg"
  fi
  printf '%-34s %-7s %7s KiB  %s\n' "$name" "$result" "${rss:-?}" "${msg:0:150}"
  rm -rf "$work/images/$name"
done < "$work/cases.tsv"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
