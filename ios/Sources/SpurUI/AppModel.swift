// The app's state, one to one with MainActivity.kt: the one core object, the screen stack, the
// link waiting for registration or unlock, and the language; every decision is the core's.
import Foundation
import SpurCore

enum Route: Hashable {
    case home, registration, lock
    case scan, stay(code: String), consent(code: String)
    case personalCode, placeCode, history, settings
}

@MainActor
final class AppModel: ObservableObject {
    let core: Spur
    /// Every caption of the screens, from the core in the chosen language (as Kotlin's `labels`).
    @Published var labels: Captions
    @Published var root: Route = .home
    @Published var path: [Route] = []
    @Published var status = ""
    private var waitingLink: String?

    init(core: Spur, language: String) {
        self.core = core
        core.setLocale(locale: language)
        // Times in the core's sentences ("ends at 14:00") are in this device's time.
        core.setUtcOffsetMinutes(offset: Int32(TimeZone.current.secondsFromGMT() / 60))
        self.labels = core.captions()
        start()
    }

    /// Where the app begins: lock, registration, a waiting link, or home.
    func start() {
        path = []
        if core.isLocked() { root = .lock; return }
        guard (try? core.isRegistered()) == true else { root = .registration; return }
        root = .home
        if let link = waitingLink { waitingLink = nil; open(code: link) }
    }

    /// A spur URL from a deep link, the camera or a picture: the core says what it is.
    func open(code text: String) {
        guard root == .home else { waitingLink = text; return }
        do {
            switch try core.scan(text: text) {
            case .place, .personal: path.append(.stay(code: text))
            case .consent: path.append(.consent(code: text))
            }
        } catch {
            status = message(of: error)
        }
    }

    func changeLanguage(_ tag: String) {
        UserDefaults.standard.set(tag, forKey: "language")
        core.setLocale(locale: tag)
        labels = core.captions()
    }
}

/// The core's sentence of a SpurError (every case's `reason`); `error.policy()` says what to do.
func message(of error: Error) -> String {
    if let spur = error as? SpurError { return spur.words() }
    return String(describing: error)
}
