import GRDB

extension StoredRow: StoreColumns {
    func nullableText(_ column: String) throws(StoreError) -> String? { try optional(column, as: String.self) }
    func nullableNumber(_ column: String) throws(StoreError) -> Double? { try optional(column, as: Double.self) }
}
