#!/usr/bin/env bash
# The demo: load synthetic case histories into a fresh store and look at them as a user would.
set -euo pipefail
cd "$(dirname "$0")/.."

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
export JOURNEYS_STORE="$workdir/journeys.db" JOURNEYS_USER="demo"

step() {
  printf '\n== %s\n$' "$1"
  printf ' %q' "${@:2}"
  printf '\n'
  "${@:2}"
}

step "Load four example case histories" journeys load fixtures/examples/*.jsonl
step "One child's history, corrections visible" journeys history E004 --la 825
step "A disrupted placement: as at 31 March 2015" journeys show E003 --la 928 --as-at 2015-03-31
step "The same child as at 31 August 2015" journeys show E003 --la 928 --as-at 2015-08-31

before=$(date -u +%Y-%m-%dT%H:%M:%S)
sleep 1
step "Correct a keyed date (the original stays in the history)" \
  journeys correct E001 7 --la 825 --on 2013-08-30 --reason "sealed order is dated 30 August"
step "As the system knew it before the correction" journeys show E001 --la 825 --known-at "$before"
step "As it knows it now" journeys show E001 --la 825
step "Tamper evidence" journeys verify

if [ -d fixtures/evaluation-2017 ] && ls fixtures/evaluation-2017/*.jsonl >/dev/null 2>&1; then
  export JOURNEYS_STORE="$workdir/evaluation.db"
  step "Load the evaluation fixtures (Buckinghamshire 825, Northamptonshire 928)" \
    journeys load fixtures/evaluation-2017/*.jsonl
  for extra in scripts/demo.d/*.sh; do
    [ -e "$extra" ] && source "$extra"
  done
fi
echo
echo "Demo finished. Try: journeys --help"
if [ -f "$workdir/evaluation.db" ]; then
  bash scripts/demo-web.sh "$workdir/evaluation.db"
fi
