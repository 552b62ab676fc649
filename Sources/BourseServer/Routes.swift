import BourseEngine
import BourseJSONLines
import BourseMarketData
import BourseVenue
import Foundation
import Hummingbird
import Synchronization

/// The REST API (`docs/server.md`, `openapi.yaml`): public market data, private order
/// entry and account reads (an account's API key), admin commands (the admin key),
/// health, readiness, statistics and metrics.
struct Routes: Sendable {
    let gateway: EngineGateway
    let marketData: MarketData
    let keys: Keys
    let keyStore: KeyStore
    let metrics: ServerMetrics
    let configuration: ServerConfiguration
    let status: ServerStatus

    func add(to router: Router<BasicRequestContext>) {
        router.middlewares.add(ErrorMiddleware(metrics: metrics))
        router.get("/health") { _, _ in JSONResponse.make(.object([("status", .string("ok"))])) }
        router.get("/ready") { _, _ in try ready() }
        router.get("/statistics") { _, _ in statistics() }
        router.get("/metrics") { _, _ in JSONResponse.text(metricsText(), contentType: "text/plain; version=0.0.4") }
        router.get("/openapi.yaml") { _, _ in JSONResponse.text(OpenAPIDocument.text, contentType: "application/yaml") }

        let api = router.group("api/v1")
        api.get("instruments") { _, _ in instruments() }
        api.get("marketdata/{symbol}") { request, context in
            let symbol = try context.parameters.require("symbol")
            let depth = try integer(request, "depth", default: 20, range: 1...1000)
            guard let book = marketData.depth(symbol, levels: depth) else { throw unknownSymbol(symbol) }
            return JSONResponse.make(book)
        }
        api.get("marketdata/{symbol}/trades") { request, context in
            let symbol = try context.parameters.require("symbol")
            let limit = try integer(request, "limit", default: 100, range: 1...MarketData.tradesKept)
            guard let trades = marketData.trades(symbol, limit: limit) else { throw unknownSymbol(symbol) }
            return JSONResponse.make(trades)
        }
        api.get("marketdata/{symbol}/ticker") { _, context in
            let symbol = try context.parameters.require("symbol")
            guard let ticker = marketData.ticker(symbol) else { throw unknownSymbol(symbol) }
            return JSONResponse.make(ticker)
        }
        api.get("marketdata/{symbol}/candles") { request, context in
            let symbol = try context.parameters.require("symbol")
            let minutes: Int64
            switch request.uri.queryParameters.get("interval") ?? "1m" {
            case "1m": minutes = 1
            case "5m": minutes = 5
            case "1h": minutes = 60
            case let other: throw APIError.badRequest("interval must be 1m, 5m or 1h, not \(other)")
            }
            let limit = try integer(request, "limit", default: 100, range: 1...1000)
            guard let candles = marketData.candles(symbol, minutes: minutes, limit: limit) else {
                throw unknownSymbol(symbol)
            }
            return JSONResponse.make(candles)
        }

        // Private: the account of the API key.
        api.post("orders") { request, context in try await placeOrder(request, context) }
        api.get("orders") { request, _ in
            let account = try authenticate(request)
            let status = request.uri.queryParameters.get("status") ?? "open"
            guard status == "open" || status == "all" else { throw APIError.badRequest("status must be open or all") }
            let limit = try integer(request, "limit", default: 500, range: 1...MarketData.ordersKeptPerAccount)
            return JSONResponse.make(
                marketData.orders(
                    account: account, openOnly: status == "open", symbol: request.uri.queryParameters.get("symbol"),
                    limit: limit))
        }
        api.get("orders/{order_id}") { request, context in
            let account = try authenticate(request)
            let orderID = try context.parameters.require("order_id")
            guard let order = marketData.order(account: account, orderID: orderID, clientOrderID: nil) else {
                throw APIError(.notFound, "unknown_order", "no order \(orderID) of this account")
            }
            return JSONResponse.make(order)
        }
        api.get("orders/by-client-id/{client_order_id}") { request, context in
            let account = try authenticate(request)
            let clientOrderID = try context.parameters.require("client_order_id")
            guard let order = marketData.order(account: account, orderID: nil, clientOrderID: clientOrderID) else {
                throw APIError(.notFound, "unknown_order", "no order with client order id \(clientOrderID)")
            }
            return JSONResponse.make(order)
        }
        api.patch("orders/{order_id}") { request, context in try await replaceOrder(request, context) }
        api.delete("orders/{order_id}") { request, context in
            let account = try authenticate(request)
            let orderID = try context.parameters.require("order_id")
            try refuseWhileDraining()
            let symbol = try symbolOfOrder(orderID, account: account, request: request)
            let events = try await run([
                ("cmd", .string("cancel")), ("symbol", .string(symbol)), ("account", .string(account)),
                ("order_id", .string(orderID)),
            ])
            return JSONResponse.make(orderResult(orderID: orderID, events: events))
        }
        api.delete("orders") { request, _ in
            let account = try authenticate(request)
            try refuseWhileDraining()
            var members: [(String, JSONValue)] = [("cmd", .string("mass_cancel")), ("account", .string(account))]
            if let symbol = request.uri.queryParameters.get("symbol") { members.append(("symbol", .string(symbol))) }
            if let side = request.uri.queryParameters.get("side") { members.append(("side", .string(side))) }
            let events = try await run(members)
            let count = events.first { $0["event"]?.stringValue == "mass_cancelled" }?["count"] ?? .number("0")
            return JSONResponse.make(.object([("cancelled", count), ("events", .array(events))]))
        }
        api.get("fills") { request, _ in
            let account = try authenticate(request)
            let limit = try integer(request, "limit", default: 500, range: 1...MarketData.fillsKeptPerAccount)
            return JSONResponse.make(
                marketData.fills(account: account, symbol: request.uri.queryParameters.get("symbol"), limit: limit))
        }
        api.get("balances") { request, _ in
            let account = try authenticate(request)
            let events = try await run([("cmd", .string("account_report")), ("account", .string(account))])
            return JSONResponse.make(.array(events.filter { $0["event"]?.stringValue == "balance" }.map(stripEvent)))
        }
        api.get("risk/positions") { request, _ in
            let account = try authenticate(request)
            let events = try await run([("cmd", .string("account_report")), ("account", .string(account))])
            return JSONResponse.make(.array(events.filter { $0["event"]?.stringValue == "position" }.map(stripEvent)))
        }

        addAdminRoutes(to: router)
    }

