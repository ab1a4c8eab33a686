#!/usr/bin/env bash
# Builds and runs Fogbank's function benchmarks (see bench/README.md). Everything is bounded in
# count and time and stays on 127.0.0.1. Raw output goes to bench/results/<UTC time>/.
#
#   bench/run.sh                      # build dir: build/ (FOGBANK_BUILD_DIR overrides)
#   FOGBANK_BUILD_DIR=build-bench bench/run.sh
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${FOGBANK_BUILD_DIR:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DFOGBANK_BUILD_GUI=OFF -DFOGBANK_BUILD_TESTS=OFF
fi
cmake --build "$build" --target fogbank-bench-invoke fogbank

# Percentage of CPU time idle over the next $1 seconds, from /proc/stat.
idle_pct() {
    local a b
    read -r -a a < <(grep '^cpu ' /proc/stat)
    sleep "$1"
    read -r -a b < <(grep '^cpu ' /proc/stat)
    local total=0 i
    for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
    echo $(((b[4] - a[4]) * 100 / (total > 0 ? total : 1)))
}
# Other work on this machine skews every number here. With FOGBANK_BENCH_WAIT_QUIET=SECONDS, wait
# at most that long for two quiet 3-second windows (>= 90 % idle) in a row before starting.
wait_quiet() {
    local limit=${FOGBANK_BENCH_WAIT_QUIET:-0} waited=0 quiet=0 idle
    [ "$limit" -gt 0 ] || return 0
    while [ "$waited" -lt "$limit" ]; do
        idle=$(idle_pct 3)
        waited=$((waited + 3))
        if [ "$idle" -ge 90 ]; then quiet=$((quiet + 1)); else quiet=0; fi
        [ "$quiet" -ge 2 ] && { echo "machine quiet (${idle}% idle)"; return 0; }
    done
    echo "machine still busy after ${limit} s (${idle}% idle): measuring anyway"
}

bench="$build/bin/fogbank-bench-invoke"
fogbank="$build/bin/fogbank"
out="$here/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
summary="$out/summary.jsonl"

{
    echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "commit:    $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')" \
        "($(git -C "$root" status --porcelain -- emulator resources 2>/dev/null | wc -l) files" \
        "changed in emulator/ and resources/)"
    echo "build:     $(grep -E '^CMAKE_BUILD_TYPE:' "$build/CMakeCache.txt" | cut -d= -f2)"
    echo "nproc:     $(nproc)"
    echo "cpu:       $(lscpu | grep 'Model name' | sed 's/.*: *//')"
    echo "memory:    $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel:    $(uname -r)"
    echo "node:      $(node --version 2>/dev/null || echo none)"
    echo "python:    $(/usr/bin/python3 --version 2>&1 || echo none)"
} | tee "$out/machine.txt"
wait_quiet | tee -a "$out/machine.txt"
echo "load before: $(uptime), $(idle_pct 2)% idle" | tee -a "$out/machine.txt"

# 1. and 3.: the engine in the benchmark's own process, on its real edge port.
"$bench" latency --json-out "$summary" 2>&1 | tee "$out/latency.txt"
# The same with the invocation store off: what recording every invocation costs.
"$bench" latency --no-record --json-out "$summary" 2>&1 | tee "$out/latency-no-record.txt"
"$bench" throughput --json-out "$summary" 2>&1 | tee "$out/throughput.txt"
# 2.: a fresh engine per sample, next to the bare interpreters.
"$bench" cold --json-out "$summary" 2>&1 | tee "$out/cold.txt"

# The same warm benchmarks through a separate `fogbank serve` process, as users run it.
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
state=$(mktemp -d /tmp/fogbank-bench-serve-XXXXXX)  # a fresh, empty invocation store
"$fogbank" serve -t "$here/functions/template.yaml" --edge-port "$port" --state-dir "$state" \
    >"$out/serve.log" 2>&1 &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true; rm -rf "$state"' EXIT
for _ in $(seq 300); do
    grep -q '^Ready\.' "$out/serve.log" && break
    kill -0 "$serve_pid" 2>/dev/null || { echo "fogbank serve exited:"; cat "$out/serve.log"; exit 1; }
    sleep 0.1
done
grep -q '^Ready\.' "$out/serve.log" || { echo "fogbank serve not ready after 30 s"; exit 1; }
"$bench" latency --url "http://127.0.0.1:$port" --json-out "$summary" 2>&1 |
    tee "$out/latency-serve.txt"
"$bench" throughput --url "http://127.0.0.1:$port" --json-out "$summary" 2>&1 |
    tee "$out/throughput-serve.txt"
kill "$serve_pid"
wait "$serve_pid" 2>/dev/null || true
rm -rf "$state"
trap - EXIT

echo "load after: $(uptime), $(idle_pct 2)% idle" | tee -a "$out/machine.txt"
echo "results in $out"
