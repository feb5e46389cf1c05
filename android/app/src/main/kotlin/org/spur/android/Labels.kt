// The words on the shell's own controls (button captions, headings, field labels) in English and
// German. Every sentence about the user's data (privacy, consent, errors, stays, place types,
// sync status) comes from the core instead; these are only the captions the core's facade does
// not export yet (see android/README.md, "What the core does not give yet").
package org.spur.android

class Labels(val languageTag: String) {
    private val german = languageTag.lowercase().startsWith("de")
    private fun t(english: String, deutsch: String) = if (german) deutsch else english

    val appName = "spur"
    val registerTitle = t("Welcome to spur", "Willkommen bei spur")
    val privacyHeading = t("What happens with your data", "Was mit Ihren Daten geschieht")
    /** Stand-in until the core exports its privacy explanation (listed in android/README.md). */
    val privacyText = t(
        "Your phone number is encrypted on this phone for the health authority of your postcode and sent sealed once more for the operator. Nobody can read it alone: only when an infected person who was at the same place at the same time agrees, the responsible health authority can read it. Your check-ins stay encrypted on this phone for 28 days.",
        "Ihre Telefonnummer wird auf diesem Telefon für das Gesundheitsamt Ihrer Postleitzahl verschlüsselt und für den Betreiber noch einmal versiegelt gesendet. Niemand kann sie allein lesen: Nur wenn eine infizierte Person, die zur selben Zeit am selben Ort war, zustimmt, kann das zuständige Gesundheitsamt sie lesen. Ihre Check-ins bleiben 28 Tage verschlüsselt auf diesem Telefon.",
    )
    val phone = t("Phone number (with +country code)", "Telefonnummer (mit +Ländervorwahl)")
    val secret = t("Password or PIN", "Passwort oder PIN")
    val country = t("Country (two letters)", "Land (zwei Buchstaben)")
    val postcode = t("Postcode (optional)", "Postleitzahl (optional)")
    val campusId = t("Campus id (optional)", "Campus-Kennung (optional)")
    val birthYear = t("Birth year (optional)", "Geburtsjahr (optional)")
    val register = t("Register", "Registrieren")
    val registeredOffline = t("Registered on this device; it will be sent when the network is back.",
        "Auf diesem Gerät registriert; wird gesendet, sobald das Netz zurück ist.")

    val homeTitle = t("spur", "spur")
    val openCheckIn = t("You are checked in", "Sie sind eingecheckt")
    val checkedInSince = t("since", "seit")
    val until = t("until", "bis")
    val untilCheckOut = t("until you check out", "bis Sie auschecken")
    val checkOut = t("Check out", "Auschecken")
    val checkedOut = t("Checked out", "Ausgecheckt")
    val noOpenCheckIn = t("You are not checked in anywhere.", "Sie sind nirgends eingecheckt.")
    val scans = t("Scans", "Scans")
    val contactHours = t("Contact hours", "Kontaktstunden")
    val lastScan = t("Last scan", "Letzter Scan")
    val never = t("never", "noch nie")
    val scanCode = t("Scan a code", "Code scannen")
    val myPersonalCode = t("My personal code", "Mein persönlicher Code")
    val createPlaceCode = t("Create a place code", "Ortscode erstellen")
    val history = t("History", "Verlauf")
    val consent = t("Consent for the health authority", "Freigabe für das Gesundheitsamt")
    val settings = t("Settings", "Einstellungen")

    val scanTitle = t("Scan a code", "Code scannen")
    val scanHint = t("Hold the QR code in front of the camera.", "Halten Sie den QR-Code vor die Kamera.")
    val torchOn = t("Turn torch on", "Taschenlampe an")
    val torchOff = t("Turn torch off", "Taschenlampe aus")
    val pickPicture = t("Pick a picture", "Bild auswählen")
    val cameraPreview = t("Camera picture", "Kamerabild")
    val noCamera = t("This device has no camera. Pick a picture instead.",
        "Dieses Gerät hat keine Kamera. Wählen Sie stattdessen ein Bild.")
    val cameraPermission = t("spur needs the camera to read QR codes.",
        "spur braucht die Kamera, um QR-Codes zu lesen.")
    val notASpurCode = t("This QR code is not a spur code.", "Dieser QR-Code ist kein spur-Code.")
    val noCodeInPicture = t("No QR code found in this picture.", "In diesem Bild wurde kein QR-Code gefunden.")

