import Foundation

/// A new folder under the system's temporary directory for one test's files (the SQLite
/// file, the secrets key), removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String) throws {
        path = NSTemporaryDirectory() + "leadrelay-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
