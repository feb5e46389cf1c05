## spur app core: die Beschriftungen der Bildschirme (Knöpfe, Überschriften, Feldnamen) und die
## Datenschutz-Erklärung, auf Deutsch. Jede id hier steht auch in en/captions.ftl (Tests prüfen es).

## Registrierung
caption-app-name = spur
caption-register-title = Willkommen bei spur
caption-privacy-heading = Was mit Ihren Daten geschieht
caption-privacy-text = Ihre Telefonnummer wird auf diesem Telefon für das Gesundheitsamt Ihrer Postleitzahl verschlüsselt und für den Betreiber noch einmal versiegelt gesendet. Niemand kann sie allein lesen: Nur wenn eine infizierte Person, die zur selben Zeit am selben Ort war, zustimmt, kann das zuständige Gesundheitsamt sie lesen. Ihre Check-ins bleiben 28 Tage verschlüsselt auf diesem Telefon.
caption-phone = Telefonnummer (mit +Ländervorwahl)
caption-secret = Geheime Passphrase
caption-secret-hint = Wir schlagen diese Passphrase vor. Schreib sie auf: Du brauchst sie, um deine Check-ins einem Gesundheitsamt freizugeben, und auf einem neuen Telefon. Du kannst stattdessen eine eigene eingeben, wenn sie ebenso schwer zu erraten ist.
caption-secret-propose = Andere vorschlagen
caption-country = Land (zwei Buchstaben)
caption-postcode = Postleitzahl (optional)
caption-campus-id = Campus-Kennung (optional)
caption-birth-year = Geburtsjahr (optional)
caption-register = Registrieren
caption-registered-offline = Auf diesem Gerät registriert; wird gesendet, sobald das Netz zurück ist.

## Startseite
caption-home-title = spur
caption-open-check-in = Sie sind eingecheckt
caption-check-out = Auschecken
caption-checked-out = Ausgecheckt
caption-end-early = Jetzt beenden
caption-stay-longer = Eine Stunde länger bleiben
caption-reminder-heading = Noch da?
caption-no-open-check-in = Sie sind nirgends eingecheckt.
caption-scan-code = Code scannen
caption-my-personal-code = Mein persönlicher Code
caption-create-place-code = Ortscode erstellen
caption-history = Verlauf
caption-consent = Freigabe für das Gesundheitsamt
caption-settings = Einstellungen

## Scannen
caption-scan-title = Code scannen
caption-scan-hint = Halten Sie den QR-Code vor die Kamera.
caption-torch-on = Taschenlampe an
caption-torch-off = Taschenlampe aus
caption-pick-picture = Bild auswählen
caption-camera-preview = Kamerabild
caption-no-camera = Dieses Gerät hat keine Kamera. Wählen Sie stattdessen ein Bild.
caption-camera-permission = spur braucht die Kamera, um QR-Codes zu lesen.
caption-no-code-in-picture = In diesem Bild wurde kein QR-Code gefunden.

## Aufenthalt
caption-stay-title = Wie lange bleiben Sie?
caption-personal-code-scanned = Code einer Person
caption-owners-pin = PIN der Person
caption-check-in = Einchecken

## Persönlicher Code
caption-personal-title = Mein persönlicher Code
caption-optional-pin = PIN für den Code (optional, 4 bis 12 Ziffern)
caption-for-printing = Zum Ausdrucken (Karte für Menschen ohne Smartphone)
caption-make-code = Code erstellen
caption-print-card = Karte drucken (A6)
caption-print-sheet = Bogen mit vier Karten drucken (A4)
caption-own-codes = Auf diesem Gerät erstellte Codes

## Ortscode
caption-place-title = Ortscode erstellen
caption-responsible-phone = Telefonnummer der verantwortlichen Person
caption-place-postcode = Postleitzahl
caption-place-name = Name des Ortes
caption-place-type = Art des Ortes
caption-place-description = Adresse oder Raum (optional)

## Verlauf
caption-history-title = Verlauf (28 Tage)
caption-history-empty = Keine Check-ins.
caption-history-off-note = Der Verlauf ist ausgeschaltet; nur die Zähler werden behalten.

## Freigabe
caption-consent-title = Freigabe
caption-release = Meine Check-ins freigeben
caption-scan-consent-hint = Scannen Sie den Freigabe-Code, den Ihnen das Gesundheitsamt gegeben hat.

## Einstellungen
caption-settings-title = Einstellungen
caption-app-pin = App-PIN (4 bis 12 Ziffern)
caption-set-pin = App-PIN setzen
caption-remove-pin = App-PIN entfernen
caption-pin-saved = Gespeichert.
caption-keep-history = Verlauf meiner Check-ins führen
caption-language = Sprache
# Each language in its own words (the same in both files).
caption-language-english = English
caption-language-german = Deutsch
caption-delete-all = Alle Daten löschen
caption-delete-confirm = Ja, alles löschen
caption-delete-question = Das löscht alles auf diesem Gerät und bittet den Server, Ihre Registrierung zu löschen. Das lässt sich nicht rückgängig machen.

## Sperre
caption-lock-title = spur ist gesperrt
caption-unlock = Entsperren
caption-wrong-pin = Falsche PIN.
caption-back = Zurück

# Ganze Sätze der Bildschirme mit Daten; der Kern setzt die Argumente ein (Uhrzeiten in der Zeit
# des Geräts, Daten als JJJJ-MM-TT), damit keine Oberfläche Wörter zusammensetzt.
screen-running-open = Seit { $since }; endet um { $end }, wenn Sie nicht verlängern.
screen-running-fixed = Seit { $since }, endet um { $end }.
screen-counters-scans = Scans: { $count }
screen-counters-hours = Kontaktstunden: { $hours }
screen-counters-last-scan = Letzter Scan: { $when }
screen-counters-never-scanned = Letzter Scan: noch nie
screen-history-times = { $from } – { $until }
screen-history-times-open = { $from } – noch offen
screen-consent-authority = Gesundheitsamt: { $authority }
screen-consent-case = Fall: { $case }
screen-consent-day = Tag: { $day } (1)
screen-consent-days = Tage: { $first } – { $last } ({ $count })
screen-code-image = QR-Code von { $what }
screen-code-id = Code-Kennung: { $id }
screen-code-id-pin = Code-Kennung: { $id } · mit PIN geschützt
