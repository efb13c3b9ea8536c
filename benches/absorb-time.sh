#!/bin/sh
# Time `modulpress absorb` on an edited FOA DOCX (issue 21's figure: under 0.3 s), and a
# build of every federation's DOCX with and without an overlay for each (no more than 5%
# slower). Usage: sh benches/absorb-time.sh [BINARY]  (default: the release build in
# $CARGO_TARGET_DIR or target/). Needs python3 with python-docx.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${CARGO_TARGET_DIR:-$root/target}/release/modulpress}
work=$(mktemp -d /var/tmp/modulpress-absorb-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$root/source" "$work/source"
cd "$work"
"$bin" build --source source --out out --only docx --quiet
python3 "$root/tests/absorb_support/edit.py" out/docx/fspmi/foa-participant.docx edited.docx
ms() { echo $(( $(date +%s%N) / 1000000 )); }
times=""
for i in 1 2 3 4 5; do
  rm -rf source/overlays
  t0=$(ms); "$bin" absorb --source source --federation fspmi edited.docx >/dev/null; t1=$(ms)
  times="$times $((t1 - t0))"
done
best=$(for t in $times; do echo "$t"; done | sort -n | head -1)
echo "absorb, edited FOA participant DOCX (5 runs, ms):$times; best $best ms (target < 300 ms)"
# Every federation with the same overlay (the edits apply to every copy).
build() {
  rm -rf out2
  t0=$(ms); "$bin" build --source source --out out2 --only docx --jobs 2 --quiet; t1=$(ms)
  echo $((t1 - t0))
}
without=""; with=""
for i in 1 2 3; do
  rm -rf source/overlays; without="$without $(build)"
  "$bin" absorb --source source --federation fspmi edited.docx >/dev/null
  for f in "$root"/layouts/federations/*.toml; do
    id=$(basename "$f" .toml)
    [ "$id" = fspmi ] || cp source/overlays/fspmi.md "source/overlays/$id.md"
  done
  with="$with $(build)"
done
b0=$(for t in $without; do echo "$t"; done | sort -n | head -1)
b1=$(for t in $with; do echo "$t"; done | sort -n | head -1)
echo "DOCX build of every federation (3 runs each, ms): without overlays$without, best $b0; with an overlay each$with, best $b1"
python3 -c "print('overlays cost %+.1f%% (target at most +5%%)' % (($b1 - $b0) * 100.0 / $b0))"