    val stayTitle = t("How long do you stay?", "Wie lange bleiben Sie?")
    val personalCodeScanned = t("A person's code", "Code einer Person")
    val ownersPin = t("The owner's PIN", "PIN der Person")
    val checkIn = t("Check in", "Einchecken")

    val personalTitle = t("My personal code", "Mein persönlicher Code")
    val optionalPin = t("PIN for the code (optional, 4 to 12 digits)", "PIN für den Code (optional, 4 bis 12 Ziffern)")
    val forPrinting = t("For printing (a card for people without a smartphone)",
        "Zum Ausdrucken (Karte für Menschen ohne Smartphone)")
    val makeCode = t("Make the code", "Code erstellen")
    val printCard = t("Print a card (A6)", "Karte drucken (A6)")
    val printSheet = t("Print a sheet of four cards (A4)", "Bogen mit vier Karten drucken (A4)")
    val qrImageOf = t("QR code of", "QR-Code von")
    val codeId = t("Code id", "Code-Kennung")
    val pinProtected = t("protected by PIN", "mit PIN geschützt")
    val ownCodes = t("Codes made on this device", "Auf diesem Gerät erstellte Codes")

    val placeTitle = t("Create a place code", "Ortscode erstellen")
    val responsiblePhone = t("Phone number of the person responsible", "Telefonnummer der verantwortlichen Person")
    val placePostcode = t("Postcode", "Postleitzahl")
    val placeName = t("Name of the place", "Name des Ortes")
    val placeType = t("Type of place", "Art des Ortes")
    val description = t("Address or room (optional)", "Adresse oder Raum (optional)")

    val historyTitle = t("History (28 days)", "Verlauf (28 Tage)")
    val historyEmpty = t("No check-ins.", "Keine Check-ins.")
    val historyOffNote = t("History is turned off; only the counters are kept.",
        "Der Verlauf ist ausgeschaltet; nur die Zähler werden behalten.")
    val open = t("open", "offen")

    val consentTitle = t("Consent", "Freigabe")
    val authority = t("Health authority", "Gesundheitsamt")
    val case = t("Case", "Fall")
    val days = t("Days", "Tage")
    val release = t("Release my check-ins", "Meine Check-ins freigeben")
    val scanConsentHint = t("Scan the consent code the health authority gave you.",
        "Scannen Sie den Freigabe-Code, den Ihnen das Gesundheitsamt gegeben hat.")

    val settingsTitle = t("Settings", "Einstellungen")
    val appPin = t("App PIN (4 to 12 digits)", "App-PIN (4 bis 12 Ziffern)")
    val setPin = t("Set app PIN", "App-PIN setzen")
    val removePin = t("Remove app PIN", "App-PIN entfernen")
    val pinSaved = t("Saved.", "Gespeichert.")
    val keepHistory = t("Keep a history of my check-ins", "Verlauf meiner Check-ins führen")
    val language = t("Language", "Sprache")
    val deleteAll = t("Delete all data", "Alle Daten löschen")
    val deleteConfirm = t("Yes, delete everything", "Ja, alles löschen")
    val deleteQuestion = t("This deletes everything on this device and asks the server to drop your registration. It cannot be undone.",
        "Das löscht alles auf diesem Gerät und bittet den Server, Ihre Registrierung zu löschen. Das lässt sich nicht rückgängig machen.")

    val lockTitle = t("spur is locked", "spur ist gesperrt")
    val unlock = t("Unlock", "Entsperren")
    val wrongPin = t("Wrong PIN.", "Falsche PIN.")
    val back = t("Back", "Zurück")
}
