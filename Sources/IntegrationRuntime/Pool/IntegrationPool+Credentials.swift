extension IntegrationPool {
    /// The credential store of every call submitted without one (`CallInput.credentials`
    /// nil): the service sets its database here, through `IntegrationDirectory.Options`.
    public var credentials: (any CredentialStore)? {
        get { state.withLock { $0.credentials } }
        set { state.withLock { $0.credentials = newValue } }
    }
}
