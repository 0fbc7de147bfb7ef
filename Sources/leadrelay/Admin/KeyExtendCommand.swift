import ArgumentParser
import IntegrationRuntime
import LeadJSON
import LeadRelayService

/// `leadrelay key extend ID --expires-in 90d`: the key works until that long from now.
struct KeyExtendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend", abstract: "Move a key's expiry (an affiliate's key_... or an employee's ekey_...).")

    @OptionGroup var options: StoreOptions

    @Argument(help: "The key's id (key list shows it).")
    var id: String

    @Option(help: "The key works this long from now: 90d, 12h, 30m.")
    var expiresIn: String

    func run() async throws {
        let seconds = try AdminExit.usage { () throws(AdminError) in try AdminInput.duration(expiresIn, field: "--expires-in") }
        let admin = try options.administration()
        try await options.perform { () async throws(AdminError) in
            try await admin.extendKey(id, validFor: seconds)
            let until = ISO8601.format(Int64(admin.now + seconds))
            options.emit(.object(["id": .string(id), "expires_at": .string(until)]), text: "key \(id) now expires \(until)")
        }
    }
}
