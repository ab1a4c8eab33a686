#!/usr/bin/env bash
# Fogbank's S3 and SQS side by side with their npm peers (s3rver, sqslite; pinned in
# bench/peers/package-lock.json), each driven by the same lean Node client (bench/s3_bench.mjs,
# bench/sqs_bench.mjs). Every server gets its own 127.0.0.1 port and temporary folder; its peak
# RSS (VmHWM) is read from /proc before it is stopped. Raw output: bench/results/peers-<UTC>/.
#
#   bench/peers.sh                            # fogbank from build/ (FOGBANK_BUILD_DIR overrides)
#   FOGBANK_BENCH_LARGE_MIB=1024 bench/peers.sh   # the large object's size (default 256 MiB)
#   FOGBANK_BENCH_QUICK=1 bench/peers.sh          # small counts, to check the harness
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${FOGBANK_BUILD_DIR:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
fogbank="$build/bin/fogbank"
[ -x "$fogbank" ] || cmake --build "$build" --target fogbank
[ -d "$here/peers/node_modules/s3rver" ] ||
    npm ci --prefix "$here/peers" --no-audit --no-fund --loglevel=error

large_mib=${FOGBANK_BENCH_LARGE_MIB:-256}
if [ -n "${FOGBANK_BENCH_QUICK:-}" ]; then
    s3_args=(--small 200 --warmup 20 --large-mib 8)
    sqs_args=(--messages 500 --singles 100 --long-polls 10 --depth-max 1000 --depth-samples 50)
else
    s3_args=(--small 3000 --warmup 200 --large-mib "$large_mib")
    sqs_args=(--messages 10000 --singles 2000 --long-polls 200 --depth-max 100000)
fi

out="$here/results/peers-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
{
    echo "date:    $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "commit:  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "build:   $(grep -E '^CMAKE_BUILD_TYPE:' "$build/CMakeCache.txt" 2>/dev/null | cut -d= -f2)"
    echo "cpu:     $(nproc) x $(lscpu | grep 'Model name' | sed 's/.*: *//')"
    echo "memory:  $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel:  $(uname -r)"
    echo "node:    $(node --version)"
    echo "large:   ${large_mib} MiB"
} | tee "$out/machine.txt"

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pid=""
tmp=""
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
    pid=""
    tmp=""
}
trap cleanup EXIT

# start NAME PORT COMMAND...: runs the server in the background and waits for its port.
start() {
    local name=$1 port=$2
    shift 2
    "$@" >"$out/$name.log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        kill -0 "$pid" 2>/dev/null || { echo "$name exited:"; cat "$out/$name.log"; exit 1; }
        sleep 0.1
    done
    echo "$name not listening on $port after 30 s"
    exit 1
}

# measure NAME BENCH ARGS...: runs the bench against the server started last, then records the
# server's peak RSS and the load average around the run.
measure() {
    local name=$1
    shift
    local before
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    node "$@" | tee "$out/$name.json"
    local hwm
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
    echo "{\"server\":\"$name\",\"peakRssKiB\":$hwm,\"loadBefore\":\"$before\",\"loadAfter\":\"$(cut -d' ' -f1-3 /proc/loadavg)\"}" |
        tee "$out/$name.rss.json"
    cleanup
}

# S3: Fogbank, then s3rver (which checks signatures against its fixed S3RVER/S3RVER key).
port=$(free_port)
tmp=$(mktemp -d /tmp/fogbank-bench-peers-XXXXXX)
start fogbank-s3 "$port" "$fogbank" serve -t "$here/edge/template.yaml" --edge-port "$port" \
    --state-dir "$tmp"
measure fogbank-s3 "$here/s3_bench.mjs" --endpoint "http://127.0.0.1:$port" "${s3_args[@]}"

port=$(free_port)
tmp=$(mktemp -d /tmp/fogbank-bench-peers-XXXXXX)
start s3rver "$port" node "$here/peers/node_modules/s3rver/bin/s3rver.js" -d "$tmp" \
    -a 127.0.0.1 -p "$port" --silent
measure s3rver "$here/s3_bench.mjs" --endpoint "http://127.0.0.1:$port" \
    --access-key S3RVER --secret-key S3RVER "${s3_args[@]}"

# SQS: Fogbank, then sqslite (its queue URLs are http://localhost:PORT/queues/NAME; its
# DeleteMessageBatch deletes the wrong messages, so it is driven with DeleteMessage).
port=$(free_port)
tmp=$(mktemp -d /tmp/fogbank-bench-peers-XXXXXX)
start fogbank-sqs "$port" "$fogbank" serve -t "$here/edge/template.yaml" --edge-port "$port" \
    --state-dir "$tmp"
measure fogbank-sqs "$here/sqs_bench.mjs" --endpoint "http://127.0.0.1:$port" "${sqs_args[@]}"

port=$(free_port)
start sqslite "$port" node "$here/peers/sqslite_server.cjs" "$port"
measure sqslite "$here/sqs_bench.mjs" --endpoint "http://127.0.0.1:$port" \
    --host "localhost:$port" --delete single "${sqs_args[@]}"

echo "results in $out"