    // MARK: Orders

    private func placeOrder(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let account = try authenticate(request)
        try refuseWhileDraining()
        var members = try await body(request, context)
        try checkAccountField(members, account)
        members.removeAll { ["cmd", "account", "ts"].contains($0.0) }
        if !members.contains(where: { $0.0 == "client_order_id" }) {
            members.append(("client_order_id", .string(MadeUpClientOrderID.next())))
        }
        let events = try await run([("cmd", .string("new_order")), ("account", .string(account))] + members)
        guard let accepted = events.first(where: { $0["event"]?.stringValue == "accepted" }),
            let orderID = accepted["order_id"]?.stringValue
        else { throw APIError(.internalServerError, "internal", "the engine answered no acceptance") }
        return JSONResponse.make(orderResult(orderID: orderID, events: events), status: .created)
    }

    private func replaceOrder(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let account = try authenticate(request)
        let orderID = try context.parameters.require("order_id")
        try refuseWhileDraining()
        var members = try await body(request, context)
        try checkAccountField(members, account)
        members.removeAll { ["cmd", "account", "ts", "order_id", "client_order_id"].contains($0.0) }
        if !members.contains(where: { $0.0 == "symbol" }) {
            members.append(("symbol", .string(try symbolOfOrder(orderID, account: account, request: request))))
        }
        let events = try await run(
            [("cmd", .string("replace")), ("account", .string(account)), ("order_id", .string(orderID))] + members)
        return JSONResponse.make(orderResult(orderID: orderID, events: events))
    }

