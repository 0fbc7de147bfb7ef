import LeadJSON

/// IREV goal types the sandbox knows: every lead reaches "Pushed Lead" when pushed, "FTD"
/// when it deposits. Seed 004, Get goal types: `{"uuid": "78c6ff24-...", "name": "Pushed
/// Lead"}, {"uuid": "9890dd68-...", "name": "FTD"}` (its Get leads example names a goal
/// "Lead", with another goalTypeUuid: the sandbox keeps the goal-types names).
enum IREVGoal: CaseIterable {
    case lead, ftd

    static let advertiserUUID = "5a0d5b1e-0000-4000-8000-00000000a001"

    var uuid: String {
        switch self {
        case .lead: "78c6ff24-4373-4164-af9f-7e0207fec1d6"
        case .ftd: "9890dd68-6776-46d5-a845-603d7c8f8fbe"
        }
    }

    var name: String {
        switch self {
        case .lead: "Pushed Lead"
        case .ftd: "FTD"
        }
    }

    /// The lead field that holds the UUID of the lead's conversion to this goal (sandbox
    /// bookkeeping, never listed).
    var conversionField: String { IREVRow.internalPrefix + "conversion-" + (self == .lead ? "lead" : "ftd") }
}

/// One row of "Get leads": a lead under one goal type, a conversion. Seed 004: "uuid
/// conversion UUID in Lead Distribution": each row has its own, neither the lead_uuid of
/// the push nor the uuid of the lead's other rows.
struct IREVRow {
    /// Prefix of the lead fields the sandbox keeps for itself.
    static let internalPrefix = "sandbox."

    let lead: EmulatedLead
    let goal: IREVGoal
    let at: Double
    var isTest: Bool { lead.fields["is_test"] == "true" }

    var json: JSONValue {
        var row: [String: JSONValue] = [:]
        for (key, value) in lead.fields
        where key != "is_test" && key != "externalId" && !key.hasPrefix(Self.internalPrefix) {
            row[key] = .string(value)
        }
        row["uuid"] = .string(lead.fields[goal.conversionField] ?? lead.id)
        row["goalTypeUuid"] = .string(goal.uuid)
        row["goalType"] = .string(goal.name)
        row["country"] = lead.fields["country_code"].map { .string($0.uppercased()) } ?? .null
        row["countryLanguage"] = lead.fields["lead_language"].map(JSONValue.string) ?? .null
        row["advertiserUuid"] = .string(IREVGoal.advertiserUUID)
        row["advertiserName"] = "Sandbox Advertiser"
        row["externalId"] = lead.fields["externalId"].map(JSONValue.string) ?? .null
        row["isTest"] = .bool(isTest)
        row["createdAt"] = .string(EmulatorFormat.isoMillis(at))
        return .object(row)
    }
}

enum IREVRows {
    /// The rows a lead shows at `now`: "Lead" from its push, "FTD" once it deposited.
    static func rows(of lead: EmulatedLead, now: Double) -> [IREVRow] {
        var rows = [IREVRow(lead: lead, goal: .lead, at: lead.createdAt)]
        if let ftd = lead.depositedAt(now) { rows.append(IREVRow(lead: lead, goal: .ftd, at: ftd)) }
        return rows
    }
}
