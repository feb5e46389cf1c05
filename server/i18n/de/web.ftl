# Die Seiten des Web-Hosts (`spur server web`): was die Kamera eines Telefons öffnet, wenn sie einen spur-Code liest.
# Auf dem Server gefüllt; das Skript der Seite ergänzt nur, was im Fragment des Codes steht.

web-title-home = spur: Kontaktverfolgung mit Einwilligung
web-home-text = Mit spur checken Sie an Orten per QR-Code ein. Ihre Check-ins bleiben 28 Tage verschlüsselt auf Ihrem Telefon; nur wenn Sie zustimmen, kann das Gesundheitsamt damit die Menschen warnen, die zur selben Zeit dort waren.
web-home-apps = Zum Einchecken installieren Sie die spur-App und scannen den Code eines Ortes mit ihr oder mit der Kamera Ihres Telefons.

web-title-place = Ein Orts-Code
web-title-personal = Ein persönlicher Code
web-title-consent = Ein Freigabe-Code
web-title-unknown = Keine spur-Seite

web-what-place = Dies ist der Code eines Ortes, an dem Sie mit spur einchecken können.
web-what-personal = Dies ist ein persönlicher Code: Die Person, der er gehört, kann sich damit von Orten einchecken lassen.
web-what-consent = Dies ist ein Freigabe-Code: Ein Gesundheitsamt bittet Sie, Ihre Check-ins freizugeben.
web-what-consent-from = Dies ist ein Freigabe-Code des Gesundheitsamts Nr. { $authority }: Es bittet Sie, Ihre Check-ins freizugeben.

web-place-name = Ort
web-place-postcode = Postleitzahl
web-code-unreadable = Die Adresse dieser Seite enthält keinen lesbaren spur-Code. Scannen Sie den Code noch einmal.
web-needs-script = Schalten Sie JavaScript ein, um zu sehen, was dieser Code enthält. Der Inhalt des Codes wird nur hier, in Ihrem Browser, gelesen.

web-open-in-app = In der spur-App öffnen
web-open-in-app-note = Wenn die spur-App installiert ist, öffnet sie diesen Code.
web-browser-checkin = Hier im Browser einchecken
web-browser-checkin-open = Mit diesem Browser einchecken
web-browser-consent-open = Im Browser einwilligen
web-browser-checkin-unavailable = Das Einchecken hier im Browser ist noch nicht verfügbar. Bitte nutzen Sie die spur-App.
web-fragment-note = Was der Code enthält, bleibt in Ihrem Browser: Der Teil der Adresse nach „#“ wird an keinen Server gesendet, auch nicht an diesen.

web-not-found = Unter dieser Adresse gibt es nichts.
web-home-link = Was ist spur?

## The web check-in's own words (`/app/`): shown before the core has loaded (loading, the
## release warning) or about the browser itself; the server puts them into the page's config.
web-app-loading = spur wird geladen…
web-app-login = Mit einer bestehenden Registrierung anmelden
web-app-release-changed = Das Programm dieser Seite hat sich geändert, seit Sie sie hier zuerst benutzt haben. Fahren Sie nur fort, wenn der Betreiber die neue Version angekündigt hat und ihr Hash mit dem veröffentlichten übereinstimmt:
web-app-release-accept = Neue Version verwenden
web-app-offline-kept = Sie sind offline: Der Check-in bleibt hier gespeichert und wird abgeschlossen, sobald das Netz zurück ist.
web-app-failed = Etwas ist schiefgegangen:
web-app-in-memory = Dieser Browser lässt die Seite Ihre Daten nicht behalten: Sie bleiben nur, solange diese Seite offen ist.
