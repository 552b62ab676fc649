/// A command of the risk layer (`docs/risk.md`): accounts, balances, limits, fees,
/// kill switches, venue halts and reports.
///
/// Like the contract's commands it keeps the client's text: `fields` holds each field
/// the command knows that the line carried, as text (a JSON string as is, an integer
/// in decimal, a boolean as `true`/`false`), already checked against its JSON type.
/// Values are checked when the command is applied.
public struct RiskCommand: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case deposit
        case withdraw
        case setAccount = "set_account"
        case setLimits = "set_limits"
        case setInstrumentRisk = "set_instrument_risk"
        case setFees = "set_fees"
        case kill
        case unkill
        case haltVenue = "halt_venue"
        case resumeVenue = "resume_venue"
        case accountReport = "account_report"
        case settle
    }

    /// The JSON type of a field.
    public enum FieldType: Sendable {
        case string
        case integer
        case boolean
    }

    public struct Field: Sendable {
        public var name: String
        public var type: FieldType
        public var required: Bool
    }

    public var kind: Kind
    public var fields: [String: String]

    public init(_ kind: Kind, _ fields: [String: String] = [:]) {
        self.kind = kind
        self.fields = fields
    }

    public subscript(name: String) -> String? { fields[name] }

    /// The limits `set_limits` sets, by field name.
    public static let limitFields = [
        "max_order_qty", "max_order_notional", "max_position", "max_open_orders", "max_daily_loss", "max_order_rate",
    ]

    /// The fields each kind reads.
    public static func fields(of kind: Kind) -> [Field] {
        func string(_ name: String, required: Bool = false) -> Field {
            Field(name: name, type: .string, required: required)
        }
        func integer(_ name: String, required: Bool = false) -> Field {
            Field(name: name, type: .integer, required: required)
        }
        switch kind {
        case .deposit, .withdraw:
            return [
                string("account", required: true), string("asset", required: true), string("amount", required: true),
            ]
        case .setAccount:
            return [
                string("account", required: true), string("mode"), integer("tier"),
                Field(name: "enabled", type: .boolean, required: false),
            ]
        case .setLimits:
            return [string("account", required: true), string("symbol")] + limitFields.map { string($0) }
        case .setInstrumentRisk:
            return [
                string("symbol", required: true), string("price_band_pct"), string("market_protection_pct"),
                string("breaker_pct"), integer("breaker_window_ms"), integer("breaker_halt_ms"),
            ]
        case .setFees:
            return [
                string("symbol", required: true), integer("tier"), integer("maker_bps", required: true),
                integer("taker_bps", required: true),
            ]
        case .kill, .unkill:
            return [string("account")]
        case .haltVenue, .resumeVenue, .settle:
            return []
        case .accountReport:
            return [string("account", required: true)]
        }
    }
}
