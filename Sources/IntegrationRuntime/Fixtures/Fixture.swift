import Host
import LeadJSON

/// One recorded case of `Tests/ScriptFixtures/<integration>/<case>.json` (contract, section 6).
public struct Fixture: Sendable {
    /// The file, as given to the loader.
    public var file: String
    public var integration: String
    public var description: String
    public var action: Action
    public var params: [String: JSONValue]
    /// What the case's call is about (from `lead`, `check`/`leads`/`from`/`to` or `inbound`).
    public var subject: CallSubject
    public var exchanges: [FixtureExchange]
    /// The fields the result must have.
    public var expect: [String: JSONValue]
    public var now: Int64
    public var attempt: Int
    public var offer: Offer
    /// `ctx.test` of the call (a test window's call); default false.
    public var test = false
    /// **Extension**: what the call's credential store holds before it runs, by key.
    public var credentials: [String: String] = [:]

    /// The call this case makes, its `credentials` module writing to `credentials`.
    public func input(credentials: MemoryCredentialStore) -> CallInput {
        CallInput(
            action: action, subject: subject, params: params, offer: offer, attempt: attempt, now: now, test: test,
            credentials: credentials)
    }

    /// The call this case makes, with a store holding the case's `credentials`.
    public var input: CallInput { input(credentials: credentialStore()) }

    /// The scope the call's credentials are kept in (as the cache's: integration and offer).
    public var credentialScope: String { "\(integration)/\(offer.id)" }

    /// A new store holding the case's `credentials`, for one run of the case.
    public func credentialStore() -> MemoryCredentialStore {
        MemoryCredentialStore(scope: credentialScope, values: credentials)
    }

    /// The default `now` of a case: 2026-01-01T00:00:00Z.
    public static let defaultNow: Int64 = 1_767_225_600
}

/// An expected request and the response to replay for it.
public struct FixtureExchange: Sendable {
    public var request: [String: JSONValue]
    public var response: [String: JSONValue]
}
