import Logging
import PostgresNIO

/// One connection of the pool inside `BEGIN` ... `COMMIT` (`PostgresStore.transaction`):
/// its statements see each other's writes, and nothing is written unless all succeed.
struct PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger

    /// The rows `query` returns, as `table`'s.
    func rows(_ query: PostgresQuery, table: String) async throws -> [PostgresColumns] {
        var rows: [PostgresColumns] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(PostgresColumns(row, table: table)) }
        return rows
    }

    /// The first row `query` returns, if any.
    func row(_ query: PostgresQuery, table: String) async throws -> PostgresColumns? {
        try await rows(query, table: table).first
    }
}

extension PostgresStore {
    /// Runs `work` in one transaction on one connection: committed when it returns, rolled
    /// back when it throws. The driver's errors become `StoreError`s as in `rows`.
    func transaction<T>(_ work: (PostgresTransaction) async throws -> T) async throws(StoreError) -> T {
        try await Self.mapping {
            try await client.withConnection { connection in
                let transaction = PostgresTransaction(connection: connection, logger: Self.transactionLogger)
                try await connection.query("BEGIN", logger: Self.transactionLogger)
                do {
                    let result = try await work(transaction)
                    try await connection.query("COMMIT", logger: Self.transactionLogger)
                    return result
                } catch {
                    // A rollback that fails leaves the connection broken: the pool drops it.
                    _ = try? await connection.query("ROLLBACK", logger: Self.transactionLogger)
                    throw error
                }
            }
        }
    }

    /// The transactions' statements are not logged (their values may be a lead's fields).
    static let transactionLogger: Logger = {
        var logger = Logger(label: "leadrelay.postgres.transaction")
        logger.logLevel = .critical
        return logger
    }()
}
