// The screens, one to one with the Kotlin screens in android/app/src/main/kotlin/org/spur/android:
// registration, home, stay, consent, personal code, place code, history, settings, lock.
import SwiftUI
import SpurCore

struct RegistrationView: View {
    @EnvironmentObject var model: AppModel
    @State private var phone = "", secret = "", country = "DE", postcode = "", campus = "", birthYear = ""
    @State private var status = ""
    var body: some View {
        let w = model.labels
        Form {
            StatusLine(text: status)
            Section(w.privacyHeading) { Text(w.privacyText) }
            TextField(w.phone, text: $phone).keyboardType(.phonePad)
            // The core's proposed passphrase, shown in clear to be written down (as on Android).
            Section(w.secret) {
                Text(w.secretHint)
                TextField(w.secret, text: $secret)
                    .textInputAutocapitalization(.never).autocorrectionDisabled()
                Button(w.secretPropose) { secret = model.core.proposePassphrase() }
                if !secret.isEmpty { Text(model.core.secretStrength(secret: secret, phone: phone).words) }
            }
            TextField(w.country, text: $country)
            TextField(w.postcode, text: $postcode)
            TextField(w.campusId, text: $campus)
            TextField(w.birthYear, text: $birthYear).keyboardType(.numberPad)
            Button(w.register) {
                Task {
                    let form = RegistrationForm(phone: phone, secret: secret, country: country,
                                                postcode: postcode.isEmpty ? nil : postcode,
                                                campusId: campus.isEmpty ? nil : campus,
                                                birthYear: birthYear.isEmpty ? nil : UInt16(birthYear) ?? 0)
                    if await attempt($status, { try await model.core.register(form: form) }) != nil { model.start() }
                }
            }
        }.navigationTitle(w.registerTitle)
        .onAppear { if secret.isEmpty { secret = model.core.proposePassphrase() } }
    }
}

struct HomeView: View {
    @EnvironmentObject var model: AppModel
    @State private var status = ""
    @State private var refresh = 0
    var body: some View {
        let w = model.labels
        List {
            StatusLine(text: status)
            // Every check-in still going on: its planned end, check-out (open) or "end now" (a
            // fixed stay left early), and when due the reminder with "stay longer".
            let running = (try? model.core.runningCheckIns()) ?? []
            if running.isEmpty {
                Text(w.noOpenCheckIn)
            }
            ForEach(running, id: \.id) { r in
                Section(w.openCheckIn) {
                    Text(r.entry.name).font(.title3)
                    Text(r.times)
                    if r.reminderDue {
                        Text(w.reminderHeading).font(.headline)
                        Text(r.reminder)
                        Button(w.stayLonger) { Task { _ = await attempt($status) { try await model.core.extendCheckIn(id: r.id, minutes: 60) }; refresh += 1 } }
                    }
                    Button(r.open ? w.checkOut : w.endEarly) {
                        Task {
                            if let done = await attempt($status, { try await model.core.endCheckIn(id: r.id) }), let done { status = done.message }
                            refresh += 1
                        }
                    }
                }
            }
            if let c = try? model.core.counters() {
                Text(c.scansLine)
                Text(c.hoursLine)
                Text(c.lastScanLine)
            }
            // While a PIN card's check-in waits for its PIN check; the sync's sentence in the
            // status line says when one was dropped (wrong PIN, a code never issued). As HomeScreen.kt.
            if let note = (try? model.core.pinNotCheckedNote()) ?? nil {
                Text(note)
            }
            NavigationLink(w.scanCode, value: Route.scan)
            NavigationLink(w.myPersonalCode, value: Route.personalCode)
            NavigationLink(w.createPlaceCode, value: Route.placeCode)
            NavigationLink(w.history, value: Route.history)
            NavigationLink(w.consent, value: Route.scan)
            NavigationLink(w.settings, value: Route.settings)
        }
        .id(refresh)
        .navigationTitle("spur")
        .task { if let s = await attempt($status, { try await model.core.sync() }) { status = s.message } }
    }
}

