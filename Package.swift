// swift-tools-version: 6.1
import PackageDescription

/// Lets callers in other modules specialize generic code (the event sinks of the core and
/// the venue, the engine's encoder); measured with `bourse bench`. Release builds only: a
/// debug build gains nothing, and its incremental rebuilds once kept a client compiled
/// against an old layout of a type.
let crossModuleOptimization: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))
]

let package = Package(
    name: "Bourse",
    products: [
        .executable(name: "bourse", targets: ["bourse"]),
        .library(name: "BourseCore", targets: ["BourseCore"]),
        .library(name: "BourseRisk", targets: ["BourseRisk"]),
        .library(name: "BourseVenue", targets: ["BourseVenue"]),
        .library(name: "BourseJSONLines", targets: ["BourseJSONLines"]),
        .library(name: "BourseJournal", targets: ["BourseJournal"]),
        .library(name: "BourseEngine", targets: ["BourseEngine"]),
        .library(name: "BourseMarketData", targets: ["BourseMarketData"]),
        .library(name: "BourseServer", targets: ["BourseServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The order book and the matcher: standard library only.
        .target(name: "BourseCore", swiftSettings: crossModuleOptimization),
        // Cache prefetch hints for the sequencer's lookups (C: Swift has no prefetch).
        .target(name: "CPUHints"),
        // Pre-trade checks, balances and holds, positions and P&L, fees, kill switches, circuit breakers.
        .target(name: "BourseRisk", dependencies: ["BourseCore", "CPUHints"], swiftSettings: crossModuleOptimization),
        // The contract's commands applied to the core and the risk layer: names, decimal numbers, client order ids.
        .target(
            name: "BourseVenue",
            dependencies: ["BourseCore", "BourseRisk", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: crossModuleOptimization),
        // The contract's JSON Lines format: parsing commands, writing events.
        .target(name: "BourseJSONLines", dependencies: ["BourseCore", "BourseVenue"]),
        // CRC-32C with the SSE 4.2 instruction when the processor has it.
        .target(name: "CRC32C"),
        // Journal segments, records with CRC, snapshot files, torn-tail and damage detection.
        .target(name: "BourseJournal", dependencies: ["CRC32C"]),
        // The sequencer: intake ring, sequencer and journal writer threads, output ring, recovery, snapshots.
        .target(
            name: "BourseEngine",
            dependencies: [
                "BourseCore", "BourseVenue", "BourseJournal",
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: crossModuleOptimization),
        // What the server knows from the engine's events: books, trades, candles, orders and fills, and
        // the streams of the WebSocket (snapshots, deltas with per-book sequence numbers, slow subscribers).
        .target(name: "BourseMarketData", dependencies: ["BourseVenue", "BourseJSONLines"]),
        // `bourse serve`: configuration, the REST API and WebSocket over the engine.
        .target(
            name: "BourseServer",
            dependencies: [
                "BourseCore", "BourseVenue", "BourseJSONLines", "BourseEngine", "BourseMarketData",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.embedInCode("openapi.yaml")]),
        // Counts malloc calls so `bourse bench` can report allocations per operation.
        .target(name: "AllocationCounter"),
        .executableTarget(
            name: "bourse",
            dependencies: [
                "BourseCore",
                "BourseVenue",
                "BourseJSONLines",
                "BourseJournal",
                "BourseEngine",
                "BourseServer",
                "AllocationCounter",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "BourseCoreTests", dependencies: ["BourseCore"]),
        // The tests' oracle: a plain reference implementation of the contract and a random command generator.
        .target(name: "ContractReference", dependencies: ["BourseJSONLines"], path: "Tests/ContractReference"),
        .testTarget(name: "BourseJournalTests", dependencies: ["BourseJournal", "CRC32C"]),
        .testTarget(name: "BourseRiskTests", dependencies: ["BourseRisk", "ContractReference"]),
        .testTarget(
            name: "BourseJSONLinesTests",
            dependencies: ["BourseJSONLines", "BourseVenue", "BourseCore", "ContractReference"]),
        .testTarget(
            name: "BourseEngineTests",
            dependencies: [
                "BourseEngine", "BourseJournal", "BourseJSONLines", "BourseVenue", "ContractReference",
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Runs the built `bourse` executable (swift build builds it alongside the tests).
        .testTarget(name: "BourseCLITests", dependencies: ["BourseJSONLines"]),
        .testTarget(
            name: "BourseMarketDataTests", dependencies: ["BourseMarketData", "BourseJSONLines", "BourseVenue"]),
        // Runs a real `bourse serve` process and talks to it over HTTP and WebSocket.
        .testTarget(
            name: "BourseServerTests",
            dependencies: [
                "BourseJSONLines", "BourseMarketData",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]),
    ]
)
