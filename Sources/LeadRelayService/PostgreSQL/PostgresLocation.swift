import Foundation

/// Where the PostgreSQL store connects, read from a URL:
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE&schema=NAME`.
///
/// `sslmode` is `disable`, `prefer` (the default: TLS when the server offers it) or
/// `require`; `schema` (default `public`) is the schema the store's tables live in, created
/// when missing. Its `description` never shows the password.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Equatable { case disable, prefer, require }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var schema: String

    /// Reads `url`; a URL that does not read is `StoreError.unavailable` naming what is wrong
    /// (and never the password).
    public init(url: String) throws(StoreError) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw .unavailable("the PostgreSQL location must read postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let host = parts.host, !host.isEmpty else { throw .unavailable("the PostgreSQL location names no host") }
        guard let username = parts.user, !username.isEmpty else { throw .unavailable("the PostgreSQL location names no user") }
        self.host = host
        self.port = parts.port ?? 5432
        self.username = username.removingPercentEncoding ?? username
        self.password = parts.password.map { $0.removingPercentEncoding ?? $0 }
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        self.database = path.isEmpty ? self.username : path
        self.tls = .prefer
        self.schema = "public"
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw .unavailable("sslmode \(item.value ?? "") in the PostgreSQL location: use disable, prefer or require")
                }
                tls = mode
            case "schema":
                guard let name = item.value, Self.isPlainName(name) else {
                    throw .unavailable("schema in the PostgreSQL location: letters, digits and _ only, not starting with a digit")
                }
                schema = name
            default:
                throw .unavailable("unknown option \(item.name) in the PostgreSQL location (sslmode, schema)")
            }
        }
    }

    public var description: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)&schema=\(schema)"
    }

    /// A name that needs no quoting in SQL (and so cannot smuggle any).
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first), name.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        }
    }
}