struct StayView: View {
    @EnvironmentObject var model: AppModel
    let code: String
    @State private var chosen: Int?
    @State private var pin = ""
    @State private var status = ""
    var body: some View {
        let w = model.labels
        let options = model.core.stayOptions()
        let scanned = try? model.core.scan(text: code)
        Form {
            StatusLine(text: status)
            if case .place(let name, let country, let postcode) = scanned {
                Text(name).font(.title2).accessibilityAddTraits(.isHeader)
                Text("\(country) \(postcode)")
            } else {
                Text(w.personalCodeScanned).font(.title2).accessibilityAddTraits(.isHeader)
            }
            Picker(w.stayTitle, selection: $chosen) {
                ForEach(options.indices, id: \.self) { Text(options[$0].label).tag(Optional($0)) }
            }.pickerStyle(.inline)
            if case .personal(true) = scanned { SecureField(w.ownersPin, text: $pin).keyboardType(.numberPad) }
            Button(w.checkIn) {
                guard let chosen else { status = w.stayTitle; return }
                Task {
                    let done = await attempt($status) { try await model.core.checkIn(text: code, stay: options[chosen].stay, pin: pin.isEmpty ? nil : pin) }
                    // The core's sentences: where and until when, what it ended, online or kept;
                    // and "PIN not checked yet" for a PIN card kept until its PIN is checked online.
                    // (Mirrors StayScreen.kt; unbuilt here, no Swift toolchain: see ios/README.md.)
                    if let done {
                        let note = (try? model.core.pinNotCheckedNote()) ?? nil
                        model.status = [done.message, note].compactMap { $0 }.joined(separator: "\n")
                        model.start()
                    }
                }
            }
        }.navigationTitle(w.stayTitle)
    }
}

struct ConsentView: View {
    @EnvironmentObject var model: AppModel
    let code: String
    @State private var info: ConsentInfo?
    @State private var phone = "", secret = "", thanks = "", status = ""
    var body: some View {
        let w = model.labels
        Form {
            StatusLine(text: status)
            if !thanks.isEmpty {
                Text(thanks)
            } else if let info {
                Text(info.authorityLine)
                Text(info.caseLine)
                Text(info.daysLine)
                Text(info.text)
                TextField(w.phone, text: $phone).keyboardType(.phonePad)
                SecureField(w.secret, text: $secret)
                Button(w.release) {
                    Task { if let t = await attempt($status, { try await model.core.giveConsent(text: code, phone: phone, secret: secret) }) { thanks = t } }
                }
            }
        }
        .navigationTitle(w.consent)
        .task { info = await attempt($status) { try await model.core.consentInfo(text: code) } }
    }
}

struct CodeRow: View {
    @EnvironmentObject var model: AppModel
    let code: OwnCode
    @State private var status = ""
    var body: some View {
        let w = model.labels
        let what = code.personal ? w.myPersonalCode : code.name
        let said = model.core.codeWords(code: code)
        VStack(alignment: .leading) {
            StatusLine(text: status)
            Text(what).font(.headline).accessibilityAddTraits(.isHeader)
            if let png = try? model.core.codePng(url: code.url, modulePx: 8), let image = UIImage(data: png) {
                Image(uiImage: image).interpolation(.none).resizable().scaledToFit().frame(maxWidth: 240)
                    .accessibilityLabel(said.imageLabel)
            }
            Text(said.idLine)
            Text(dateTime(code.created))
            Button(w.printCard) { print(.a6) }
            Button(w.printSheet) { print(.a4Sheet) }
        }
    }

    private func print(_ layout: CardLayout) {
        do { Printing.printPdf(try model.core.codePdf(url: code.url, layout: layout), jobName: "spur-\(code.qrId)") }
        catch { status = message(of: error) }
    }
}

struct PersonalCodeView: View {
    @EnvironmentObject var model: AppModel
    @State private var pin = "", status = ""
    @State private var printable = false
    @State private var made: OwnCode?
    var body: some View {
        let w = model.labels
        Form {
            StatusLine(text: status)
            if let made { CodeRow(code: made) }
            SecureField(w.optionalPin, text: $pin).keyboardType(.numberPad)
            Toggle(w.forPrinting, isOn: $printable)
            Button(w.makeCode) {
                Task { made = await attempt($status) { try await model.core.createPersonalCode(pin: pin.isEmpty ? nil : pin, printable: printable) } }
            }
        }.navigationTitle(w.myPersonalCode)
    }
}

