// The navigation: the root screen the model names, screens pushed on top, spur links opened.
import SwiftUI
import SpurCore

public struct RootView: View {
    @StateObject private var model: AppModel

    public init(core: Spur, language: String) {
        _model = StateObject(wrappedValue: AppModel(core: core, language: language))
    }

    public var body: some View {
        NavigationStack(path: $model.path) {
            screen(model.root)
                .navigationDestination(for: Route.self) { screen($0) }
        }
        .environmentObject(model)
        .onOpenURL { model.open(code: $0.absoluteString) }
    }

    @ViewBuilder private func screen(_ route: Route) -> some View {
        switch route {
        case .home: HomeView()
        case .registration: RegistrationView()
        case .lock: LockView()
        case .scan: ScanView()
        case .stay(let code): StayView(code: code)
        case .consent(let code): ConsentView(code: code)
        case .personalCode: PersonalCodeView()
        case .placeCode: PlaceCodeView()
        case .history: HistoryView()
        case .settings: SettingsView()
        }
    }
}

/// The status line every screen has: the core's sentence, read out when it changes.
struct StatusLine: View {
    let text: String
    var body: some View {
        if !text.isEmpty {
            Text(text).font(.body.bold()).foregroundColor(Color(red: 0.55, green: 0, blue: 0))
                .accessibilityAddTraits(.updatesFrequently)
        }
    }
}

/// Runs a core call; a failure shows the core's own message.
@MainActor func attempt<T>(_ status: Binding<String>, _ call: () async throws -> T) async -> T? {
    do { return try await call() } catch { status.wrappedValue = message(of: error); return nil }
}
