/// Why an administration operation (CLI `leadrelay offer|route|affiliate|key|employee`,
/// the admin API) was refused, with what to do. The CLI exits 1 with the description; the
/// admin API answers `status`.
public enum AdminError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The thing named does not exist ("no offer 9"): 404.
    case notFound(String)
    /// The thing would replace one that exists ("offer 7 exists already"): 409.
    case exists(String)
    /// A value ops gave is not usable: which one and why (422).
    case invalid(field: String, detail: String)
    /// The route does not fit its integration (422, naming each parameter).
    case route(RouteSetupError)
    /// The store failed (503).
    case store(StoreError)

    public var status: Int {
        switch self {
        case .notFound: return 404
        case .exists: return 409
        case .invalid, .route: return 422
        case .store: return 503
        }
    }

    public var description: String {
        switch self {
        case .notFound(let detail), .exists(let detail): return detail
        case .invalid(let field, let detail): return "\(field): \(detail)"
        case .route(let error): return error.description
        case .store(let error): return error.description
        }
    }
}
