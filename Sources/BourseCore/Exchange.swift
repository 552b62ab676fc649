/// The matching engine: every instrument's book, the orders, the engine clock.
///
/// Pure and deterministic: it reads no clock and does no I/O. Each command writes
/// its events into the caller's sink, in the order things happen, as the
/// matching contract specifies. Commands arrive already parsed: names are
/// integer ids, numbers are ticks and lots (see `NewOrder`).
public struct Exchange {
    var orders = OrderStore()
    var orderIndex = HandleTable(hashing: .sequential)
    /// Books by symbol id.
    var books = BookList()
    /// The engine clock, in milliseconds; starts at 0 and never goes back.
    public internal(set) var now: Milliseconds = 0
    var nextOrderID: UInt64 = 1
    var nextTradeID: UInt64 = 1
    var expiries = ExpiryQueue()
    /// Triggered stops waiting to be processed (reused between commands).
    var workList: [UInt32] = []
    /// Shared by copies of this engine; see `makeUnique()`.
    private var copyToken = CopyToken()
    private final class CopyToken {}

    public init() {}

    /// Pre-sizes the order storage for `count` live orders. The id index still grows
    /// with the live count: a table larger than needed costs cache misses.
    public mutating func reserveCapacity(orders count: Int) {
        makeUnique()
        orders.reserveCapacity(count)
    }

    // MARK: Instruments and trading state

    /// Adds an instrument with an empty book and returns its id.
    public mutating func addInstrument(_ rules: InstrumentRules) -> SymbolID {
        let symbol = SymbolID(UInt32(books.count))
        makeUnique()
        books.append(Book(symbol: symbol, rules: rules))
        return symbol
    }

    public mutating func halt(_ symbol: SymbolID) {
        makeUnique()
        books.pointer(to: Int(symbol.rawValue)).pointee.halted = true
    }

    /// Resumes trading in `symbol`. A circuit breaker can halt a symbol after trades that
    /// left stops whose condition holds: the trigger check they missed runs now.
    public mutating func resume(_ symbol: SymbolID, into sink: inout some EventSink) {
        makeUnique()
        let book = books.pointer(to: Int(symbol.rawValue))
        guard book.pointee.halted else { return }
        book.pointee.halted = false
        runTriggerCheck(in: &book.pointee, into: &sink)
    }

    /// Whether `symbol` is halted (by `halt` or by its circuit breaker).
    public func isHalted(_ symbol: SymbolID) -> Bool { books.pointer(to: Int(symbol.rawValue)).pointee.halted }

    /// The id the next accepted order will get.
    public var upcomingOrderID: OrderID { OrderID(nextOrderID) }

    /// The price of `symbol`'s last trade, in ticks.
    public func lastTradePrice(_ symbol: SymbolID) -> Int64? {
        books.pointer(to: Int(symbol.rawValue)).pointee.lastTradePrice
    }

    /// The best bid and ask of `symbol`, in ticks. Mutating only so that the book is read in
    /// place (a non-mutating call copied it; finding the best level may drop empty ones).
    public mutating func bestPrices(_ symbol: SymbolID) -> (bid: Int64?, ask: Int64?) {
        makeUnique()
        let book = books.pointer(to: Int(symbol.rawValue))
        var bid: Int64?
        var ask: Int64?
        // Stored properties only: a method call on the book copied it.
        if let level = book.pointee.bids.bestLevel() { bid = book.pointee.bids.levels[Int(level)].price }
        if let level = book.pointee.asks.bestLevel() { ask = book.pointee.asks.levels[Int(level)].price }
        return (bid, ask)
    }

    /// Sets the circuit breaker's band of `symbol` for the commands that follow: no
    /// trade prints outside `low...high` (ticks). An incoming order that would is
    /// cancelled (reason `circuit_breaker`) and the symbol halts; a FOK sees the book
    /// as ending at the band.
    public mutating func setPriceBand(_ symbol: SymbolID, _ band: ClosedRange<Int64>) {
        // Most commands find the band as the last one left it: then nothing is written.
        let current = books.pointer(to: Int(symbol.rawValue))
        if current.pointee.bandLow == band.lowerBound && current.pointee.bandHigh == band.upperBound { return }
        makeUnique()
        let book = books.pointer(to: Int(symbol.rawValue))
        book.pointee.bandLow = band.lowerBound
        book.pointee.bandHigh = band.upperBound
    }

