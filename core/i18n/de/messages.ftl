## spur-App-Kern: Deutsch. Jede Kennung hier muss auch in en/messages.ftl stehen (ein Test prüft das).

## Fehler
error-internal = In der App ist etwas schiefgegangen ({ $what }). Bitte versuche es noch einmal; wenn es wieder passiert, melde es uns.
error-storage = Die App konnte ihre Daten auf diesem Gerät nicht lesen oder schreiben.
error-store-damaged = Die Datendatei der App auf diesem Gerät ist beschädigt. Stellen Sie sie aus einer Sicherung wieder her oder löschen Sie sie, um neu zu beginnen (noch nicht gesendete Check-ins gehen dann verloren).
error-platform-key = Das Gerät hat den Schlüssel nicht herausgegeben, der die Daten der App schützt.
error-key-store = Der Schlüsselspeicher des Geräts konnte den Schlüssel nicht aufbewahren, der die Daten der App schützt. Die App startet nicht, damit sie nie Daten schreibt, die sie später nicht mehr lesen könnte.
error-key-not-kept = Der Schlüsselspeicher des Geräts hat den Schlüssel nicht behalten, der die Daten der App schützt. Die App startet nicht, damit sie nie Daten schreibt, die sie später nicht mehr lesen könnte.
error-local-key-wrong = Die Daten der App lassen sich mit dem Schlüssel dieses Geräts nicht öffnen. Wurde die App von einem anderen Gerät wiederhergestellt?
error-db-too-new = Die Daten der App stammen von einer neueren Version. Bitte aktualisiere die App.
error-offline = Keine Verbindung zu den spur-Servern. Was du getan hast, bleibt gespeichert und wird gesendet, sobald die Verbindung wieder da ist.
error-register-offline = Die spur-Server sind nicht erreichbar, und die Registrierung braucht sie einmal, um Ihr Gesundheitsamt zu finden. Es wurde nichts registriert und nichts auf diesem Gerät gespeichert; bitte versuchen Sie es wieder, wenn Sie online sind.
error-server-busy = Die spur-Server sind ausgelastet (Status { $status }). Was du getan hast, bleibt gespeichert und wird später gesendet.
error-server-refused = Der Server hat die Anfrage abgelehnt: { $message }
error-server-answer = Der Server hat eine Antwort geschickt, die diese App nicht lesen kann. Bitte aktualisiere die App.
error-tag-key-unverified = Der Check-in-Server hat mit einem Schlüssel geantwortet, der nicht zu seinem veröffentlichten Schlüssel passt. Es wurde nichts gespeichert; bitte versuche es später noch einmal.
error-server-url = Die Serveradresse { $url } ist nicht erlaubt: Sie muss mit https:// beginnen.
error-config-key = Der { $what }-Schlüssel der App ist ungültig. Die App ist falsch eingerichtet.
error-config-host = Der Hostname für Codes ist ungültig. Die App ist falsch eingerichtet.
error-directory-bad = Die Liste der Gesundheitsämter ließ sich nicht prüfen. Es wurde nichts gesendet.
error-field = Das Feld „{ $field }“ ist ungültig: { $reason }.
error-not-spur = Das ist kein spur-Code.
scan-other-code = Dieser QR-Code ist kein spur-Code. Scannen Sie den spur-Code eines Ortes oder einer Person oder den Freigabe-Code eines Gesundheitsamts.
error-code-damaged = Dieser spur-Code ist beschädigt oder stammt von einer neueren App-Version.
error-other-service = Dieser Code gehört zu einem anderen Dienst ({ $host }), nicht zu dieser App.
error-not-registered = Bitte registriere dich zuerst.
error-other-account = Dieses Gerät ist mit anderen Zugangsdaten registriert. Lösche zuerst alle Daten, um dich neu zu registrieren.
error-locked = Die App ist gesperrt. Gib deine App-PIN ein.
error-wrong-credentials = Telefonnummer und Geheimnis passen nicht zu deiner Registrierung.
error-login-unknown = Für diese Telefonnummer und dieses Geheimnis wurde keine Registrierung gefunden. Prüfen Sie das Geheimnis (ein Tippfehler ergibt ein anderes); es wurde nichts geändert. Um sich neu zu registrieren, wählen Sie „Registrieren“.
error-login-offline = Zum Anmelden müssen die spur-Server Ihre Telefonnummer und Ihr Geheimnis prüfen, und sie sind nicht erreichbar. Es wurde nichts geändert; bitte versuchen Sie es wieder, wenn Sie online sind.
error-too-many-check-ins = Du kannst dich in derselben Minute höchstens viermal einchecken.
error-consent-not-check-in = Das ist ein Freigabe-Code eines Gesundheitsamts. Öffne ihn unter „Freigabe“, nicht zum Einchecken.
error-code-too-long = Dieser Code ist zu lang zum Zeichnen.
error-bad-image = Das Bild oder Kamerabild ließ sich nicht lesen.
error-not-consent = Das ist kein Freigabe-Code eines Gesundheitsamts.

