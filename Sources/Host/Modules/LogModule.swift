/// `log`: placeholder until the module lands.
public enum LogModule {
    public static let module = HostModule(name: "log", functions: [])
}
