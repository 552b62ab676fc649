/// Everything about a live order that decides what happens to it next.
public struct OrderImage: Sendable, Equatable {
    public var orderID: OrderID
    public var account: AccountID
    public var clientTag: ClientTag
    public var side: Side
    /// The order's type now: a triggered stop is `market`, a triggered stop limit `limit`.
    public var type: OrderType
    public var selfTradePrevention: SelfTradePrevention
    public var timeInForce: TimeInForce
    public var postOnly: Bool
    /// The limit price in ticks; for market and stop orders the protection price, which
    /// caps what a buy pays (0: none; see `NewOrder.price`).
    public var price: Int64
    /// The stop price in ticks (0 for orders that never were stops).
    public var stopPrice: Int64
    public var leaves: Int64
    /// Displayed remaining quantity: `leaves`, or what is left of an iceberg's slice.
    public var shown: Int64
    public var filled: Int64
    /// Sum of price x quantity of the order's trades, in ticks x lots.
    public var filledNotional: Int128
    /// Slice size of an iceberg; 0 for an order that shows everything.
    public var displayQuantity: Int64
    /// The expiry time of a GTD order (0 for other orders).
    public var expireAt: Milliseconds

    public init(
        orderID: OrderID, account: AccountID, clientTag: ClientTag, side: Side, type: OrderType,
        selfTradePrevention: SelfTradePrevention, timeInForce: TimeInForce, postOnly: Bool, price: Int64,
        stopPrice: Int64, leaves: Int64, shown: Int64, filled: Int64, filledNotional: Int128, displayQuantity: Int64,
        expireAt: Milliseconds
    ) {
        self.orderID = orderID
        self.account = account
        self.clientTag = clientTag
        self.side = side
        self.type = type
        self.selfTradePrevention = selfTradePrevention
        self.timeInForce = timeInForce
        self.postOnly = postOnly
        self.price = price
        self.stopPrice = stopPrice
        self.leaves = leaves
        self.shown = shown
        self.filled = filled
        self.filledNotional = filledNotional
        self.displayQuantity = displayQuantity
        self.expireAt = expireAt
    }
}

/// One instrument's book as it stands between commands.
public struct BookImage: Sendable, Equatable {
    public var rules: InstrumentRules
    public var halted: Bool
    public var lastTradePrice: Int64?
    /// Resting buy orders, best price first, in priority order within a price.
    public var bids: [OrderImage]
    /// Resting sell orders, best price first, in priority order within a price.
    public var asks: [OrderImage]
    /// Untriggered stops in stop-list order.
    public var stops: [OrderImage]

    public init(
        rules: InstrumentRules, halted: Bool, lastTradePrice: Int64?, bids: [OrderImage], asks: [OrderImage],
        stops: [OrderImage]
    ) {
        self.rules = rules
        self.halted = halted
        self.lastTradePrice = lastTradePrice
        self.bids = bids
        self.asks = asks
        self.stops = stops
    }
}

/// The whole state of an engine between commands, in a form that does not depend on
/// how its storage happens to be laid out: two engines with equal images answer every
/// later command with the same events.
public struct ExchangeImage: Sendable, Equatable {
    public var now: Milliseconds
    public var nextOrderID: UInt64
    public var nextTradeID: UInt64
    /// Books by symbol id.
    public var books: [BookImage]

    public init(now: Milliseconds, nextOrderID: UInt64, nextTradeID: UInt64, books: [BookImage]) {
        self.now = now
        self.nextOrderID = nextOrderID
        self.nextTradeID = nextTradeID
        self.books = books
    }
}

extension Exchange {
    /// The engine's state between commands (see `ExchangeImage`).
    public var image: ExchangeImage {
        var books: [BookImage] = []
        books.reserveCapacity(self.books.count)
        for symbol in 0..<self.books.count {
            let book = self.books[symbol]
            func orders(of side: BookSide) -> [OrderImage] {
                var images: [OrderImage] = []
                for level in side.levelsBestFirst() { appendQueue(from: level.head, to: &images) }
                return images
            }
            var stops: [OrderImage] = []
            appendQueue(from: book.stopHead, to: &stops)
            books.append(
                BookImage(
                    rules: book.rules, halted: book.halted, lastTradePrice: book.lastTradePrice,
                    bids: orders(of: book.bids), asks: orders(of: book.asks), stops: stops))
        }
        return ExchangeImage(now: now, nextOrderID: nextOrderID, nextTradeID: nextTradeID, books: books)
    }

