#!/usr/bin/env bash
# Fogbank's HTTP API port against serverless-offline (npm serverless v3 + serverless-offline),
# both serving the same no-op Node handler (bench/functions/node/noop.js) on a GET route, driven
# by the same wrk (4 connections, one thread) on 127.0.0.1. See bench/README.md.
#
#   bench/http_api_bench.sh              # FOGBANK_BUILD_DIR overrides build/
#
# Per server: one 10 s run with the latency distribution, then ten 6 s windows back to back
# (well over 100,000 requests for Fogbank) with the server's resident memory after each, to see
# whether it stays flat. Raw output goes to bench/results/<UTC>-http/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${FOGBANK_BUILD_DIR:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
[ -x "$build/bin/fogbank" ] || cmake --build "$build" --target fogbank
peer="$here/serverless-offline"
[ -d "$peer/node_modules/serverless-offline" ] ||
    npm ci --prefix "$peer" --no-audit --no-fund --loglevel=error

out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)-http"
mkdir -p "$out"
scratch=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$scratch"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() {  # URL: until it answers 200, at most 60 s
    for _ in $(seq 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
        sleep 0.1
    done
    echo "no answer from $1" >&2
    return 1
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# A server's process and all of its children (sandboxes, workers), in KiB.
tree_rss_kb() {
    local total=0 p
    for p in $1 $(pgrep -P "$1" 2>/dev/null); do total=$((total + $(rss_kb "$p" 2>/dev/null || echo 0))); done
    echo "$total"
}

measure() {  # NAME PID URL
    local name=$1 pid=$2 url=$3
    for _ in $(seq 200); do curl -s -o /dev/null "$url"; done  # warm sandboxes and JITs
    echo "== $name: 10 s, 4 connections"
    wrk -t1 -c4 -d10s --latency "$url" | tee "$out/$name-latency.txt"
    echo "== $name: ten 6 s windows"
    for w in $(seq 10); do
        local rps
        rps=$(wrk -t1 -c4 -d6s "$url" | awk '/Requests\/sec/ {print $2}')
        echo "$name window $w: $rps req/s, server tree RSS $(tree_rss_kb "$pid") KiB" |
            tee -a "$out/$name-windows.txt"
    done
}

fport=$(free_port)
hport=$(free_port)
"$build/bin/fogbank" serve -t "$here/functions/template.yaml" --edge-port "$fport" \
    --http-port "$hport" --state-dir "$scratch/fogbank" >"$out/fogbank.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$hport/noop"
measure fogbank "${pids[-1]}" "http://127.0.0.1:$hport/noop"
kill "${pids[-1]}"

sport=$(free_port)
lport=$(free_port)
mkdir -p "$scratch/home"
(cd "$peer" && SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off HOME="$scratch/home" \
    exec node node_modules/serverless/bin/serverless.js offline --httpPort "$sport" \
    --lambdaPort "$lport" >"$out/serverless-offline.log" 2>&1) &
pids+=($!)
wait_for "http://127.0.0.1:$sport/noop"
measure serverless-offline "${pids[-1]}" "http://127.0.0.1:$sport/noop"

echo "raw output: $out"
