/// `crypto`: placeholder until the module lands.
public enum CryptoModule {
    public static let module = HostModule(name: "crypto", functions: [])
}
