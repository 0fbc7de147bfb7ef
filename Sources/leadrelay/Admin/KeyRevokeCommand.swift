import ArgumentParser
import LeadJSON
import LeadRelayService

/// `leadrelay key revoke ID`: the key stops working now, for good.
struct KeyRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a key now (an affiliate's key_... or an employee's ekey_...).")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The key's id (key list shows it).")
    var id: String

    func run() async throws {
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            try await admin.revokeKey(id)
            options.emit(.object(["id": .string(id), "state": .string("revoked")]), text: "key \(id) revoked")
        }
    }
}
