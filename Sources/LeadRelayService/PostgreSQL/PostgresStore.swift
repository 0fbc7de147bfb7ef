import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The store on PostgreSQL, for several `leadrelay serve` processes on one database: a
/// connection pool (postgres-nio's `PostgresClient`), its own migrations (`PostgresSchema`,
/// applied under an advisory lock so processes starting together apply each once), and the
/// same store protocols and contract as `SQLiteStore`.
///
///     let store = try await PostgresStore(url: "postgres://leadrelay:pw@127.0.0.1:5432/leadrelay")
///     defer { store.close() }
///
/// Done so far: affiliates, employees and their keys (`AccessStore`, `EmployeeStore`),
/// offers and their routes (`OfferStore`), and inserting and reading leads (`insert`,
/// `lead(id:)`, `duplicate`: the first half of `LeadStore`, not yet declared).
public final class PostgresStore: AccessStore, EmployeeStore, OfferStore {
    let client: PostgresClient
    let location: PostgresLocation
    /// Seals secret parameters; nil: a route with secrets cannot be stored.
    let sealer: SecretSealer?
    private let running: Task<Void, Never>

    /// Connects to `url` (`PostgresLocation`), with at most `connections` connections, and
    /// brings the schema up to date; `unavailable` when the server cannot be reached or the
    /// migrations fail (the message names the location, never its password).
    public init(
        url: String, sealer: SecretSealer? = nil, connections: Int = 20, connectTimeout: Duration = .seconds(10),
        logger: Logger = Logger(label: "leadrelay.postgres")
    ) async throws(StoreError) {
        let location = try PostgresLocation(url: url)
        self.location = location
        self.sealer = sealer
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: Self.tls(location.tls))
        configuration.options.maximumConnections = connections
        configuration.options.connectTimeout = connectTimeout
        if location.schema != "public" {
            configuration.options.additionalStartupParameters = [("options", "-c search_path=\(location.schema)")]
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
        let migrator = PostgresMigrator(client: client, schema: location.schema)
        do {
            // The pool retries a refused connection without end: the first answer is awaited
            // for `connectTimeout` at most.
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await migrator.migrate()
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: connectTimeout)
                    return false
                }
                let migrated = try await group.next() ?? false
                group.cancelAll()
                if !migrated { throw StoreError.unavailable("no answer within \(connectTimeout)") }
            }
        } catch {
            running.cancel()
            let detail =
                switch error {
                case StoreError.unavailable(let detail): detail
                case let error as PSQLError: Self.describe(error)
                default: "\(error)"
                }
            throw .unavailable("PostgreSQL at \(location): \(detail)")
        }
    }

    deinit { running.cancel() }

    /// Closes the pool's connections (the store is unusable afterwards).
    public func close() { running.cancel() }

    /// The schema versions applied so far, oldest first.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await rows("SELECT name FROM leadrelay_migrations ORDER BY seq", table: "leadrelay_migrations").map {
            row throws(StoreError) in try row.text("name")
        }
    }

    private static func tls(_ mode: PostgresLocation.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require: return .require(.makeClientConfiguration())
        }
    }

    // MARK: Running statements

    /// The rows `query` returns, as `table`'s; a unique key taken by an insert of `what` is
    /// `exists(what)`.
    func rows(_ query: PostgresQuery, table: String, inserting what: String? = nil) async throws(StoreError) -> [PostgresColumns] {
        try await Self.mapping(inserting: what) {
            var rows: [PostgresColumns] = []
            for try await row in try await client.query(query) { rows.append(PostgresColumns(row, table: table)) }
            return rows
        }
    }

    /// The first row `query` returns, if any.
    func row(_ query: PostgresQuery, table: String, inserting what: String? = nil) async throws(StoreError) -> PostgresColumns? {
        try await rows(query, table: table, inserting: what).first
    }

    /// Runs `query` (a write ending `RETURNING ...` to count what it changed): the rows it returned.
    @discardableResult
    func execute(_ query: PostgresQuery, inserting what: String? = nil) async throws(StoreError) -> Int {
        try await Self.mapping(inserting: what) {
            var count = 0
            for try await _ in try await client.query(query) { count += 1 }
            return count
        }
    }

    /// Runs `work`, turning the driver's errors into `StoreError`s: a unique key taken by an
    /// insert of `what` is `exists(what)`, anything else `unavailable` with the server's text.
    static func mapping<T>(inserting what: String? = nil, _ work: () async throws -> T) async throws(StoreError) -> T {
        do { return try await work() } catch let error as StoreError { throw error } catch let error as PSQLError {
            if let what, error.serverInfo?[.sqlState] == "23505" { throw .exists(what) }
            throw .unavailable(Self.describe(error))
        } catch { throw .unavailable("\(error)") }
    }

    /// The server's message and code, or the driver's kind of failure (never a bound value).
    static func describe(_ error: PSQLError) -> String {
        if let info = error.serverInfo, let message = info[.message] {
            return "PostgreSQL: \(message) (\(info[.sqlState] ?? "no code"))"
        }
        return "PostgreSQL: \(error.code)"
    }
}
