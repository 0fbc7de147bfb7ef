/// The PostgreSQL schema, one migration per version, each a list of statements run in one
/// transaction; a version once shipped is never edited, only followed by a new one. The
/// tables and columns are SQLite's (`SQLiteStore.migrator`) with PostgreSQL's types: times
/// are `double precision` seconds since 1970, JSON is kept as text, so both stores read
/// their rows back through the same `StoreColumns` code.
enum PostgresSchema {
    struct Migration: Sendable {
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            name: "v1-access",
            statements: [
                // `offers`: granted to affiliates; the rest of the offer store follows.
                """
                CREATE TABLE offers (
                    id text PRIMARY KEY,
                    name text NOT NULL,
                    fall_through text NOT NULL,
                    duplicate_window double precision,
                    payout_amount text,
                    payout_currency text,
                    payout_on text,
                    registration_wait double precision NOT NULL DEFAULT 0
                )
                """,
                // `offers`: a JSON array of offer ids; `postback_url`: the template, NULL: none.
                """
                CREATE TABLE affiliates (
                    id text PRIMARY KEY,
                    name text NOT NULL,
                    offers text NOT NULL,
                    postback_url text
                )
                """,
                // `digest`: the hex SHA-256 of the key's token; the token itself is never stored.
                """
                CREATE TABLE api_keys (
                    id text PRIMARY KEY,
                    affiliate_id text NOT NULL REFERENCES affiliates (id),
                    digest text NOT NULL UNIQUE,
                    permissions text NOT NULL,
                    allowlist text NOT NULL,
                    expires_at double precision NOT NULL,
                    revoked_at double precision,
                    rate text
                )
                """,
                """
                CREATE TABLE employees (
                    id text PRIMARY KEY,
                    name text NOT NULL,
                    role text NOT NULL
                )
                """,
                """
                CREATE TABLE employee_keys (
                    id text PRIMARY KEY,
                    employee_id text NOT NULL REFERENCES employees (id),
                    digest text NOT NULL UNIQUE,
                    allowlist text NOT NULL,
                    expires_at double precision NOT NULL,
                    revoked_at double precision
                )
                """,
            ]),
        offersRoutesLeads,
    ]
}
