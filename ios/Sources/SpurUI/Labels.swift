// The captions of the shell's own controls in English and German, one to one with
// android/app/src/main/kotlin/org/spur/android/Labels.kt. Sentences about the user's data come
// from the core.
import Foundation

struct Labels {
    let languageTag: String
    private var german: Bool { languageTag.lowercased().hasPrefix("de") }
    private func t(_ english: String, _ deutsch: String) -> String { german ? deutsch : english }

    var registerTitle: String { t("Welcome to spur", "Willkommen bei spur") }
    var privacyHeading: String { t("What happens with your data", "Was mit Ihren Daten geschieht") }
    var privacyText: String { t(
        "Your phone number is encrypted on this phone for the health authority of your postcode and sent sealed once more for the operator. Nobody can read it alone: only when an infected person who was at the same place at the same time agrees, the responsible health authority can read it. Your check-ins stay encrypted on this phone for 28 days.",
        "Ihre Telefonnummer wird auf diesem Telefon für das Gesundheitsamt Ihrer Postleitzahl verschlüsselt und für den Betreiber noch einmal versiegelt gesendet. Niemand kann sie allein lesen: Nur wenn eine infizierte Person, die zur selben Zeit am selben Ort war, zustimmt, kann das zuständige Gesundheitsamt sie lesen. Ihre Check-ins bleiben 28 Tage verschlüsselt auf diesem Telefon.") }
    var phone: String { t("Phone number (with +country code)", "Telefonnummer (mit +Ländervorwahl)") }
    var secret: String { t("Password or PIN", "Passwort oder PIN") }
    var country: String { t("Country (two letters)", "Land (zwei Buchstaben)") }
    var postcode: String { t("Postcode (optional)", "Postleitzahl (optional)") }
    var campusId: String { t("Campus id (optional)", "Campus-Kennung (optional)") }
    var birthYear: String { t("Birth year (optional)", "Geburtsjahr (optional)") }
    var register: String { t("Register", "Registrieren") }
    var openCheckIn: String { t("You are checked in", "Sie sind eingecheckt") }
    var checkedInSince: String { t("since", "seit") }
    var until: String { t("until", "bis") }
    var untilCheckOut: String { t("until you check out", "bis Sie auschecken") }
    var checkOut: String { t("Check out", "Auschecken") }
    var noOpenCheckIn: String { t("You are not checked in anywhere.", "Sie sind nirgends eingecheckt.") }
    var scans: String { t("Scans", "Scans") }
    var contactHours: String { t("Contact hours", "Kontaktstunden") }
    var lastScan: String { t("Last scan", "Letzter Scan") }
    var never: String { t("never", "noch nie") }
    var scanCode: String { t("Scan a code", "Code scannen") }
    var myPersonalCode: String { t("My personal code", "Mein persönlicher Code") }
    var createPlaceCode: String { t("Create a place code", "Ortscode erstellen") }
    var history: String { t("History", "Verlauf") }
    var consent: String { t("Consent for the health authority", "Freigabe für das Gesundheitsamt") }
    var settings: String { t("Settings", "Einstellungen") }
    var scanHint: String { t("Hold the QR code in front of the camera.", "Halten Sie den QR-Code vor die Kamera.") }
    var torchOn: String { t("Turn torch on", "Taschenlampe an") }
    var torchOff: String { t("Turn torch off", "Taschenlampe aus") }
    var pickPicture: String { t("Pick a picture", "Bild auswählen") }
    var cameraPreview: String { t("Camera picture", "Kamerabild") }
    var notASpurCode: String { t("This QR code is not a spur code.", "Dieser QR-Code ist kein spur-Code.") }
    var printCard: String { t("Print a card (A6)", "Karte drucken (A6)") }
    var printSheet: String { t("Print a sheet of four cards (A4)", "Bogen mit vier Karten drucken (A4)") }
    var qrImageOf: String { t("QR code of", "QR-Code von") }
    var noCodeInPicture: String { t("No QR code found in this picture.", "In diesem Bild wurde kein QR-Code gefunden.") }
    var stayTitle: String { t("How long do you stay?", "Wie lange bleiben Sie?") }
    var personalCodeScanned: String { t("A person's code", "Code einer Person") }
    var ownersPin: String { t("The owner's PIN", "PIN der Person") }
    var checkIn: String { t("Check in", "Einchecken") }
    var optionalPin: String { t("PIN for the code (optional, 4 to 12 digits)", "PIN für den Code (optional, 4 bis 12 Ziffern)") }
    var forPrinting: String { t("For printing (a card for people without a smartphone)", "Zum Ausdrucken (Karte für Menschen ohne Smartphone)") }
    var makeCode: String { t("Make the code", "Code erstellen") }
    var codeId: String { t("Code id", "Code-Kennung") }
    var pinProtected: String { t("protected by PIN", "mit PIN geschützt") }
    var responsiblePhone: String { t("Phone number of the person responsible", "Telefonnummer der verantwortlichen Person") }
    var placePostcode: String { t("Postcode", "Postleitzahl") }
    var placeName: String { t("Name of the place", "Name des Ortes") }
    var placeType: String { t("Type of place", "Art des Ortes") }
    var description: String { t("Address or room (optional)", "Adresse oder Raum (optional)") }
    var historyTitle: String { t("History (28 days)", "Verlauf (28 Tage)") }
    var historyEmpty: String { t("No check-ins.", "Keine Check-ins.") }
    var open: String { t("open", "offen") }
    var authority: String { t("Health authority", "Gesundheitsamt") }
    var caseLabel: String { t("Case", "Fall") }
    var days: String { t("Days", "Tage") }
    var release: String { t("Release my check-ins", "Meine Check-ins freigeben") }
    var appPin: String { t("App PIN (4 to 12 digits)", "App-PIN (4 bis 12 Ziffern)") }
    var setPin: String { t("Set app PIN", "App-PIN setzen") }
    var removePin: String { t("Remove app PIN", "App-PIN entfernen") }
    var keepHistory: String { t("Keep a history of my check-ins", "Verlauf meiner Check-ins führen") }
    var language: String { t("Language", "Sprache") }
    var deleteAll: String { t("Delete all data", "Alle Daten löschen") }
    var deleteConfirm: String { t("Yes, delete everything", "Ja, alles löschen") }
    var deleteQuestion: String { t("This deletes everything on this device and asks the server to drop your registration. It cannot be undone.", "Das löscht alles auf diesem Gerät und bittet den Server, Ihre Registrierung zu löschen. Das lässt sich nicht rückgängig machen.") }
    var lockTitle: String { t("spur is locked", "spur ist gesperrt") }
    var unlock: String { t("Unlock", "Entsperren") }
    var wrongPin: String { t("Wrong PIN.", "Falsche PIN.") }
}