    /// An order's state after a command: its last status and quantities, its fills in
    /// this command, and every event the command answered.
    private func orderResult(orderID: String, events: [JSONValue]) -> JSONValue {
        var members: [(String, JSONValue)] = [("order_id", .string(orderID))]
        let accepted = events.first { $0["event"]?.stringValue == "accepted" && $0["order_id"]?.stringValue == orderID }
        let last = events.last { $0["event"]?.stringValue == "order" && $0["order_id"]?.stringValue == orderID }
        if let clientOrderID = (last ?? accepted)?["client_order_id"] {
            members.append(("client_order_id", clientOrderID))
        }
        if let last {
            for key in ["status", "filled_qty", "leaves_qty", "avg_price", "reason"] {
                if let value = last[key] { members.append((key, value)) }
            }
        } else if let accepted {
            members += [("status", .string("new")), ("filled_qty", .string("0")), ("leaves_qty", accepted["qty"]!)]
        }
        let fills = events.filter {
            $0["event"]?.stringValue == "trade"
                && ($0["maker_order_id"]?.stringValue == orderID || $0["taker_order_id"]?.stringValue == orderID)
        }
        members.append(("fills", .array(fills.map(stripEvent))))
        members.append(("events", .array(events)))
        return .object(members)
    }

    private func symbolOfOrder(_ orderID: String, account: String, request: Request) throws -> String {
        if let symbol = request.uri.queryParameters.get("symbol") { return symbol }
        guard let order = marketData.order(account: account, orderID: orderID, clientOrderID: nil),
            let symbol = order["symbol"]?.stringValue
        else { throw APIError(.notFound, "unknown_order", "no order \(orderID) of this account") }
        return symbol
    }

    // MARK: Admin

    private func addAdminRoutes(to router: Router<BasicRequestContext>) {
        let admin = router.group("admin")
        admin.post("instruments") { request, context in
            try authenticateAdmin(request)
            var members = try await body(request, context)
            members.removeAll { $0.0 == "cmd" }
            let text = try instrumentText(members)
            // The market data gets the instrument on the gateway's thread, right after the
            // engine accepted it and before the events of any later command.
            _ = try await run([("cmd", .string("add_instrument"))] + members) {
                marketData.addInstrument(text)
            }
            return JSONResponse.make(.object([("symbol", .string(text.symbol))]), status: .created)
        }
        admin.post("accounts") { request, context in
            try authenticateAdmin(request)
            let body = JSONValue.object(try await body(request, context))
            guard let name = body["name"]?.stringValue, !name.isEmpty,
                !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { throw APIError.badRequest("name must be a non-empty string without control characters") }
            // The key is taken first (atomically: of two requests with one key, one gets 409),
            // and given back if the account's settings are refused; it is stored once they
            // are applied.
            var key: String?
            if let given = body["api_key"] {
                guard let text = given.stringValue, text.count >= 16 else {
                    throw APIError.badRequest("api_key must be a string of at least 16 characters")
                }
                guard keys.add(key: text, account: name) else {
                    throw APIError(.conflict, "duplicate_key", "that API key is taken")
                }
                key = text
            }
            var command: [(String, JSONValue)] = [("cmd", .string("set_account")), ("account", .string(name))]
            for field in ["mode", "tier", "enabled"] {
                if let value = body[field] { command.append((field, value)) }
            }
            let events: [JSONValue]
            do {
                events = try await run(command)
                if let key { try keyStore.append(account: name, digest: Keys.digest(key)) }
            } catch {
                if let key { keys.remove(key: key) }
                throw error
            }
            var answer: [(String, JSONValue)] = [("account", .string(name))]
            if key != nil { answer.append(("api_key_added", .bool(true))) }
            answer.append(("events", .array(events)))
            return JSONResponse.make(.object(answer), status: .created)
        }
        for (path, cmd) in [("deposits", "deposit"), ("withdrawals", "withdraw")] {
            admin.post(RouterPath(stringLiteral: path)) { request, context in
                try await adminCommand(cmd, request, context)
            }
        }
        admin.put("limits") { request, context in try await adminCommand("set_limits", request, context) }
        admin.put("instrument-risk") { request, context in
            try await adminCommand("set_instrument_risk", request, context)
        }
        admin.put("fees") { request, context in try await adminCommand("set_fees", request, context) }
        admin.post("halt") { request, context in
            try await haltOrResume(request, context, symbolCommand: "halt", venueCommand: "halt_venue")
        }
        admin.post("resume") { request, context in
            try await haltOrResume(request, context, symbolCommand: "resume", venueCommand: "resume_venue")
        }
        admin.post("kill") { request, context in try await adminCommand("kill", request, context) }
        admin.post("unkill") { request, context in try await adminCommand("unkill", request, context) }
        admin.post("settle") { request, context in try await adminCommand("settle", request, context) }
        admin.post("end-session") { request, context in try await adminCommand("end_session", request, context) }
        admin.post("snapshot") { request, _ in
            try authenticateAdmin(request)
            gateway.engine.requestSnapshot()
            return JSONResponse.make(.object([("snapshot", .string("requested"))]), status: .accepted)
        }
        admin.post("drain") { request, _ in
            try authenticateAdmin(request)
            status.draining.store(true, ordering: .releasing)
            gateway.engine.requestSnapshot()
            return JSONResponse.make(.object([("draining", .bool(true))]), status: .accepted)
        }
        admin.get("accounts/{account}/report") { request, context in
            try authenticateAdmin(request)
            let account = try context.parameters.require("account")
            let events = try await run([("cmd", .string("account_report")), ("account", .string(account))])
            return JSONResponse.make(.array(events.map(stripEvent)))
        }
    }

