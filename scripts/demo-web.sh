#!/usr/bin/env bash
# The demo's last part: the web pages of the evaluation store. Writes a static report and
# starts `journeys serve` in the background on a free port of 127.0.0.1, then says how to stop it.
# The store and the report are kept (in $JOURNEYS_DEMO_DIR, default a folder under TMPDIR) so
# the server outlives the demo.
set -euo pipefail
store=$1
keep=${JOURNEYS_DEMO_DIR:-${TMPDIR:-/tmp}/journeys-demo}
mkdir -p "$keep"
cp "$store" "$keep/evaluation.db"
export JOURNEYS_STORE="$keep/evaluation.db"
rm -rf "$keep/report"

printf '\n== The web pages as a static report (opens from disk)\n$ journeys report --out %q --as-at 2016-03-31\n' "$keep/report"
journeys --quiet report --out "$keep/report" --as-at 2016-03-31

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
nohup journeys serve --port "$port" >"$keep/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do
  if python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/assets/journeys.css', timeout=1)" 2>/dev/null; then
    break
  fi
  sleep 0.2
done
echo
echo "Static report: file://$keep/report/index.html"
echo "journeys serve is running on the demo store: http://127.0.0.1:$port/?as_at=2016-03-31"
echo "Stop it with: kill $pid"
