/// `time`: placeholder until the module lands.
public enum TimeModule {
    public static let module = HostModule(name: "time", functions: [])
}
