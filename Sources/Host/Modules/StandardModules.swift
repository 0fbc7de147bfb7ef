/// The host modules every VM gets (contract, section 4).
public enum StandardModules {
    public static let all: [HostModule] = [
        HTTPModule.module,
    ]
}
