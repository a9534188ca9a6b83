// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Binnacle",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "binnacle", targets: ["binnacle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // Text meant for people, for every printer: control and bidi characters shown, never sent;
        // display width by grapheme cluster. Depends on nothing.
        .target(name: "DisplayText"),
        // Pure domain: types, dates, KPI formulas, report rendering. No I/O.
        .target(name: "BinnacleCore", dependencies: ["DisplayText"]),
        // The portfolio bundle: CSV, validation, writing, the synthetic generator.
        .target(name: "BinnacleBundle", dependencies: ["BinnacleCore", "DisplayText"]),
        // The process-wide settings only C can make (SQLite's memory statistics, malloc's arenas).
        .target(name: "CProcessSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        // SQLite through GRDB: migrations from schema/, KPI queries, audit chain, import/export.
        .target(
            name: "BinnacleStore",
            dependencies: [
                "BinnacleCore", "BinnacleBundle", "CProcessSetup",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedSchemaPlugin"]
        ),
        // The command line: argument parsing and wiring.
        .target(
            name: "BinnacleCLI",
            dependencies: [
                "BinnacleCore", "BinnacleBundle", "BinnacleStore", "BinnacleApp", "TerminalUI", "TerminalNCurses", "DisplayText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "binnacle", dependencies: ["BinnacleCLI", "CProcessSetup"]),
        // The terminal: ncursesw through a system library; only TerminalNCurses imports it.
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncurses-dev"])]),
        // Cells, styles, display width, keys, the Terminal protocol and its in-memory backend. Knows no domain.
        .target(name: "TerminalUI", dependencies: ["DisplayText"]),
        .target(name: "TerminalNCurses", dependencies: ["CNCurses", "TerminalUI"]),
        // The dashboard: a value AppState, a pure update(state, msg) -> (state, effects) and a pure
        // view(state) -> cells; the loop runs the effects (reads, writes) through the PortfolioSource protocol.
        .target(name: "BinnacleApp", dependencies: ["BinnacleCore", "TerminalUI"]),
        // Build tool: turns schema/*.sql into Swift string literals so the binary applies exactly those files.
        .executableTarget(name: "EmbedSchema"),
        .plugin(name: "EmbedSchemaPlugin", capability: .buildTool(), dependencies: ["EmbedSchema"]),
        // One pure entry per fuzz target (no GRDB): run by libFuzzer through binnacle-fuzz, and by the
        // tests over the seed corpus in Tests/Fuzz/corpus.
        .target(name: "BinnacleFuzz", dependencies: ["BinnacleCore", "BinnacleBundle", "TerminalUI"]),
        // The libFuzzer harness when built with -DFUZZING (scripts/fuzz.sh); otherwise it replays input files.
        .executableTarget(name: "binnacle-fuzz", dependencies: ["BinnacleFuzz"]),
        .testTarget(
            name: "BinnacleTests",
            dependencies: ["BinnacleCore", "BinnacleBundle", "BinnacleStore", "BinnacleCLI", "BinnacleApp", "TerminalUI", "DisplayText",
                           "BinnacleFuzz"],
            exclude: ["Snapshots"]  // golden screens, read from the checkout by the tests
        ),
    ]
)