    // MARK: Clock

    /// Applies `now = max(now, time)`; GTD orders whose time has come expire first.
    public mutating func advanceClock(to time: Milliseconds, into sink: inout some EventSink) {
        guard time > now else { return }
        now = time
        guard let next = expiries.nextExpiry(), next <= now else { return }
        var due: [(orderID: UInt64, handle: UInt32)] = []
        while let next = expiries.nextExpiry(), next <= now {
            let entry = expiries.popMin()!
            if let handle = orderIndex.find(entry.orderID, in: orders.queue),
                orders.details[Int(handle)].timeInForce == .goodTillDate
            {
                due.append((entry.orderID, handle))
            }
        }
        due.sort { $0.orderID < $1.orderID }
        makeUnique()
        for order in due { endOrder(order.handle, status: .expired, reason: .gtdExpired, into: &sink) }
    }

    // MARK: Commands

    /// The reason the contract's validation rejects `order` (whose symbol exists), or
    /// nil if it would be accepted. `submit` validates again; this lets a caller check
    /// more (pre-trade risk) between the contract's checks and matching.
    public mutating func validate(_ order: NewOrder) -> RejectReason? {
        books.pointer(to: Int(order.symbol.rawValue)).pointee.validate(order, now: now)
    }

    /// A `new_order` whose symbol exists. Validates, then accepts and processes it.
    public mutating func submit(_ order: NewOrder, into sink: inout some EventSink) {
        makeUnique()
        let book = books.pointer(to: Int(order.symbol.rawValue))
        accept(order, in: &book.pointee, into: &sink)
    }

    /// A `cancel` of one of `account`'s orders in `symbol`.
    public mutating func cancel(
        _ orderID: OrderID, account: AccountID, symbol: SymbolID, into sink: inout some EventSink
    ) {
        guard let handle = findOrder(orderID, account: account, symbol: symbol) else {
            sink.receive(.rejected(.unknownOrder))
            return
        }
        makeUnique()
        endOrder(handle, status: .cancelled, reason: .cancelled, into: &sink)
    }

    /// Cancels `account`'s open orders and stops (of `symbol` and `side` when given) in acceptance order.
    public mutating func massCancel(
        account: AccountID, symbol: SymbolID?, side: Side?, into sink: inout some EventSink
    ) {
        let handles = liveOrders { entry, _ in
            entry.account == account.rawValue && (symbol == nil || entry.symbol == symbol!.rawValue)
                && (side == nil || entry.side == side!)
        }
        makeUnique()
        for handle in handles { endOrder(handle, status: .cancelled, reason: .massCancel, into: &sink) }
        sink.receive(.massCancelled(account, count: handles.count))
    }

    /// Cancels every open order and stop of `account` (of every account when nil) in
    /// acceptance order, with `reason` (the kill switch). Answers no `mass_cancelled`.
    public mutating func cancelAll(account: AccountID?, reason: OrderReason, into sink: inout some EventSink) {
        let handles = liveOrders { entry, _ in account == nil || entry.account == account!.rawValue }
        makeUnique()
        for handle in handles { endOrder(handle, status: .cancelled, reason: reason, into: &sink) }
    }

    /// Expires every DAY order and untriggered DAY stop (of `symbol`, or of all), in acceptance order.
    public mutating func endSession(symbol: SymbolID?, into sink: inout some EventSink) {
        let handles = liveOrders { entry, details in
            details.timeInForce == .day && (symbol == nil || entry.symbol == symbol!.rawValue)
        }
        makeUnique()
        for handle in handles { endOrder(handle, status: .expired, reason: .endSession, into: &sink) }
    }

    // MARK: Helpers shared by the commands