## Registrierung
phone-empty = Bitte gib deine Telefonnummer ein.
phone-needs-country-code = Beginne die Telefonnummer mit + und der Ländervorwahl, zum Beispiel +49 151 23456789.
phone-bad-character = Nach dem + darf die Telefonnummer nur Ziffern enthalten, nicht „{ $character }“.
phone-country-zero = Nach dem + folgt die Ländervorwahl, die nie mit 0 beginnt. Lass die 0 der Ortsvorwahl weg: +49 151 … statt +49 0151 ….
phone-length = Eine Telefonnummer hat mit Ländervorwahl 8 bis 15 Ziffern; diese hat { $digits }.
country-invalid = Das Land muss ein Kürzel aus zwei Buchstaben sein, etwa DE oder AT.
postcode-invalid = Die Postleitzahl darf nur Buchstaben, Ziffern, Leerzeichen und Bindestriche enthalten (höchstens 10).
postcode-required = Ein Ort braucht eine Postleitzahl.
campus-id-invalid = Die Campus-Kennung darf höchstens { $max } Zeichen haben.
country-unknown = „{ $country }“ ist kein Länderkürzel. Nimm das zweibuchstabige ISO-Kürzel des Lands, etwa DE, AT oder CH.
postcode-too-long = Eine Postleitzahl hat höchstens 10 Zeichen.
postcode-bad-character = Die Postleitzahl darf nur Buchstaben, Ziffern, Leerzeichen und Bindestriche enthalten, nicht „{ $character }“.
postcode-separators = Die Postleitzahl darf nicht mit einem Leerzeichen oder Bindestrich beginnen oder enden und keine zwei davon hintereinander haben.
postcode-zeros = Eine Postleitzahl kann nicht nur aus Nullen bestehen.
postcode-five-digits = Postleitzahlen in { $country } haben 5 Ziffern, zum Beispiel 80331.
postcode-four-digits = Postleitzahlen in { $country } haben 4 Ziffern von 1000 bis 9999, zum Beispiel 1010.
postcode-not-covered = Für die Postleitzahl { $postcode } ({ $country }) ist kein Gesundheitsamt zuständig. Prüfe die Postleitzahl; wenn sie stimmt, lass sie leer, dann ist { $default } für dich zuständig.
place-postcode-not-covered = Für die Postleitzahl { $postcode } ({ $country }) ist kein Gesundheitsamt zuständig, darum kann dafür kein Orts-Code erstellt werden. Prüfe die Postleitzahl.
text-control = { $field ->
    [place-name] Der Name des Orts
    [description] Die Beschreibung
   *[campus-id] Die Campus-Kennung
} enthält ein Steuerzeichen ({ $character }). Entferne es.
text-bidi = { $field ->
    [place-name] Der Name des Orts
    [description] Die Beschreibung
   *[campus-id] Die Campus-Kennung
} enthält ein Zeichen, das die Schreibrichtung ändert ({ $character }). Entferne es.
text-invisible = { $field ->
    [place-name] Der Name des Orts
    [description] Die Beschreibung
   *[campus-id] Die Campus-Kennung
} enthält ein unsichtbares Zeichen ({ $character }). Entferne es.
text-line-break = { $field ->
    [place-name] Der Name des Orts
    [description] Die Beschreibung
   *[campus-id] Die Campus-Kennung
} muss eine einzige Zeile sein ({ $character } gefunden). Entferne den Zeilenumbruch.
birth-year-invalid = Das Geburtsjahr muss zwischen 1900 und 2100 liegen.
secret-refused-empty = Gib ein Geheimnis ein oder nimm die vorgeschlagene Passphrase.
secret-refused-digits = Eine PIN oder Zahl ist hier viel zu leicht zu erraten: Wer die Daten des Betreibers und deine Telefonnummer hat, könnte jede einzelne ausprobieren. Nimm die vorgeschlagene Passphrase oder eine längere eigene.
secret-refused-phone = Das enthält deine Telefonnummer, und die kennt ein Angreifer schon. Nimm die vorgeschlagene Passphrase oder eine eigene ohne sie.
secret-refused-common = Das ist ein häufiges Passwort oder ähnelt einem: Es gehört zu den ersten Versuchen eines Angreifers. Nimm die vorgeschlagene Passphrase oder eine längere eigene.
secret-refused-keyboard = Tastenreihen und Tastenmuster gehören zu den ersten Versuchen. Nimm die vorgeschlagene Passphrase oder eine längere eigene.
secret-refused-repeats = Wiederholte Zeichen oder Teile helfen kaum. Nimm die vorgeschlagene Passphrase oder eine längere eigene.
secret-refused-sequence = Folgen wie abc oder 6543 gehören zu den ersten Versuchen. Nimm die vorgeschlagene Passphrase oder eine längere eigene.
secret-refused-date = Daten und Jahreszahlen gehören zu den ersten Versuchen. Nimm die vorgeschlagene Passphrase oder eine längere eigene.
secret-refused-word = Ein einzelnes Wort ist leicht zu erraten. Nimm die vorgeschlagene Passphrase oder mehrere eigene Wörter.
secret-refused-name = Namen gehören zu den ersten Versuchen. Nimm die vorgeschlagene Passphrase oder eine längere eigene.
secret-refused-short = Zu leicht zu erraten für dieses Geheimnis: Wer die Daten des Betreibers hat, könnte es mit erreichbarem Aufwand durchprobieren. Nimm die vorgeschlagene Passphrase oder füge Wörter hinzu.
secret-enough = Gut genug: Zum Erraten bräuchte man die Daten des Betreibers und weit mehr Rechenleistung, als irgendwer hat.
secret-strong = Stark: durch Raten nicht zu knacken.
secret-renew-advice = Dein Geheimnis ist schwächer, als die App jetzt verlangt: Wer die Daten des Betreibers hat, könnte es erraten. Um deine künftigen Check-ins zu schützen, wähle in den Einstellungen „Alle Daten löschen“ und registriere dich neu mit einer vorgeschlagenen Passphrase.

