/// `url`: placeholder until the module lands.
public enum URLModule {
    public static let module = HostModule(name: "url", functions: [])
}
