#!/usr/bin/env bash
# Cold starts split into process start, runtime start and module load (N fresh sandboxes per
# function, each through `fogbank invoke`), and how a CPU-bound handler's warm duration follows
# memory in CPU-share mode (`fogbank sweep`) against the share's own ratio. Bounded: N invokes per
# function and one sweep; everything stays on 127.0.0.1. Prints markdown tables for
# bench/README.md; raw output in bench/results/<UTC>/cold_start/.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${FOGBANK_BENCH_COLD_SAMPLES:-15}
BIN=${FOGBANK_BIN:-build/bin/fogbank}
TEMPLATE=bench/cold_start/template.yaml
OUT=bench/results/$(date -u +%Y%m%dT%H%M%SZ)/cold_start
mkdir -p "$OUT"
[ -x "$BIN" ] || cmake --build build --target fogbank

rm -rf bench/cold_start/.fogbank
for fn in NodeNoop NodeSdk PyNoop PyBoto3; do
    for _ in $(seq "$N"); do
        "$BIN" invoke "$fn" -t "$TEMPLATE" >/dev/null 2>>"$OUT/invoke.log"
    done
done
"$BIN" stats -t "$TEMPLATE" --format json >"$OUT/stats.json"
"$BIN" sweep PyCpu -t "$TEMPLATE" -e <(echo '{"n": 1000000}') --runs 5 --format json \
    >"$OUT/sweep.json"

/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
stats = json.load(open(f"{out}/stats.json"))
print("| function | cold starts | init p50 | process p50 | runtime p50 | module p50 |")
print("|---|---|---|---|---|---|")
for f in stats["functions"]:
    if not f["init"]["count"]:
        continue
    p = f["initParts"]
    print(f"| {f['function']} | {f['init']['count']} | {f['init']['p50']:.1f} ms | "
          f"{p['process']['p50']:.1f} | {p['runtime']['p50']:.1f} | {p['module']['p50']:.1f} |")
sweep = json.load(open(f"{out}/sweep.json"))
print()
print(f"CPU share by {sweep['cpuMode']}" + (f" ({sweep['cpuWhy']})" if sweep.get("cpuWhy") else ""))
print()
full = next((s for s in sweep["sizes"] if s["memoryMb"] == 1769), sweep["sizes"][-1])
print("| memory | share | warm mean | p50 | x of 1769 MB | share says | billed | cost/invocation |")
print("|---|---|---|---|---|---|---|---|")
for s in sweep["sizes"]:
    ratio = s["meanMs"] / full["meanMs"] if full["meanMs"] else 0
    expected = max(1.0, 1.0 / s["cpuShare"]) if s["cpuShare"] else 0
    print(f"| {s['memoryMb']} MB | {s['cpuShare']:.3f} | {s['meanMs']:.1f} ms | {s['p50Ms']:.1f} | "
          f"{ratio:.2f} | {expected:.2f} | {s['meanBilledMs']:.0f} ms | ${s['costPerInvocation']:.10f} |")
print()
print(f"cheapest {sweep['cheapestMemoryMb']} MB, fastest {sweep['fastestMemoryMb']} MB")
PY
