/// The host modules every VM gets (contract, section 4).
public enum StandardModules {
    public static let all: [HostModule] = [
        JSONModule.module,
        HTTPModule.module,
        CryptoModule.module,
        URLModule.module,
        TimeModule.module,
        LogModule.module,
        CacheModule.module,
        CredentialsModule.module,
        FieldsModule.module,
    ]
}
