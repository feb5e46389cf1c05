// swift-tools-version:5.9
// The spur iOS package: the core as an XCFramework (scripts/build-xcframework.sh), the generated
// Swift bindings (target SpurCore, never edited by hand) and the hand-written SwiftUI screens
// (target SpurUI). Unbuilt on the dev machine (no Swift, no Xcode): see README.md.
import PackageDescription

let package = Package(
    name: "Spur",
    platforms: [.iOS(.v16)],
    products: [
        .library(name: "SpurUI", targets: ["SpurUI"]),
    ],
    targets: [
        .binaryTarget(name: "SpurCoreFFI", path: "build/SpurCoreFFI.xcframework"),
        .target(name: "SpurCore", dependencies: ["SpurCoreFFI"], path: "Sources/SpurCore"),
        .target(name: "SpurUI", dependencies: ["SpurCore"], path: "Sources/SpurUI"),
    ]
)
