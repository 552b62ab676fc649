-- wrk script: POST /api/v1/orders, limit orders from two accounts that trade with each
-- other (each connection alternates buy and sell around one price), keep-alive.
local counter = 0
local keys = { "bench1-key-0123456789", "bench2-key-0123456789" }


request = function()
  counter = counter + 1
  local side = (counter % 2 == 0) and "buy" or "sell"
  local key = keys[(counter % 4 < 2) and 1 or 2]
  local price = string.format("%d.00", 50000 + (counter % 7) - 3)
  local body = string.format(
    '{"symbol":"BTC-USD","side":"%s","type":"limit","price":"%s","qty":"0.0010"}', side, price)
  return wrk.format("POST", "/api/v1/orders", { ["X-API-Key"] = key, ["Content-Type"] = "application/json" }, body)
end


done = function(summary, latency, requests)
  io.write(string.format("requests: %d, non-2xx or 3xx: %d\n", summary.requests, summary.errors.status))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("latency p%g: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