## Einchecken
stay-short = Kurzer Kontakt (wenige Minuten)
stay-minutes = { $minutes } Minuten
stay-hours = { $hours ->
    [one] 1 Stunde
   *[other] { $hours } Stunden
}
stay-open = Bis ich auschecke (endet nach { $hours ->
    [one] 1 Stunde
   *[other] { $hours } Stunden
}, wenn ich nicht verlängere; vorher kommt eine Erinnerung)
stay-open-minutes = Bis ich auschecke (endet nach { $minutes } Minuten, wenn ich nicht verlängere; vorher kommt eine Erinnerung)
stay-invalid = Wähle eine Aufenthaltsdauer aus der Liste: kurzer Kontakt, 15 Minuten bis 4 Stunden oder offen.
personal-code = Persönlicher Code
error-not-running = Dieser Check-in ist schon beendet.
checkin-fixed-place = Sie sind bei { $place } eingecheckt, von { $from } bis { $until }.
checkin-fixed-personal = Sie sind mit einem persönlichen Code eingecheckt, von { $from } bis { $until }.
checkin-open-place = Sie sind seit { $from } bei { $place } eingecheckt. Checken Sie aus, wenn Sie gehen: Der Check-in endet um { $until }, wenn Sie ihn nicht verlängern, und Sie werden um { $remind } erinnert.
checkin-open-personal = Sie sind seit { $from } mit einem persönlichen Code eingecheckt. Checken Sie aus, wenn es vorbei ist: Der Check-in endet um { $until }, wenn Sie ihn nicht verlängern, und Sie werden um { $remind } erinnert.
checkin-merged-place = Sie waren seit { $from } schon bei { $place } eingecheckt, deshalb wurde kein zweiter Aufenthalt begonnen. Der Aufenthalt dauert jetzt bis { $until }.
checkin-merged-personal = Sie waren seit { $from } schon mit diesem persönlichen Code eingecheckt, deshalb wurde kein zweiter Aufenthalt begonnen. Der Aufenthalt dauert jetzt bis { $until }.
checkin-ended-previous-place = Damit endete Ihr Check-in bei { $place } um { $time }.
checkin-ended-previous-personal = Damit endete Ihr Check-in mit einem persönlichen Code um { $time }.
checkin-online = Die Server waren erreichbar; der Check-in wird gesendet, wenn der Aufenthalt endet.
checkin-offline = Es gibt keine Verbindung zu den spur-Servern: Der Check-in bleibt auf diesem Gerät gespeichert und wird vervollständigt, sobald die Verbindung wieder da ist.
checkout-place = Sie haben um { $time } bei { $place } ausgecheckt.
checkout-personal = Sie haben Ihren Check-in mit einem persönlichen Code um { $time } beendet.
checkout-sent = Er wurde gesendet.
checkout-kept = Er bleibt auf diesem Gerät gespeichert und wird gesendet, sobald die Verbindung wieder da ist.
reminder-place = Sind Sie noch bei { $place }? Ihr Check-in endet um { $until }. Checken Sie aus, wenn Sie gegangen sind, oder bleiben Sie länger.
reminder-personal = Läuft der Check-in mit einem persönlichen Code noch? Er endet um { $until }. Checken Sie aus, wenn er vorbei ist, oder verlängern Sie ihn.
pin-format = Eine PIN hat 4 bis 12 Ziffern.
pin-wait = Zu viele falsche PINs. Versuche es in { $seconds } Sekunden wieder.
place-name-invalid = Der Name des Orts muss 1 bis 64 Zeichen haben.
place-description-invalid = Die Beschreibung darf höchstens 128 Zeichen haben.

