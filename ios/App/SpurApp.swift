// The app target's entry: makes the one core from the bundled service settings and the Keychain
// key, and shows the root view.
import SwiftUI
import SpurCore
import SpurUI

@main
struct SpurApp: App {
    private let core: Spur
    private let language: String

    init() {
        language = UserDefaults.standard.string(forKey: "language") ?? Locale.current.language.languageCode?.identifier ?? "en"
        let info = Bundle.main.infoDictionary ?? [:]
        func value(_ key: String) -> String { info[key] as? String ?? "" }
        let dataDir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0].appendingPathComponent("spur").path
        let config = SpurConfig(dataDir: dataDir, host: value("SpurHost"), tagUrl: value("SpurTagUrl"), postUrl: value("SpurPostUrl"),
                                opPublicKey: value("SpurOpPublicKey"), directoryRootKey: value("SpurDirectoryRootKey"),
                                locale: language)
        // A misconfigured build, or a Keychain that cannot keep the key, cannot run at all; the
        // core's message says what is wrong.
        do { core = try Spur(config: config, keys: KeychainKeys()) } catch { fatalError(message(of: error)) }
    }

    var body: some Scene {
        WindowGroup { RootView(core: core, language: language) }
    }
}
