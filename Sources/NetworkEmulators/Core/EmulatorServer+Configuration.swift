extension EmulatorServer {
    /// How the emulators run. The host is always 127.0.0.1: they never listen
    /// beyond loopback.
    public struct Configuration: Sendable {
        /// The only address the emulators bind.
        public let host = "127.0.0.1"
        /// TCP port; 0 picks a free one (read it back from `EmulatorServer.port`).
        public var port: Int
        /// Delay added to every answer, in seconds (`Task.sleep`, never blocking).
        public var latency: Double
        /// Share of requests (0...1) answered 503 before reaching an emulator.
        public var failRate: Double
        /// The credentials each emulator accepts.
        public var credentials: EmulatorCredentials
        /// Where status-change postbacks go; nil sends none (unless `networkPostbackURLs`
        /// names the lead's network).
        public var postbackURL: String?
        /// Where the postbacks of one network go, in place of `postbackURL` (a service
        /// gives each of its routes an address of its own).
        public var networkPostbackURLs: [EmulatedNetwork: String] = [:]
        /// How often (real seconds) the emulator looks for status changes to post back;
        /// 0 never does on its own (call `deliverDuePostbacks()`).
        public var postbackInterval: Double
        /// Source of "now" for timelines and rate windows.
        public var clock: any EmulatorClock
        /// Timeline of ordinary leads.
        public var timeline: StatusTimeline
        /// Timeline of leads whose email contains "+reject".
        public var rejectingTimeline: StatusTimeline
        /// Countries (alpha-2, upper case) every emulator refuses with its own
        /// blocked-country error.
        public var blockedCountries: Set<String>
        /// Customers per page of a Trackbox pull.
        public var trackboxPageLimit: Int
        /// Leads IREV accepts before it answers every push `ROTATION_ERROR` ("lead was
        /// rejected when a rejected cap was already full", seed 004), as a buyer whose caps
        /// are full; nil: no cap. For demos and tests of an offer's rotation.
        public var irevCap: Int?

        public init(
            port: Int = 0,
            latency: Double = 0,
            failRate: Double = 0,
            credentials: EmulatorCredentials = EmulatorCredentials(),
            postbackURL: String? = nil,
            postbackInterval: Double = 1,
            clock: any EmulatorClock = SystemEmulatorClock(),
            timeline: StatusTimeline = .standard,
            rejectingTimeline: StatusTimeline = .rejecting,
            blockedCountries: Set<String> = ["KP"],
            trackboxPageLimit: Int = 500,
            irevCap: Int? = nil
        ) {
            self.irevCap = irevCap
            self.port = port
            self.latency = latency
            self.failRate = failRate
            self.credentials = credentials
            self.postbackURL = postbackURL
            self.postbackInterval = postbackInterval
            self.clock = clock
            self.timeline = timeline
            self.rejectingTimeline = rejectingTimeline
            self.blockedCountries = blockedCountries
            self.trackboxPageLimit = trackboxPageLimit
        }

        /// Where the postbacks of `network`'s leads go, if anywhere.
        public func postbackURL(for network: EmulatedNetwork) -> String? { networkPostbackURLs[network] ?? postbackURL }

        /// Whether any postback is sent at all.
        var sendsPostbacks: Bool { postbackURL != nil || !networkPostbackURLs.isEmpty }

        /// The timeline a lead with this email follows.
        func timeline(forEmail email: String) -> StatusTimeline {
            email.lowercased().contains("+reject") ? rejectingTimeline : timeline
        }
    }
}