    private func adminCommand(
        _ cmd: String, _ request: Request, _ context: BasicRequestContext
    ) async throws
        -> Response
    {
        try authenticateAdmin(request)
        var members = try await body(request, context, allowEmpty: true)
        members.removeAll { $0.0 == "cmd" || $0.0 == "ts" }
        let events = try await run([("cmd", .string(cmd))] + members)
        return JSONResponse.make(.object([("events", .array(events))]))
    }

    private func haltOrResume(
        _ request: Request, _ context: BasicRequestContext, symbolCommand: String, venueCommand: String
    ) async throws -> Response {
        try authenticateAdmin(request)
        let members = try await body(request, context, allowEmpty: true)
        let symbol = JSONValue.object(members)["symbol"]
        let command: [(String, JSONValue)] =
            symbol == nil ? [("cmd", .string(venueCommand))] : [("cmd", .string(symbolCommand)), ("symbol", symbol!)]
        let events = try await run(command)
        return JSONResponse.make(.object([("events", .array(events))]))
    }

    private func instrumentText(_ members: [(String, JSONValue)]) throws -> InstrumentText {
        let value = JSONValue.object(members)
        guard let symbol = value["symbol"]?.stringValue,
            let tick = value["tick_size"]?.stringValue.flatMap(UnitSize.init),
            let lot = value["lot_size"]?.stringValue.flatMap(UnitSize.init)
        else { throw APIError.badRequest("symbol, tick_size and lot_size (positive decimal strings) are required") }
        return InstrumentText(symbol: symbol, tick: tick, lot: lot)
    }

    // MARK: Service

    private func ready() throws -> Response {
        guard status.ready.load(ordering: .acquiring), !gateway.isStopped else {
            throw APIError(.serviceUnavailable, "not_ready", "the engine is not running")
        }
        let recovery = gateway.engine.recovery
        return JSONResponse.make(
            .object([
                ("status", .string("ready")), ("recovered_seq", .number(String(recovery.lastSeq))),
                ("replayed", .number(String(recovery.replayed))),
                ("recovery_ms", .number(String(recovery.nanoseconds / 1_000_000))),
            ]))
    }

