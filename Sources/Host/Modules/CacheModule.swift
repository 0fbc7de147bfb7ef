/// `cache`: placeholder until the module lands.
public enum CacheModule {
    public static let module = HostModule(name: "cache", functions: [])
}
