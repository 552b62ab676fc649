#!/usr/bin/env bash
# Where `bourse serve` spends its CPU while wrk posts limit orders (bench/orders.lua,
# bench/serve-bench.yaml, sync durability): throughput, the server's CPU per order, and
# each thread's share (the engine's threads are named: bourse-seq, bourse-journal,
# bourse-snapshot, bourse-gateway; NIO-* are the event loops; the rest run the requests).
#   bench/http-cpu.sh [BINARY] [CONNECTIONS] [SECONDS]   (defaults: the release build, 64, 8)
# Alternate two binaries' runs to compare them on a machine whose speed drifts.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/bourse}
connections=${2:-64}
seconds=${3:-8}
port=18093
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$binary" ] || { echo "no binary at $binary (swift build -c release --product bourse)" >&2; exit 1; }
data=$(mktemp -d)
"$binary" serve --config bench/serve-bench.yaml --data "$data" --port $port --log-level warning >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:$port/ready >/dev/null && break; sleep 0.2; done
# Per thread: id, name, CPU ticks (user + system; 100 a second).
threads() {
    for task in /proc/$server/task/*; do
        echo "$(basename "$task") $(tr ' ' '_' <"$task/comm") $(awk '{print $14 + $15}' "$task/stat")"
    done | sort
}
before=$(threads)
report=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/orders.lua http://127.0.0.1:$port)
after=$(threads)
requests=$(grep -oE '^requests: [0-9]+' <<<"$report" | grep -oE '[0-9]+')
grep -E 'Requests/sec|latency p(50|99):|non-2xx' <<<"$report"
usage=$(join <(echo "$before") <(echo "$after") | awk '{ if ($5 > $3) print $2, $5 - $3 }')
awk -v requests="$requests" '{ total += $2 } END { printf "server CPU: %.0f µs per order\n", total * 10000 / requests }' <<<"$usage"
awk -v requests="$requests" '{ cpu[$1] += $2 } END { for (name in cpu) printf "  %-16s %6.1f µs per order\n", name, cpu[name] * 10000 / requests }' <<<"$usage" | sort -k2 -n -r
