extension Exchange {
    /// A `replace` (rule 10) of one of the account's orders, whose symbol exists.
    public mutating func replace(_ command: Replace, into sink: inout some EventSink) {
        guard let handle = findOrder(command.orderID, account: command.account, symbol: command.symbol) else {
            sink.receive(.rejected(.unknownOrder))
            return
        }
        makeUnique()
        let book = books.pointer(to: Int(command.symbol.rawValue))
        if let reason = replaceOrReject(handle, command, in: &book.pointee, into: &sink) {
            sink.receive(.rejected(reason))
        }
    }

    private mutating func replaceOrReject(
        _ handle: UInt32, _ command: Replace, in book: inout Book, into sink: inout some EventSink
    ) -> RejectReason? {
        let h = Int(handle)
        let details = orders.details[h]
        let order = orders.queue[h]
        let isResting = order.state == .resting
        let isWaitingStop = order.state == .waitingStop
        if book.halted { return .halted }
        if command.price != nil
            && !((isResting && order.type == .limit) || (isWaitingStop && order.type == .stopLimit))
        {
            return .malformed
        }
        if command.stopPrice != nil && !isWaitingStop { return .malformed }
        if let price = command.price, price <= 0 { return .offTick }
        if let stopPrice = command.stopPrice, stopPrice <= 0 { return .offTick }
        if let quantity = command.quantity, quantity <= 0 { return .offLot }
        if command.duplicateClientOrderID { return .duplicateClientOrderID }
        let protection = order.type == .stop ? command.protectionPrice : nil
        let price = command.price ?? protection ?? order.price
        let stopPrice = command.stopPrice ?? details.stopPrice
        let total = order.filled + order.leaves
        let newTotal = command.quantity ?? total
        if price == order.price && stopPrice == details.stopPrice && newTotal == total && command.newClientTag == nil {
            return .noChange
        }
        if let tag = command.newClientTag { orders.details[h].clientTag = tag.rawValue }
        if newTotal <= order.filled {
            finish(handle, status: .cancelled, reason: .replacedBelowFilled, in: &book, into: &sink)
            return nil
        }
        if newTotal < book.rules.minimumQuantity { return rollBack(.quantityBelowMinimum, handle, details) }
        if newTotal > book.rules.maximumQuantity { return rollBack(.quantityAboveMaximum, handle, details) }
        if order.type.hasLimitPrice && Int128(price) * Int128(newTotal) < book.rules.minimumNotional {
            return rollBack(.notionalBelowMinimum, handle, details)
        }
        let leaves = newTotal - order.filled
        if price == order.price && stopPrice == details.stopPrice && leaves <= order.leaves {
            keepPriority(handle, leaves: leaves, in: &book, into: &sink)
            return nil
        }
        if isResting && details.postOnly && book.wouldCross(side: order.side, price: price) {
            return rollBack(.wouldCross, handle, details)
        }
        orders.queue[h].leaves = leaves
        orders.queue[h].price = price
        orders.details[h].stopPrice = stopPrice
        orders.queue[h].state = .working
        if isResting {
            book.unlink(handle, side: order.side, orders: &orders.queue)
            sink.receive(orderEvent(handle, status: .replaced))
            sink.receive(bookEvent(book, side: order.side, level: order.level))
            process(handle, in: &book, into: &sink)
        } else {
            book.unlinkStop(handle, orders: &orders.queue)
            sink.receive(orderEvent(handle, status: .replaced))
            enterStopList(handle, in: &book, into: &sink)
        }
        return nil
    }

    /// Undoes the early rename of a replace that is then rejected.
    private mutating func rollBack(_ reason: RejectReason, _ handle: UInt32, _ details: OrderDetails) -> RejectReason {
        orders.details[Int(handle)].clientTag = details.clientTag
        return reason
    }

    /// A replace that keeps the order's place: its remaining quantity does not grow,
    /// and a kept iceberg shows at most its new remaining quantity.
    private mutating func keepPriority(
        _ handle: UInt32, leaves: Int64, in book: inout Book, into sink: inout some EventSink
    ) {
        let h = Int(handle)
        let entry = orders.queue[h]
        orders.queue[h].leaves = leaves
        var shownCut: Int64 = 0
        if entry.state == .resting {
            shownCut = max(0, orders.queue[h].shown - leaves)
            orders.queue[h].shown -= shownCut
            book.changeShown(entry.side, level: orders.queue[h].level, by: -shownCut)
        }
        sink.receive(orderEvent(handle, status: currentStatus(handle)))
        if shownCut > 0 {
            sink.receive(bookEvent(book, side: entry.side, level: orders.queue[h].level))
        }
    }
}
