import Foundation
import Host
import LeadJSON
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A `CredentialStore` in one local JSON file, for `leadrelay run`
/// (`--credentials FILE`, default `FileCredentialStore.defaultPath`):
/// `{"<integration>/<offer id>": {"<key>": "<value>"}}`. The file is created on the first
/// write, readable by its owner only (0600, its directory 0700 when created), and replaced
/// atomically (a new file beside it, flushed, then renamed over it), so a crash leaves the
/// old contents or the new, never half. Each operation reads the file afresh under an
/// exclusive lock on `<file>.lock`, so two `run`s sharing the file see each other's
/// rotations and compare-and-set holds between them. The values are stored in clear text,
/// as a CLI's token file is: keep the file out of version control.
public final class FileCredentialStore: CredentialStore {
    public let path: String
    /// Serializes this process's operations (the file lock serializes processes).
    private let gate = Mutex(())

    public init(path: String) { self.path = path }

    /// `$XDG_CONFIG_HOME/leadrelay/credentials.json`, else `~/.config/leadrelay/credentials.json`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let config =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        return config + "/leadrelay/credentials.json"
    }

    public func credential(_ key: String, in scope: String) throws(CredentialStoreError) -> String? {
        try locked { () throws(CredentialStoreError) -> String? in try load().value(key, in: scope) }
    }

    public func setCredential(_ key: String, to value: String?, in scope: String, ifCurrent expected: CredentialExpectation)
        throws(CredentialStoreError) -> Bool
    {
        try locked { () throws(CredentialStoreError) -> Bool in
            var table = try load()
            let before = table
            guard try table.set(key, to: value, in: scope, ifCurrent: expected) else { return false }
            if table != before { try save(table) }
            return true
        }
    }

    /// Everything `scope` holds in the file now.
    public func values(in scope: String) throws(CredentialStoreError) -> [String: String] {
        try locked { () throws(CredentialStoreError) -> [String: String] in try load().scopes[scope] ?? [:] }
    }

    // MARK: The file

    private func fail(_ what: String) -> CredentialStoreError {
        CredentialStoreError("\(path): \(what)")
    }

    /// Runs `body` holding this process's gate and the exclusive lock on `<path>.lock`.
    private func locked<T>(_ body: () throws(CredentialStoreError) -> T) throws(CredentialStoreError) -> T {
        try gate.withLock { _ throws(CredentialStoreError) -> T in
            try makeDirectory()
            let fd = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw fail("cannot open the lock file: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            guard flock(fd, LOCK_EX) == 0 else { throw fail("cannot lock the file: \(String(cString: strerror(errno)))") }
            defer { flock(fd, LOCK_UN) }
            return try body()
        }
    }

    /// Creates the file's directory (0700) when it is missing.
    private func makeDirectory() throws(CredentialStoreError) {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw fail("cannot create its directory: \(error.localizedDescription)")
        }
    }

    /// The file's table; empty when there is no file yet.
    private func load() throws(CredentialStoreError) -> CredentialTable {
        guard FileManager.default.fileExists(atPath: path) else { return CredentialTable() }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read the file") }
        let root: JSONValue
        do { root = try JSONValue.parse(Array(data)) } catch { throw fail("not valid JSON: \(error)") }
        guard let scopes = root.objectValue else { throw fail("expected an object of scopes (\"<integration>/<offer>\": {...})") }
        var table: [String: [String: String]] = [:]
        for (scope, entries) in scopes {
            guard let entries = entries.objectValue else { throw fail("\"\(scope)\" must be an object of strings") }
            for (key, value) in entries {
                guard let text = value.stringValue else { throw fail("\"\(scope)\".\"\(key)\" must be a string") }
                table[scope, default: [:]][key] = text
            }
        }
        return CredentialTable(table)
    }

    /// Writes `table` to a new 0600 file beside `path`, flushes it and renames it over `path`.
    private func save(_ table: CredentialTable) throws(CredentialStoreError) {
        let json = JSONValue.object(table.scopes.mapValues { .object($0.mapValues { .string($0) }) })
        let bytes = Array((json.encoded() + "\n").utf8)
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw fail("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                close(fd)
                unlink(temporary)
                throw fail("cannot write \(temporary): \(String(cString: strerror(errno)))")
            }
            written += n
        }
        // O_CREAT's mode is cut by the umask; the file is the owner's alone whatever it is.
        let synced = fchmod(fd, 0o600) == 0 && fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw fail("cannot replace the file: \(reason)")
        }
    }
}
