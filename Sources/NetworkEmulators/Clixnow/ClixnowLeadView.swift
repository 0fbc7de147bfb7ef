import LeadJSON

/// A stored lead as Clixnow's search answers it (the documented response model).
struct ClixnowLeadView {
    let lead: EmulatedLead
    let now: Double
    var number: Int { Int(lead.id) ?? 0 }

    /// The brand CRM's id of lead `number`: seed 003's model has "crmId | integer".
    static func crmID(_ number: Int) -> Int64 { Int64(900_000 + number) }

    var status: String { Self.statusWord(lead.state(at: now)) }

    static func statusWord(_ state: LeadState) -> String {
        switch state {
        case .new: "New"
        case .noAnswer: "No Answer"
        case .deposited: "Deposited"
        case .rejected: "Not Interested"
        }
    }

    var updatedOn: Double { lead.stateSince(at: now) }

    func date(_ name: String) -> Double? {
        switch name {
        case "createdOn": lead.createdAt
        case "modifiedOn": updatedOn
        default: lead.depositedAt(now)
        }
    }

    func sortKey(_ orderBy: String) -> Double {
        switch orderBy {
        case "CreatedOn": lead.createdAt
        case "ModifiedOn": updatedOn
        case "FtdDate": lead.depositedAt(now) ?? .infinity
        default: Double(number)
        }
    }

    var json: JSONValue {
        var row: [String: JSONValue] = [
            "id": .integer(Int64(number)),
            "email": .string(lead.email),
            "status": .string(status),
            "crmId": .integer(Self.crmID(number)),
            "brandId": .integer(1),
            "brandName": .string("Sandbox Brand"),
            "createdOn": .string(EmulatorFormat.isoMillis(lead.createdAt)),
            "updatedOn": .string(EmulatorFormat.isoMillis(updatedOn)),
        ]
        if let ftd = lead.depositedAt(now) {
            row["ftdDate"] = .string(EmulatorFormat.isoMillis(ftd))
            row["clientType"] = .string("Client")
        } else {
            row["clientType"] = .string("Depositor")
        }
        for key in ["clickId", "sub2", "subCampaign", "keyword", "placement"] {
            if let value = lead.fields[key] { row[key] = .string(value) }
        }
        return .object(row)
    }
}