    private func statistics() -> Response {
        let engine = gateway.engine.statistics
        return JSONResponse.make(
            .object([
                ("last_seq", .number(String(engine.lastSeq))), ("durable_seq", .number(String(engine.durableSeq))),
                ("journal_syncs", .number(String(engine.syncs))),
                ("intake_depth", .number(String(engine.intakeDepth))),
                ("draining", .bool(status.draining.load(ordering: .acquiring))),
                ("instruments", .number(String(marketData.symbols.count))),
                ("websocket_subscribers", .number(String(marketData.hub.subscriberCount))),
            ]))
    }

    private func metricsText() -> String {
        let engine = gateway.engine.statistics
        var text = ""
        metrics.write(into: &text)
        text += "# HELP bourse_last_seq The last command the sequencer handed to the journal.\n"
        text += "# TYPE bourse_last_seq gauge\nbourse_last_seq \(engine.lastSeq)\n"
        text += "# HELP bourse_durable_seq The last command whose journal record is durable.\n"
        text += "# TYPE bourse_durable_seq gauge\nbourse_durable_seq \(engine.durableSeq)\n"
        text += "# HELP bourse_intake_depth Commands waiting in the intake ring.\n"
        text += "# TYPE bourse_intake_depth gauge\nbourse_intake_depth \(engine.intakeDepth)\n"
        let streams = marketData.hub.counters
        text += "# HELP bourse_websocket_subscribers WebSocket connections open.\n"
        text +=
            "# TYPE bourse_websocket_subscribers gauge\nbourse_websocket_subscribers \(marketData.hub.subscriberCount)\n"
        text += "# HELP bourse_websocket_drops_total WebSocket connections dropped for falling behind.\n"
        text += "# TYPE bourse_websocket_drops_total counter\nbourse_websocket_drops_total \(streams.drops)\n"
        text += "# HELP bourse_websocket_frames_total Frames handed to WebSocket connections.\n"
        text += "# TYPE bourse_websocket_frames_total counter\nbourse_websocket_frames_total \(streams.delivered)\n"
        text += "# HELP bourse_journal_syncs_total Journal batches synced.\n"
        text += "# TYPE bourse_journal_syncs_total counter\nbourse_journal_syncs_total \(engine.syncs)\n"
        text += "# HELP bourse_journal_syncs_by_duration_total Journal syncs, by duration bucket "
        text += "(at most le_us microseconds, more than half of it).\n"
        text += "# TYPE bourse_journal_syncs_by_duration_total counter\n"
        for (index, count) in engine.syncDurations.enumerated() {
            text += "bourse_journal_syncs_by_duration_total{le_us=\"\(1 << (index + 1))\"} \(count)\n"
        }
        return text
    }

    private func instruments() -> Response {
        JSONResponse.make(
            .array(
                marketData.symbols.compactMap { symbol in
                    guard let instrument = marketData.instrument(symbol) else { return nil }
                    var members: [(String, JSONValue)] = [
                        ("symbol", .string(symbol)), ("tick_size", .string(instrument.tick.format(1))),
                        ("lot_size", .string(instrument.lot.format(1))),
                    ]
                    let parts = symbol.split(whereSeparator: { $0 == "-" || $0 == "/" })
                    if parts.count == 2 {
                        members += [("base", .string(String(parts[0]))), ("quote", .string(String(parts[1])))]
                    }
                    return .object(members)
                }))
    }

    // MARK: Helpers

    private func authenticate(_ request: Request) throws -> String {
        switch try identify(request) {
        case .account(let name): return name
        case .admin: throw APIError(.forbidden, "forbidden", "the admin key does not trade: use an account's key")
        }
    }

    private func authenticateAdmin(_ request: Request) throws {
        guard try identify(request) == .admin else {
            throw APIError(.forbidden, "forbidden", "this needs the admin key")
        }
    }

