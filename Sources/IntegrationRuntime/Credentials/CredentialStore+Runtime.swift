import Host

// The credential store's seam, named for the modules above the runtime (the service
// implements `CredentialStore` on its SQLite store and never imports Host).

/// Durable storage behind the script's `credentials` module (see `Host.CredentialStore`).
public typealias CredentialStore = Host.CredentialStore
/// What a compare-and-set expects to find stored (see `Host.CredentialExpectation`).
public typealias CredentialExpectation = Host.CredentialExpectation
/// Why a credential store could not answer (see `Host.CredentialStoreError`).
public typealias CredentialStoreError = Host.CredentialStoreError
/// The bounds every credential store keeps (see `Host.CredentialLimits`).
public typealias CredentialLimits = Host.CredentialLimits