## Arten von Orten
kind-gastronomy = Restaurant, Café, Bar
kind-retail = Geschäft
kind-company = Firma, Büro
kind-education = Schule, Hochschule
kind-event = Veranstaltung
kind-other = Anderes

## Freigabe
consent-text = { $authority } bittet dich, deine Check-ins für den Fall { $case } freizugeben: { $days ->
    [one] einen Tag, { $first }
   *[other] { $days } Tage, { $first } bis { $last }
}. Nur mit deiner Freigabe kann das Amt die Menschen finden, die zur selben Zeit an denselben Orten waren wie du. Sonst wird nichts freigegeben. Um zuzustimmen, gib deine Telefonnummer und dein Geheimnis ein.
consent-refused-signature = Dieser Freigabe-Code ist nicht echt: Seine Signatur passt zu keinem Gesundheitsamt. Es wurde nichts freigegeben.
consent-refused-expired = Dieser Freigabe-Code ist abgelaufen. Bitte das Gesundheitsamt um einen neuen. Es wurde nichts freigegeben.
consent-refused-used = Dieser Freigabe-Code wurde schon verwendet. Es wurde nichts erneut freigegeben.
consent-refused-unknown-authority = Dieser Freigabe-Code nennt ein Gesundheitsamt, das diese App nicht kennt. Es wurde nichts freigegeben.
consent-refused-person = Dieser Freigabe-Code wurde für eine andere Person erstellt. Nur die Person, für die das Gesundheitsamt ihn erstellt hat, kann ihn verwenden; bitte das Gesundheitsamt um einen eigenen Code. Es wurde nichts freigegeben.
consent-refused-future = Dieser Freigabe-Code fragt nach Tagen, die noch nicht vergangen sind. Bitte Datum und Uhrzeit dieses Geräts prüfen; stimmen sie, das Gesundheitsamt um einen neuen Code bitten. Es wurde nichts freigegeben.
consent-refused-policy = Dieser Freigabe-Code verletzt die Regeln für Freigabe-Codes ({ $reason }). Bitte das Gesundheitsamt um einen neuen. Es wurde nichts freigegeben.
consent-given = Danke. Deine Check-ins der erbetenen Tage wurden an { $authority } freigegeben.

