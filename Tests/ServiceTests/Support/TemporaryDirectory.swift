import Foundation

@testable import LeadRelayService

/// A new folder under the system's temporary directory for one test's files (the SQLite
/// file, the secrets key), removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String) throws {
        path = NSTemporaryDirectory() + "leadrelay-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The store file of this folder.
    var storePath: String { path + "/leadrelay.sqlite" }

    /// The store of this folder, sealing secrets with the key file of this folder (created
    /// on first use).
    func sealedStore() throws -> SQLiteStore {
        try SQLiteStore(path: storePath, sealer: SecretSealer(key: try SecretKey.load(environment: [:], file: path + "/leadrelay.key")))
    }
}
