import Host
import LeadJSON

/// Reads what `prepare` or `parse_status` returned into an `Outcome` or status updates,
/// checking its shape (contract, section 3). Raw access only.
struct ResultReader {
    let s: LuaState

    struct ShapeError: Error, CustomStringConvertible {
        let description: String
    }

    /// True when the table at `index` has an `outcome` field.
    func isOutcome(at index: Int32) -> Bool {
        guard s.isTable(index) else { return false }
        defer { s.pop() }
        return s.rawField(index, "outcome") != .nil
    }

    func outcome(at index: Int32) throws(ShapeError) -> Outcome {
        let t = s.absolute(index)
        guard s.isTable(t) else { throw ShapeError(description: "expected an outcome table, got \(s.typeName(at: t))") }
        guard let word = try string(t, "outcome"), let kind = Outcome.Kind(rawValue: word), kind != .error else {
            throw ShapeError(description: "outcome must be \"accepted\", \"rejected\" or \"retry\"")
        }
        var outcome = Outcome(kind)
        if let r = try string(t, "reason") {
            guard let reason = Outcome.Reason(rawValue: r) else {
                throw ShapeError(
                    description: "unknown reason \"\(r)\" (known: \(Outcome.Reason.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            outcome.reason = reason
        }
        outcome.message = try string(t, "message")
        outcome.externalID = try string(t, "external_id")
        outcome.redirectURL = try string(t, "redirect_url")
        if s.rawField(t, "retry_after") != .nil {
            guard let v = s.number(at: -1), v >= 0, v.isFinite else {
                s.pop()
                throw ShapeError(description: "retry_after must be a finite number of seconds, 0 or more")
            }
            outcome.retryAfter = v
        }
        s.pop()
        if s.rawField(t, "extra") != .nil {
            do { outcome.extra = try s.jsonValue(at: -1) } catch {
                s.pop()
                throw ShapeError(description: "extra: \(error)")
            }
        }
        s.pop()
        return outcome
    }

    /// `{ updates = {...} }`, or an empty table meaning no updates.
    func updates(at index: Int32) throws(ShapeError) -> [StatusUpdate] {
        let t = s.absolute(index)
        guard s.isTable(t) else {
            throw ShapeError(description: "expected { updates = { ... } } or an outcome, got \(s.typeName(at: t))")
        }
        if s.rawField(t, "updates") == .nil {
            s.pop()
            s.pushNil()
            if s.next(t) {
                s.pop(2)
                throw ShapeError(description: "expected { updates = { ... } } or an outcome")
            }
            return []
        }
        defer { s.pop() }
        guard s.isTable(-1) else { throw ShapeError(description: "updates must be a list of tables") }
        let list = s.absolute(-1)
        let n = s.rawLength(list)
        var result: [StatusUpdate] = []
        result.reserveCapacity(n)
        for i in 0..<n {
            s.rawElement(list, i + 1)
            defer { s.pop() }
            result.append(try update(at: -1, position: i + 1))
        }
        return result
    }

    private func update(at index: Int32, position: Int) throws(ShapeError) -> StatusUpdate {
        let where_ = "updates[\(position)]"
        let fields: [String: JSONValue]
        do {
            guard case .object(let o) = try s.jsonValue(at: index) else {
                throw ShapeError(description: "\(where_) must be a table with external_id (or lead_id) and stage")
            }
            fields = o
        } catch let e as ShapeError {
            throw e
        } catch {
            throw ShapeError(description: "\(where_): \(error)")
        }
        let externalID = try identifier(fields, "external_id", at: where_)
        let leadID = try identifier(fields, "lead_id", at: where_)
        guard externalID != nil || leadID != nil else {
            throw ShapeError(description: "\(where_) must name its lead: external_id (the network's id) or lead_id (LeadRelay's id)")
        }
        guard let stageWord = fields["stage"]?.stringValue, let stage = StatusUpdate.Stage(rawValue: stageWord) else {
            throw ShapeError(
                description: "\(where_).stage must be one of \(StatusUpdate.Stage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var normalized = fields
        if let externalID { normalized["external_id"] = .string(externalID) }
        if let leadID { normalized["lead_id"] = .string(leadID) }
        return StatusUpdate(
            externalID: externalID, leadID: leadID, stage: stage, status: fields["status"]?.stringValue,
            comment: fields["comment"]?.stringValue, amount: fields["amount"]?.doubleValue,
            currency: fields["currency"]?.stringValue, at: fields["at"]?.stringValue, fields: normalized)
    }

    /// An update's `external_id` or `lead_id`: a string or an integer (as text), or nil when absent.
    private func identifier(_ fields: [String: JSONValue], _ key: String, at where_: String) throws(ShapeError) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let v)?: return v
        case .integer(let v)?: return String(v)
        default: throw ShapeError(description: "\(where_).\(key) must be a string or an integer")
        }
    }

    private func string(_ t: Int32, _ key: String) throws(ShapeError) -> String? {
        s.rawField(t, key)
        defer { s.pop() }
        if s.isNil(-1) { return nil }
        guard let v = s.stringOrNumber(at: -1) else {
            throw ShapeError(description: "\(key) must be a string, got \(s.typeName(at: -1))")
        }
        return v
    }
}
