#!/usr/bin/env python3
"""A first Bourse client: run `bourse serve` (sample configuration), then

    pip install websockets
    python3 examples/client.py [http://127.0.0.1:8080]

It streams the BTC-USD book and the demo account's orders and fills over the
WebSocket while it places, replaces and cancels orders over REST as two demo
accounts, and rebuilds the book from the stream's snapshot and deltas (checking
their sequence numbers) to compare it with the REST book at the end.
"""

import asyncio
import json
import sys
import urllib.error
import urllib.request

import websockets

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
SYMBOL = "BTC-USD"


def rest(method, path, key=None, body=None):
    """One REST call: (status, JSON answer). Errors are JSON too: {code, message}."""
    request = urllib.request.Request(BASE + path, method=method)
    if key:
        request.add_header("X-API-Key", key)
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


class Book:
    """The book from the stream: a snapshot, then deltas in sequence."""

    def __init__(self):
        self.seq, self.bids, self.asks = 0, {}, {}

    def receive(self, message):
        if message.get("channel") != "book" or message["type"] not in ("snapshot", "delta"):
            return
        if message["type"] == "snapshot":
            self.bids = {level[0]: level for level in message["bids"]}
            self.asks = {level[0]: level for level in message["asks"]}
        elif message["type"] == "delta":
            if message["first_seq"] != self.seq + 1:
                raise RuntimeError("gap in the book stream: resubscribe for a fresh snapshot")
            for side, price, qty, orders in message["changes"]:
                levels = self.bids if side == "buy" else self.asks
                if float(qty) == 0:
                    levels.pop(price, None)
                else:
                    levels[price] = [price, qty, orders]
        self.seq = message["seq"]

    def levels(self):
        bids = sorted(self.bids.values(), key=lambda level: -float(level[0]))
        asks = sorted(self.asks.values(), key=lambda level: float(level[0]))
        return bids, asks


async def stream(book, seen, ready):
    url = BASE.replace("http", "ws", 1) + "/ws"
    async with websockets.connect(url) as ws:
        for request in (
            {"op": "subscribe", "channel": "book", "symbol": SYMBOL},
            {"op": "subscribe", "channel": "trades", "symbol": SYMBOL},
            {"op": "auth", "api_key": "demo-key"},
            {"op": "subscribe", "channel": "orders"},
        ):
            await ws.send(json.dumps(request))
        async for text in ws:
            message = json.loads(text)
            book.receive(message)
            seen.append(message)
            kind = (message.get("channel"), message["type"])
            if kind == ("book", "snapshot"):
                ready.set()
            elif kind == ("trades", "trade"):
                print(f"  stream: trade {message['qty']} @ {message['price']} ({message['aggressor']} aggressor)")
            elif kind == ("orders", "fill"):
                fill = message["fill"]
                print(f"  stream: demo's fill {fill['side']} {fill['qty']} @ {fill['price']} as {fill['liquidity']}")


async def main():
    status, instruments = rest("GET", "/api/v1/instruments")
    print("instruments:", ", ".join(instrument["symbol"] for instrument in instruments))
    book, seen, ready = Book(), [], asyncio.Event()
    streaming = asyncio.create_task(stream(book, seen, ready))
    await asyncio.wait_for(ready.wait(), 5)

    def place(key, side, price, qty):
        order = {"symbol": SYMBOL, "side": side, "type": "limit", "price": price, "qty": qty}
        status, answer = rest("POST", "/api/v1/orders", key, order)
        if status != 201:
            print(f"{key}: {side} {qty} @ {price} refused: {status} {answer['code']}: {answer['message']}")
            return None
        print(f"{key}: {side} {qty} @ {price} -> order {answer['order_id']} {answer['status']}, "
              f"filled {answer['filled_qty']}, {len(answer['fills'])} fill(s)")
        return answer["order_id"]

    bid = place("demo-key", "buy", "49990.00", "0.5")
    place("demo2-key", "sell", "50010.00", "0.3")
    place("demo2-key", "sell", "49990.00", "0.2")  # trades with demo's bid
    status, replaced = rest("PATCH", f"/api/v1/orders/{bid}", "demo-key", {"price": "49995.00"})
    print(f"demo-key: replace order {bid} to 49995.00 -> {status} {replaced.get('status')}")
    place("demo-key", "buy", "999999.00", "0.1")  # outside the price band: 422
    await asyncio.sleep(0.5)

    status, depth = rest("GET", f"/api/v1/marketdata/{SYMBOL}?depth=100")
    bids, asks = book.levels()
    print(f"book from the stream (seq {book.seq}): bids {bids} asks {asks}")
    print(f"book from REST       (seq {depth['seq']}): bids {depth['bids']} asks {depth['asks']}")
    print("they agree" if (bids, asks) == (depth["bids"], depth["asks"]) else "they DIFFER")

    status, cancelled = rest("DELETE", f"/api/v1/orders/{bid}", "demo-key")
    print(f"demo-key: cancel order {bid} -> {status} {cancelled.get('status')}")
    _, positions = rest("GET", "/api/v1/risk/positions", "demo-key")
    for position in positions:
        print(f"demo position {position['symbol']}: {position['net_qty']} at {position.get('avg_price')}, "
              f"realized {position['realized_pnl']}, fees {position['fees']}")
    streaming.cancel()


if __name__ == "__main__":
    asyncio.run(main())
