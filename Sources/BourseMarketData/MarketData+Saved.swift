import BourseJSONLines

/// What the market data keeps beyond the engine's state (orders with their history, fills,
/// the trade tape, candles), saved when the server stops and loaded at the next start if
/// the engine recovered to exactly the same command. The books' levels are not saved: the
/// engine's books give them back.
extension MarketData {
    /// The saved form, as one JSON value.
    public func saved() -> JSONValue {
        state.withLock { state in
            var orders: [JSONValue] = []
            var accounts: [(String, JSONValue)] = []
            for (account, list) in state.accountOrders.sorted(by: { $0.key < $1.key }) {
                for id in list.ids {
                    guard let record = state.orders[id] else { continue }
                    orders.append(.object([("open", .bool(record.isOpen)), ("order", .object(record.members))]))
                }
                accounts.append(
                    (
                        account,
                        .object([
                            ("closed", .array(list.closed[list.closedHead...].map { .string($0) })),
                            ("fills", .array(state.fills[account] ?? [])),
                        ])
                    ))
            }
            for (account, fills) in state.fills where state.accountOrders[account] == nil {
                accounts.append((account, .object([("closed", .array([])), ("fills", .array(fills))])))
            }
            var books: [(String, JSONValue)] = []
            for symbol in state.symbols {
                guard let book = state.books[symbol] else { continue }
                let candles: [JSONValue] = book.candles.map { candle in
                    .array(
                        [
                            candle.minute, candle.open, candle.high, candle.low, candle.close,
                        ].map { .number(String($0)) } + [
                            .number(String(candle.volume)), .number(String(candle.trades)),
                        ])
                }
                books.append(
                    (
                        symbol,
                        .object([
                            ("trades", .array(book.trades)), ("candles", .array(candles)),
                            ("last", book.last.map { .number(String($0)) } ?? .null),
                        ])
                    ))
            }
            return .object([("orders", .array(orders)), ("accounts", .object(accounts)), ("books", .object(books))])
        }
    }

    /// Loads a saved form; instruments must have been added first (others are skipped).
    /// Answers false, changing nothing, if the value is not a saved form.
    @discardableResult
    public func load(_ saved: JSONValue) -> Bool {
        guard case .array(let orders)? = saved["orders"], case .object(let accounts)? = saved["accounts"],
            case .object(let books)? = saved["books"]
        else { return false }
        return state.withLock { state in
            var loaded = state
            for entry in orders {
                guard case .object(let members)? = entry["order"], let id = entry["order"]?["order_id"]?.stringValue,
                    let account = entry["order"]?["account"]?.stringValue
                else { return false }
                guard loaded.orders[id] == nil else { return false }
                loaded.orders[id] = OrderRecord(members: members, isOpen: entry["open"] == .bool(true))
                loaded.accountOrders[account, default: AccountOrders()].add(id)
            }
            for (account, value) in accounts {
                for id in value["closed"]?.elements ?? [] {
                    if let id = id.stringValue {
                        loaded.accountOrders[account, default: AccountOrders()].closed.append(id)
                    }
                }
                let fills = value["fills"]?.elements ?? []
                if !fills.isEmpty { loaded.fills[account] = fills }
            }
            for (symbol, value) in books {
                guard loaded.books[symbol] != nil else { continue }
                loaded.books[symbol]!.trades = value["trades"]?.elements ?? []
                loaded.books[symbol]!.last = value["last"]?.int64Value.flatMap { $0 > 0 ? $0 : nil }
                var candles: [Candle] = []
                for candle in value["candles"]?.elements ?? [] {
                    let numbers = candle.elements.compactMap { $0.stringValue ?? numberText($0) }
                    // Values a running server could have made, so that no sum or product of
                    // them can overflow later.
                    guard numbers.count == 7, let minute = Int64(numbers[0]), let open = Int64(numbers[1]),
                        let high = Int64(numbers[2]), let low = Int64(numbers[3]), let close = Int64(numbers[4]),
                        let volume = Int128(numbers[5]), let trades = Int(numbers[6]),
                        (0..<(1 << 40)).contains(minute), minute > (candles.last?.minute ?? -1),
                        [open, high, low, close].allSatisfy({ $0 > 0 }), (0..<(1 << 100)).contains(volume),
                        (1..<(1 << 40)).contains(trades)
                    else { return false }
                    candles.append(
                        Candle(
                            minute: minute, open: open, high: high, low: low, close: close, volume: volume,
                            trades: trades))
                }
                loaded.books[symbol]!.candles = candles
            }
            state = loaded
            return true
        }
    }
}

private func numberText(_ value: JSONValue) -> String? {
    if case .number(let text) = value { return text }
    return nil
}