struct PlaceCodeView: View {
    @EnvironmentObject var model: AppModel
    @State private var phone = "", country = "DE", postcode = "", name = "", description = "", status = ""
    @State private var kind: Int?
    @State private var made: OwnCode?
    var body: some View {
        let w = model.labels
        let types = model.core.placeTypes()
        Form {
            StatusLine(text: status)
            if let made { CodeRow(code: made) }
            TextField(w.responsiblePhone, text: $phone).keyboardType(.phonePad)
            TextField(w.country, text: $country)
            TextField(w.placePostcode, text: $postcode)
            TextField(w.placeName, text: $name)
            Picker(w.placeType, selection: $kind) {
                ForEach(types.indices, id: \.self) { Text(types[$0].label).tag(Optional($0)) }
            }.pickerStyle(.inline)
            TextField(w.placeDescription, text: $description)
            Button(w.makeCode) {
                guard let kind else { status = w.placeType; return }
                let form = PlaceForm(responsiblePhone: phone, country: country, postcode: postcode, name: name,
                                     kind: types[kind].kind, description: description)
                Task { made = await attempt($status) { try await model.core.createPlaceCode(form: form) } }
            }
        }.navigationTitle(w.createPlaceCode)
    }
}

struct HistoryView: View {
    @EnvironmentObject var model: AppModel
    var body: some View {
        let w = model.labels
        let visits = (try? model.core.history()) ?? []
        List {
            if visits.isEmpty { Text(w.historyEmpty) }
            ForEach(visits.indices, id: \.self) { i in
                let v = visits[i]
                Text("\(v.name)\n\(v.times)")
            }
        }.navigationTitle(w.historyTitle)
    }
}

struct SettingsView: View {
    @EnvironmentObject var model: AppModel
    @State private var pin = "", status = ""
    @State private var confirming = false
    var body: some View {
        let w = model.labels
        Form {
            StatusLine(text: status)
            SecureField(w.appPin, text: $pin).keyboardType(.numberPad)
            Button(w.setPin) { Task { _ = await attempt($status) { try await model.core.setAppPin(pin: pin) } } }
            Button(w.removePin) { Task { _ = await attempt($status) { try await model.core.setAppPin(pin: nil) } } }
            Toggle(w.keepHistory, isOn: Binding(get: { (try? model.core.historyEnabled()) ?? true },
                                                set: { on in do { try model.core.setHistoryEnabled(enabled: on) } catch { status = message(of: error) } }))
            Section(w.language) {
                Button(w.languageEnglish) { model.changeLanguage("en") }
                Button(w.languageGerman) { model.changeLanguage("de") }
            }
            Section(w.deleteAll) {
                if confirming {
                    Text(w.deleteQuestion)
                    Button(w.deleteConfirm, role: .destructive) {
                        Task { if let r = await attempt($status, { try await model.core.deleteAllData() }) { model.start(); model.status = r.message } }
                    }
                } else {
                    Button(w.deleteAll, role: .destructive) { confirming = true }
                }
            }
        }.navigationTitle(w.settings)
    }
}

struct LockView: View {
    @EnvironmentObject var model: AppModel
    @State private var pin = "", status = ""
    var body: some View {
        let w = model.labels
        Form {
            StatusLine(text: status)
            SecureField(w.appPin, text: $pin).keyboardType(.numberPad)
            Button(w.unlock) {
                Task { if let open = await attempt($status, { try await model.core.unlock(pin: pin) }) { open ? model.start() : (status = w.wrongPin) } }
            }
        }.navigationTitle(w.lockTitle)
    }
}

func dateTime(_ seconds: UInt64) -> String {
    DateFormatter.localizedString(from: Date(timeIntervalSince1970: TimeInterval(seconds)), dateStyle: .medium, timeStyle: .short)
}
