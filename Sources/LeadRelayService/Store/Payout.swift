import Foundation

/// What an affiliate earns for a lead of an offer (issue 12, point 9): a fixed amount in one
/// currency, paid per lead the buyer accepted (`accepted`: the delivery ended `accepted`) or
/// per lead the buyer approved (`approved`: the lead's current stage is `approve`, which a
/// later `cancel` or `trash` takes back). Amounts are exact decimals (`Decimal`), stored
/// as text, never as binary floating point.
///
///     let payout = try Payout.parse(amount: "25", currency: "eur", basis: "accepted")
public struct Payout: Sendable, Equatable {
    /// When a lead earns the payout.
    public enum Basis: String, Sendable, CaseIterable {
        /// Per lead the buyer accepted on delivery.
        case accepted
        /// Per lead whose current stage is `approve`.
        case approved
    }

    public var amount: Decimal
    /// ISO 4217 code, upper case (`EUR`).
    public var currency: String
    public var basis: Basis

    public init(amount: Decimal, currency: String, basis: Basis) {
        self.amount = amount
        self.currency = currency
        self.basis = basis
    }

    /// The amount as text with a dot and no exponent (`25`, `12.5`): how it is stored and shown.
    public var amountText: String { Money.text(amount) }

    /// Reads what ops typed; every refusal names the field and what it takes.
    public static func parse(amount: String, currency: String, basis: String) throws(PayoutError) -> Payout {
        guard let value = Money.decimal(amount), value >= 0 else {
            throw .amount("\"\(amount)\" is not an amount of 0 or more with at most 6 decimals, such as 25 or 12.50")
        }
        let code = currency.uppercased()
        guard code.count == 3, code.unicodeScalars.allSatisfy({ $0.value >= 65 && $0.value <= 90 }) else {
            throw .currency("\"\(currency)\" is not a three-letter ISO 4217 code such as EUR or USD")
        }
        guard let on = Basis(rawValue: basis.lowercased()) else {
            throw .basis("\"\(basis)\" is accepted (per lead the buyer accepted) or approved (per lead at stage approve)")
        }
        return Payout(amount: value, currency: code, basis: on)
    }
}

/// Why a payout does not read, by the part at fault.
public enum PayoutError: Error, Sendable, Equatable {
    case amount(String)
    case currency(String)
    case basis(String)

    /// What is wrong.
    public var detail: String {
        switch self {
        case .amount(let detail), .currency(let detail), .basis(let detail): return detail
        }
    }
}

/// Exact decimal amounts as the reports add them up and show them.
public enum Money {
    /// A plain decimal (`25`, `12.50`, `0.000001`): digits, one optional dot, at most 6
    /// decimals, at most 12 digits before the dot; nil for anything else (`1e3`, `NaN`, `1,5`).
    public static func decimal(_ text: String) -> Decimal? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = { (part: Substring) in part.unicodeScalars.allSatisfy { $0.value >= 48 && $0.value <= 57 } }
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 12, digits(whole) else { return nil }
        if parts.count == 2 { guard !parts[1].isEmpty, parts[1].count <= 6, digits(parts[1]) else { return nil } }
        return Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// A stored floating-point amount (a network's status update) as the decimal it was
    /// written as: its shortest round-tripping text, so 0.1 stays 0.1.
    public static func decimal(_ value: Double) -> Decimal {
        Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(value)
    }

    /// The amount as text with a dot, no exponent, no grouping.
    public static func text(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 6, .plain)
        return NSDecimalNumber(decimal: rounded).description(withLocale: Locale(identifier: "en_US_POSIX"))
    }
}
