// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "LeadRelay",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "leadrelay", targets: ["leadrelay"]),
        .library(name: "IntegrationRuntime", targets: ["IntegrationRuntime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", exact: "1.4.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-system.git", exact: "1.8.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
    ],
    targets: [
        // liblua5.4's headers and wrappers for its macros.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        // The host's C code: the capped allocator, the instruction/deadline hook, the
        // host-function trampoline and the bounded library functions.
        .target(name: "CLuaHost", dependencies: ["CLua"]),
        // Thin C layer over libcurl for the live HTTP transport.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // OpenSSL's TLS for the native HTTP/1.1 client (and the loopback TLS test server).
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // The host's C code over OpenSSL (the subjectAltName check, error text), in .c files.
        .target(name: "COpenSSLHost", dependencies: ["COpenSSL"]),
        // Linux epoll/eventfd declarations the Glibc module leaves out.
        .systemLibrary(name: "CEpoll"),
        // The JSON value, its parser and its writer (contract, section 4); nothing about Lua.
        // Host's Lua codecs share its scanner and writer through `@_spi(LuaCodecs)`, whose
        // per-byte functions are @inlinable so they still inline on every lead's hot path.
        .target(name: "LeadJSON"),
        .target(
            name: "Host",
            dependencies: [
                "CLua", "CLuaHost", "LeadJSON",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The outbound HTTP client: requests and responses (`OutboundRequest`,
        // `OutboundResponse`), the `HTTPTransport` protocol, the native HTTP/1.1 engine (epoll,
        // OpenSSL) and the libcurl engine, the egress policy. The only Swift target that sees
        // CEpoll, COpenSSL and CCurl besides the test servers; nothing about Lua or scripts.
        .target(
            name: "OutboundHTTP",
            dependencies: ["CCurl", "CEpoll", "COpenSSL", "COpenSSLHost"]
        ),
        .target(
            name: "IntegrationRuntime",
            dependencies: ["Host", "LeadJSON", "OutboundHTTP"]
        ),
        // The running service: its store (SQLite through GRDB, or PostgreSQL through
        // postgres-nio for several processes on one database), the intake API, routes,
        // dispatcher, status scheduler and reports. Never the Lua VM:
        // it runs scripts through IntegrationRuntime (docs/service.md).
        .target(
            name: "LeadRelayService",
            dependencies: [
                "IntegrationRuntime", "LeadJSON", "OutboundHTTP",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Loopback emulators of the documented networks (`leadrelay sandbox`, EmulatorTests):
        // JSON and the HTTP client for postbacks, never the Lua VM or the runtime.
        .target(
            name: "NetworkEmulators",
            dependencies: [
                "LeadJSON", "OutboundHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "leadrelay",
            dependencies: [
                "IntegrationRuntime", "Host", "LeadJSON", "OutboundHTTP",
                "NetworkEmulators", "LeadRelayService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Loopback HTTP/1.1 server for transport tests and benchmarks; nothing shipped depends on it.
        .target(name: "LoopbackTesting", dependencies: ["CEpoll", "COpenSSL", "COpenSSLHost"]),
        // JSON Schema checks of docs/openapi.json and docs/fixture.schema.json; tests only.
        .target(name: "SchemaTesting", dependencies: ["LeadJSON"]),
        .executableTarget(
            name: "leadrelay-bench",
            dependencies: [
                "IntegrationRuntime", "Host", "LeadJSON", "OutboundHTTP", "LoopbackTesting", "NetworkEmulators", "CEpoll", "CLua",
                "LeadRelayService", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/leadrelay-bench"
        ),
        .testTarget(
            name: "CLITests",
            dependencies: [
                "leadrelay", "IntegrationRuntime", "Host", "LeadJSON", "OutboundHTTP", "LoopbackTesting", "LeadRelayService",
                "NetworkEmulators",
            ]
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Host", "LeadJSON", "OutboundHTTP", "IntegrationRuntime", "CLua", "CLuaHost", "COpenSSL", "COpenSSLHost", "LoopbackTesting",
                "SchemaTesting",
            ],
            exclude: []
        ),
        .testTarget(
            name: "ServiceTests",
            dependencies: [
                "LeadRelayService", "IntegrationRuntime", "LeadJSON", "NetworkEmulators", "OutboundHTTP", "LoopbackTesting",
                "SchemaTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EmulatorTests",
            dependencies: ["NetworkEmulators", "IntegrationRuntime", "Host", "LeadJSON", "OutboundHTTP", "LoopbackTesting"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: Fuzz targets (`make fuzz`, docs/fuzzing.md)
// Declared only when LEADRELAY_FUZZ is set, as `make fuzz` and `make test` do: they build
// them alone into .build-fuzz with libFuzzer and AddressSanitizer, and libFuzzer brings
// their `main`, so a normal build never sees them. One folder per target, Fuzz/<name>/
// with the harness in harness/ and its seeds in corpus/ (docs/fuzzing.md); a new target
// is one line here and its name in the Makefile's FUZZ_TARGETS.
if Context.environment["LEADRELAY_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("response-parser", ["OutboundHTTP", "FuzzSupport"]),
        ("json-decode", ["Host", "LeadJSON", "CLua", "FuzzSupport"]),
        ("request-target", ["OutboundHTTP", "CCurl", "FuzzSupport"]),
        ("fixture-loader", ["IntegrationRuntime", "FuzzSupport"]),
        ("pattern-differential", ["CLua", "CLuaHost"]),
    ]
    // `invariant(_:_:)` for Swift harnesses: a check that prints its message in an optimized build.
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Support"))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(.executableTarget(name: "fuzz-\(name)", dependencies: dependencies, path: "Fuzz/\(name)/harness"))
        package.products.append(.executable(name: "fuzz-\(name)", targets: ["fuzz-\(name)"]))
    }
}