    private func identify(_ request: Request) throws -> Keys.Identity {
        var key = request.headers.first { $0.name.canonicalName == "x-api-key" }?.value
        if key == nil, let authorization = request.headers[.authorization], authorization.hasPrefix("Bearer ") {
            key = String(authorization.dropFirst(7))
        }
        guard let key, !key.isEmpty else {
            throw APIError(.unauthorized, "unauthorized", "an API key is needed (X-API-Key header)")
        }
        // One digest for both: a request hashes its key once.
        let digest = Keys.digest(key)
        guard let identity = keys.identify(digest: digest) else {
            throw APIError(.unauthorized, "unauthorized", "unknown API key")
        }
        guard keys.allow(digest: digest) else {
            throw APIError(
                .tooManyRequests, "rate_limit", "more than \(configuration.requestsPerSecond) requests a second")
        }
        return identity
    }

    private func refuseWhileDraining() throws {
        if status.draining.load(ordering: .acquiring) { throw APIError.draining }
    }

    private func checkAccountField(_ members: [(String, JSONValue)], _ account: String) throws {
        if let given = JSONValue.object(members)["account"], given != .string(account) {
            throw APIError(.forbidden, "forbidden", "an API key acts for its own account only")
        }
    }

    /// The request's JSON object body.
    private func body(
        _ request: Request, _ context: BasicRequestContext, allowEmpty: Bool = false
    ) async throws
        -> [(String, JSONValue)]
    {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch {
            throw APIError(.contentTooLarge, "too_large", "the body is larger than \(configuration.maxBodyBytes) bytes")
        }
        let text = String(buffer: buffer)
        if allowEmpty && text.allSatisfy(\.isWhitespace) { return [] }
        let value: JSONValue
        do {
            value = try JSONParser.parse(text)
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .object(let members) = value else { throw APIError.badRequest("the body must be a JSON object") }
        return members
    }

    /// Runs a command; a rejection becomes its error answer. `onAccepted` runs on the
    /// gateway's thread if the command was not rejected, before its events are applied.
    private func run(
        _ members: [(String, JSONValue)], onAccepted: (@Sendable () -> Void)? = nil
    ) async throws
        -> [JSONValue]
    {
        switch await gateway.execute(members, onAccepted: onAccepted) {
        case .failure(.busy): throw APIError.busy
        case .failure(.stopped): throw APIError.stopped
        case .success(let events):
            if let rejected = events.first(where: { $0["event"]?.stringValue == "rejected" }) {
                throw APIError.rejected(rejected)
            }
            return events
        }
    }

    private func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int
    {
        guard let text = request.uri.queryParameters.get(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw APIError.badRequest("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    private func unknownSymbol(_ symbol: String) -> APIError {
        APIError(.notFound, "unknown_symbol", "no instrument \(symbol)")
    }

    private func stripEvent(_ event: JSONValue) -> JSONValue {
        guard case .object(let members) = event else { return event }
        return .object(members.filter { $0.0 != "event" })
    }
}

/// What the routes need to know of the server's life.
final class ServerStatus: Sendable {
    let ready = Atomic<Bool>(false)
    let draining = Atomic<Bool>(false)
}

/// Client order ids for orders placed without one: `rest-` and 128 random bits in hex,
/// drawn from the system's generator (`getrandom`). Random rather than counted, so that
/// an id tells nothing of other accounts' orders. (A UUID per order read the system's
/// random device each time: an open, a read and a close for every order.)
enum MadeUpClientOrderID {
    static func next() -> String {
        var generator = SystemRandomNumberGenerator()
        let halves = (generator.next(), generator.next())
        // Hex digits written directly: `String(_:radix:)` of a 128-bit integer took the
        // generic path and cost more than the rest of placing the order.
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 37) { buffer in
            for (index, byte) in "rest-".utf8.enumerated() { buffer[index] = byte }
            for position in 0..<32 {
                let half = position < 16 ? halves.0 : halves.1
                buffer[5 + position] = digits[Int(truncatingIfNeeded: half >> UInt64(60 - 4 * (position % 16))) & 15]
            }
            return 37
        }
    }
}