    /// Before a command writes: if this engine was copied, its storage (which the
    /// copies share, see `Slab`) is copied first. One check per command.
    @inline(__always)
    mutating func makeUnique() {
        if isKnownUniquelyReferenced(&copyToken) { return }
        copyToken = CopyToken()
        orders.copyBuffers()
        orderIndex.copyBuffer()
        books.copyBuffers()
    }

    /// The handle of a live order of `account` in `symbol`, or nil.
    // Inlined: called as a non-mutating method from a command, it copied the whole engine.
    @inline(__always)
    func findOrder(_ orderID: OrderID, account: AccountID, symbol: SymbolID) -> UInt32? {
        guard let handle = orderIndex.find(orderID.rawValue, in: orders.queue),
            orders.queue[Int(handle)].account == account.rawValue,
            orders.queue[Int(handle)].symbol == symbol.rawValue
        else { return nil }
        return handle
    }

    /// Handles of the live orders that pass `filter`, in acceptance order.
    private func liveOrders(where filter: (OrderQueueEntry, OrderDetails) -> Bool) -> [UInt32] {
        var found: [UInt32] = []
        for i in orders.queue.indices where orders.queue[i].state != .free {
            if filter(orders.queue[i], orders.details[i]) { found.append(UInt32(i)) }
        }
        found.sort { orders.queue[Int($0)].id < orders.queue[Int($1)].id }
        return found
    }

    /// Ends a resting or waiting order outside of matching (cancel, expiry, mass cancel).
    private mutating func endOrder(
        _ handle: UInt32, status: OrderStatus, reason: OrderReason, into sink: inout some EventSink
    ) {
        let book = books.pointer(to: Int(orders.queue[Int(handle)].symbol))
        finish(handle, status: status, reason: reason, in: &book.pointee, into: &sink)
    }

    /// Takes an order out of wherever it is, answers its terminal `order` event
    /// (and the `book` event of the level it left), and frees it.
    @inline(__always)
    mutating func finish(
        _ handle: UInt32, status: OrderStatus, reason: OrderReason, in book: inout Book,
        into sink: inout some EventSink
    ) {
        let h = Int(handle)
        let entry = orders.queue[h]
        switch entry.state {
        case .resting:
            book.unlink(handle, side: entry.side, orders: &orders.queue)
        case .waitingStop:
            book.unlinkStop(handle, orders: &orders.queue)
        case .working, .free:
            break
        }
        orders.queue[h].leaves = 0
        sink.receive(orderEvent(handle, status: status, reason: reason))
        if entry.state == .resting {
            sink.receive(bookEvent(book, side: entry.side, level: orders.queue[h].level))
        }
        free(handle)
    }

    @inline(__always)
    mutating func free(_ handle: UInt32) {
        orderIndex.remove(orders.queue[Int(handle)].id, in: orders.queue)
        orders.release(handle)
    }

    /// The status of a live order from its quantities.
    @inline(__always)
    func currentStatus(_ handle: UInt32) -> OrderStatus {
        let order = orders.queue[Int(handle)]
        if order.filled == 0 { return .new }
        return order.leaves == 0 ? .filled : .partiallyFilled
    }

    @inline(__always)
    func orderEvent(_ handle: UInt32, status: OrderStatus, reason: OrderReason? = nil) -> Event {
        let order = orders.queue[Int(handle)]
        let details = orders.details[Int(handle)]
        return .order(
            OrderUpdate(
                orderID: OrderID(order.id), account: AccountID(order.account), clientTag: ClientTag(details.clientTag),
                symbol: SymbolID(order.symbol), status: status, filled: Quantity(lots: order.filled),
                leaves: Quantity(lots: order.leaves), filledNotional: details.filledNotional, reason: reason))
    }

    @inline(__always)
    func bookEvent(_ book: borrowing Book, side: Side, level: UInt32) -> Event {
        let level = book.level(side, level)
        return .book(
            BookUpdate(
                symbol: book.symbol, side: side, price: Price(ticks: level.price),
                quantity: level.shown, orders: Int(level.count)))
    }
}