    private func appendQueue(from head: UInt32, to images: inout [OrderImage]) {
        var cursor = head
        while cursor != noHandle {
            let entry = orders.queue[Int(cursor)]
            let details = orders.details[Int(cursor)]
            images.append(
                OrderImage(
                    orderID: OrderID(entry.id), account: AccountID(entry.account),
                    clientTag: ClientTag(details.clientTag), side: entry.side, type: entry.type,
                    selfTradePrevention: entry.selfTradePrevention, timeInForce: details.timeInForce,
                    postOnly: details.postOnly, price: entry.price, stopPrice: details.stopPrice, leaves: entry.leaves,
                    shown: entry.shown, filled: entry.filled, filledNotional: details.filledNotional,
                    displayQuantity: details.displayQuantity, expireAt: details.expireAt))
            cursor = entry.next
        }
    }

    /// Why an image cannot be an engine's state.
    public struct ImageError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// An engine in the state `image` describes. Throws when the image breaks an
    /// invariant that an engine keeps (so a damaged snapshot cannot build a broken book).
    public init(image: ExchangeImage) throws(ImageError) {
        self.init()
        now = image.now
        nextOrderID = image.nextOrderID
        nextTradeID = image.nextTradeID
        var gtd: [(expireAt: Int64, orderID: UInt64)] = []
        for (index, bookImage) in image.books.enumerated() {
            let symbol = addInstrument(bookImage.rules)
            let book = books.pointer(to: index)
            book.pointee.halted = bookImage.halted
            book.pointee.lastTradePrice = bookImage.lastTradePrice
            for (side, images) in [(Side.buy, bookImage.bids), (Side.sell, bookImage.asks)] {
                var previousPrice: Int64?
                for order in images {
                    guard order.side == side, order.type == .limit, order.price > 0,
                        order.shown > 0, order.shown <= order.leaves,
                        order.displayQuantity == 0 ? order.shown == order.leaves : order.shown <= order.displayQuantity
                    else { throw ImageError(description: "resting order \(order.orderID.rawValue) is not valid") }
                    if let previous = previousPrice, !side.isAtLeastAsGood(previous, as: order.price) {
                        throw ImageError(description: "resting orders of symbol \(index) are not best price first")
                    }
                    previousPrice = order.price
                    let handle = try store(order, symbol: symbol, state: .resting, gtd: &gtd)
                    let level = book.pointee.levelHandle(side, at: order.price)
                    book.pointee.append(handle, side: side, level: level, orders: &orders.queue)
                }
            }
            for order in bookImage.stops {
                guard order.type.isStop, order.stopPrice > 0,
                    bookImage.halted || !book.pointee.stopCondition(side: order.side, stopPrice: order.stopPrice)
                else { throw ImageError(description: "stop \(order.orderID.rawValue) is not valid") }
                let handle = try store(order, symbol: symbol, state: .waitingStop, gtd: &gtd)
                book.pointee.appendStop(handle, orders: &orders.queue)
            }
            if let bid = book.pointee.bestPrice(.buy), let ask = book.pointee.bestPrice(.sell), bid >= ask {
                throw ImageError(description: "the book of symbol \(index) is crossed")
            }
        }
        // Orders due at the same time expire in order of acceptance, whatever the heap's shape.
        for entry in gtd.sorted(by: { $0.orderID < $1.orderID }) {
            expiries.push(expireAt: entry.expireAt, orderID: entry.orderID)
        }
    }

    /// Stores one order of an image in the slab and the id index.
    private mutating func store(
        _ order: OrderImage, symbol: SymbolID, state: OrderState, gtd: inout [(expireAt: Int64, orderID: UInt64)]
    ) throws(ImageError) -> UInt32 {
        let id = order.orderID.rawValue
        guard id > 0, id < nextOrderID, order.leaves > 0, order.filled >= 0,
            orderIndex.find(id, in: orders.queue) == nil
        else { throw ImageError(description: "order \(id) is not valid or appears twice") }
        let handle = orders.allocate()
        orders.queue[Int(handle)] = OrderQueueEntry(
            id: id, leaves: order.leaves, shown: state == .resting ? order.shown : 0, filled: order.filled,
            next: noHandle, prev: noHandle, account: order.account.rawValue, level: 0, symbol: symbol.rawValue,
            side: order.side, state: state, type: order.type, selfTradePrevention: order.selfTradePrevention,
            price: order.price)
        orders.details[Int(handle)] = OrderDetails(
            filledNotional: order.filledNotional, stopPrice: order.stopPrice, displayQuantity: order.displayQuantity,
            expireAt: order.expireAt, clientTag: order.clientTag.rawValue, timeInForce: order.timeInForce,
            postOnly: order.postOnly)
        orderIndex.insert(handle, in: orders.queue)
        if order.timeInForce == .goodTillDate { gtd.append((order.expireAt, id)) }
        return handle
    }
}
