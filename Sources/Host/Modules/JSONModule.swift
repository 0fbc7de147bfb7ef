/// `json`: placeholder until the module lands.
public enum JSONModule {
    public static let module = HostModule(name: "json", functions: [])
}
