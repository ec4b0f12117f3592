// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "routesim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "routesim", targets: ["routesim"]),
        .library(name: "RouteSimCore", targets: ["RouteSimCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CGSL", pkgConfig: "gsl", providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(name: "CPrefetch"),
        .target(
            name: "CRecordParser",
            cxxSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("simdjson")]
        ),
        // The library's layers (docs/architecture.md): each depends only on those above it here.
        .target(name: "RouteSimModel", dependencies: ["CRecordParser", "Yams"]),
        .target(name: "RouteSimStatistics", dependencies: ["CGSL"]),
        .target(name: "RouteSimEngine", dependencies: ["RouteSimModel", "RouteSimStatistics", "CRecordParser", "CSQLite", "CZlib", "CGSL", "CPrefetch", "Yams"]),
        .target(name: "RouteSimAnalysis", dependencies: ["RouteSimEngine", "RouteSimModel", "RouteSimStatistics", "CGSL", "Yams"]),
        .target(name: "RouteSimOutput", dependencies: ["RouteSimAnalysis", "RouteSimEngine", "RouteSimModel", "RouteSimStatistics"]),
        .target(
            name: "RouteSimCore",
            dependencies: ["RouteSimOutput", "RouteSimAnalysis", "RouteSimEngine", "RouteSimModel", "RouteSimStatistics"]
        ),
        .executableTarget(
            name: "routesim",
            dependencies: ["RouteSimCore", "CMalloc", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "RouteSimCoreTests",
            dependencies: ["RouteSimCore", "RouteSimOutput", "RouteSimAnalysis", "RouteSimEngine", "RouteSimModel", "RouteSimStatistics", "CGSL", "Yams"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["routesim", "RouteSimEngine", "RouteSimModel"]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