## Gedruckte Karte
card-title = Meine spur-Karte
card-instructions = Zeige diese Karte, wenn du einen Ort besuchst. Wer dich eincheckt, scannt sie mit der spur-App. Bewahre sie wie einen Schlüssel auf: Wer sie hat, kann sich in deinem Namen einchecken.
card-pin-note = Diese Karte ist mit deiner PIN geschützt. Wer sie scannt, braucht die PIN von dir.
card-place-instructions = Scanne diesen Code mit der Handykamera, um dich einzuchecken. Deine Daten bleiben verschlüsselt; nur ein Gesundheitsamt kann sie lesen, und nur mit Zustimmung einer infizierten Person.

## Status
sync-pending = { $count ->
    [one] Ein Upload wartet auf das Netz.
   *[other] { $count } Uploads warten auf das Netz.
}
sync-lost = { $count ->
    [one] Ein Check-in konnte nicht rechtzeitig abgeschlossen werden und wurde verworfen.
   *[other] { $count } Check-ins konnten nicht rechtzeitig abgeschlossen werden und wurden verworfen.
}
delete-done = Alle Daten auf diesem Gerät wurden gelöscht, und der Server hat deine Registrierung verworfen.
delete-pending = Alle Daten auf diesem Gerät wurden gelöscht. Die Bitte, deine Registrierung zu verwerfen, wird gesendet, sobald das Netz wieder da ist.

## Codes bound to their data, PIN checks, codes nobody issued (issue 13)
error-code-altered = Dieser Code wurde verändert (Name, Postleitzahl oder Art passen nicht zum Code). Checke damit nicht ein.
error-code-not-issued = Dieser Code wurde nicht von spur ausgegeben. Checke damit nicht ein.
error-pin-wrong = Falsche PIN (oder die Karte ist noch nicht bekannt). Es wurde nichts gespeichert.
error-pin-too-many = Zu viele falsche PINs für diese Karte; versuche es in einer Stunde wieder.
check-in-pin-unchecked = PIN noch nicht geprüft: der Check-in zählt, sobald die PIN online bestätigt ist.
sync-not-issued = { $count ->
    [one] Ein Check-in wurde verworfen: sein Code wurde nicht von spur ausgegeben.
   *[other] { $count } Check-ins wurden verworfen: ihre Codes wurden nicht von spur ausgegeben.
}
sync-wrong-pin = { $count ->
    [one] Ein Check-in wurde verworfen: falsche PIN (oder die Karte ist nicht bekannt).
   *[other] { $count } Check-ins wurden verworfen: falsche PIN (oder die Karte ist nicht bekannt).
}
