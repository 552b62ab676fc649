#!/usr/bin/env bash
# The HTTP benchmark of `bourse serve`: a release build with bench/serve-bench.yaml
# (sync durability, a fresh data folder), and wrk posting limit orders from two
# accounts that trade with each other over keep-alive connections.
#   bench/http.sh [CONNECTIONS] [SECONDS]      (defaults: 64, 10)
# Prints wrk's throughput and latency percentiles, then the server's own figures.
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-64}
seconds=${2:-10}
port=18090
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x .build/release/bourse ] || swift build -c release --product bourse
data=$(mktemp -d)
.build/release/bourse serve --config bench/serve-bench.yaml --data "$data" --port $port --log-level warning >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:$port/ready >/dev/null && break; sleep 0.2; done
wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/orders.lua http://127.0.0.1:$port
curl -s http://127.0.0.1:$port/statistics
echo
curl -s http://127.0.0.1:$port/metrics | grep -E '^bourse_(orders_accepted_total|trades_total|journal_syncs_total|durable_seq|http_responses_total)'
