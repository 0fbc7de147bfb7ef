import ArgumentParser
import Foundation
import NetworkEmulators

/// `leadrelay sandbox`: serve emulators of the documented networks on 127.0.0.1.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve loopback emulators of Clixnow, IREV, Trackbox and AlterCPA (see docs/emulators.md).",
        discussion: "Prints each emulator's base URL and the offer parameters that point a script at it, then serves until Ctrl-C."
    )

    @Option(help: "TCP port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 8090

    @Option(help: "Delay added to every answer, in milliseconds.")
    var latency: Double = 0

    @Option(name: .customLong("fail-rate"), help: "Share of requests (0 to 1) answered 503.")
    var failRate: Double = 0

    @Option(
        name: .customLong("token"), help: "NETWORK=VALUE credential (\(EmulatorCredentials.names.joined(separator: ", "))); repeatable.")
    var tokens: [String] = []

    @Option(
        name: .customLong("postback-url"),
        help: ArgumentHelp(
            "URL that receives a GET per lead status change; NETWORK=URL for one network's leads (repeatable).",
            valueName: "[NETWORK=]URL"))
    var postbackURLs: [String] = []

    @Option(
        help: ArgumentHelp(
            "Seconds after registration when a lead reaches no answer, then deposited (or rejected) (default: 60,180).",
            valueName: "A,B"))
    var timeline: String?

    @Option(name: .customLong("irev-cap"), help: "Leads IREV accepts before it rejects every push as ROTATION_ERROR (caps full).")
    var irevCap: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard latency >= 0 else { throw ValidationError("--latency must be 0 or more milliseconds") }
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
        if let irevCap, irevCap < 0 { throw ValidationError("--irev-cap must be 0 or more") }
        _ = try steps()
        _ = try postbacks()
    }

    /// `--timeline A,B`: the no-answer and the final step, in seconds; nil: the standard ones.
    func steps() throws -> (noAnswer: Double, final: Double)? {
        guard let timeline else { return nil }
        let parts = timeline.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let a = parts[0], let b = parts[1], a > 0, b > a else {
            throw ValidationError("--timeline \(timeline): expected A,B in seconds with 0 < A < B, such as 60,180")
        }
        return (a, b)
    }

    /// `--postback-url`: one URL for every network, and NETWORK=URL for one network.
    func postbacks() throws -> (all: String?, networks: [EmulatedNetwork: String]) {
        var all: String?
        var networks: [EmulatedNetwork: String] = [:]
        for text in postbackURLs {
            if let equals = text.firstIndex(of: "="), let network = EmulatedNetwork(rawValue: String(text[..<equals])) {
                networks[network] = String(text[text.index(after: equals)...])
            } else {
                guard all == nil else { throw ValidationError("--postback-url is given twice without a NETWORK= prefix") }
                all = text
            }
        }
        return (all, networks)
    }

    func run() async throws {
        var credentials = EmulatorCredentials()
        for token in tokens {
            guard let equals = token.firstIndex(of: "=") else {
                throw ValidationError("--token \(token): expected NETWORK=VALUE")
            }
            do {
                try credentials.set(String(token[..<equals]), to: String(token[token.index(after: equals)...]))
            } catch {
                throw ValidationError(error.description)
            }
        }
        let postbacks = try postbacks()
        var configuration = EmulatorServer.Configuration(
            port: port, latency: latency / 1000, failRate: failRate, credentials: credentials, postbackURL: postbacks.all,
            irevCap: irevCap)
        configuration.networkPostbackURLs = postbacks.networks
        if let (noAnswer, final) = try steps() {
            configuration.timeline = StatusTimeline([
                .init(.new, after: 0), .init(.noAnswer, after: noAnswer), .init(.deposited, after: final),
            ])
            configuration.rejectingTimeline = StatusTimeline([
                .init(.new, after: 0), .init(.noAnswer, after: noAnswer), .init(.rejected, after: final),
            ])
        }
        let emulators = try await EmulatorServer.start(configuration)
        FileHandle.standardOutput.write(Data((SandboxBanner.text(emulators) + "\n").utf8))
        // Serve until interrupted (Ctrl-C ends the process).
        while true { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
    }
}

/// What `leadrelay sandbox` prints: base URLs and the params each script needs.
enum SandboxBanner {
    static func text(_ emulators: EmulatorServer) -> String {
        let c = emulators.configuration.credentials
        let config = emulators.configuration
        return """
            LeadRelay sandbox on \(emulators.rootURL) (latency \(Int(config.latency * 1000)) ms, fail rate \(config.failRate))

            clixnow   base_url=\(emulators.baseURL(.clixnow))/api/system/v1
                      api_token=\(c.clixnowToken)
            irev      base_url=\(emulators.baseURL(.irev))
                      api_token=\(c.irevToken)
            trackbox  base_url=\(emulators.baseURL(.trackbox))
                      username=\(c.trackboxUsername) password=\(c.trackboxPassword)
                      api_key=\(c.trackboxAPIKey) pull_api_key=\(c.trackboxPullAPIKey) ai=1 gi=1
            altercpa  base_url=\(emulators.baseURL(.altercpa))
                      api_key=\(c.altercpaKey) offer_id=1 merchant_key=\(c.altercpaMerchantKey)

            instant   GET \(emulators.rootURL)/instant
            postbacks \(postbackLines(config))
            Timeline: new -> no answer after \(step(config, 1)) s -> deposited after \(step(config, 2)) s (email with "+reject": rejected).
            Ctrl-C stops.
            """
    }

    static func postbackLines(_ config: EmulatorServer.Configuration) -> String {
        let lines = EmulatedNetwork.allCases.compactMap { network in
            config.networkPostbackURLs[network].map { "\(network.rawValue): \($0)" }
        }
        if lines.isEmpty { return config.postbackURL ?? "off (--postback-url URL)" }
        return (lines + ["others: \(config.postbackURL ?? "off")"]).joined(separator: "\n          ")
    }

    static func step(_ config: EmulatorServer.Configuration, _ index: Int) -> String {
        let steps = config.timeline.steps
        return index < steps.count ? String(Int(steps[index].after)) : "?"
    }
}
