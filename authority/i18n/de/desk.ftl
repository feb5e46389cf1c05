# The desk's contact lists, sheets (consent sheet, contact list PDF) and messages.
desk-title = Schreibtisch des Gesundheitsamts

## Time and counts
desk-date = { $day }.{ $month }.{ $year }
desk-local-time = { $day }.{ $month }.{ $year } { $time } { $zone ->
    [CET] MEZ
    [CEST] MESZ
   *[other] { $zone }
}
desk-people = { $people ->
    [one] 1 Person
   *[other] { $people } Personen
}
desk-stays = { $stays ->
    [one] 1 Aufenthalt
   *[other] { $stays } Aufenthalte
}
desk-days = { $days ->
    [one] 1 Tag
   *[other] { $days } Tage
}
desk-slot-entries = { $entries ->
    [one] 1 Slot-Eintrag
   *[other] { $entries } Slot-Einträge
}
desk-people-stays = { desk-people }, { desk-stays }
desk-minutes = { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
}

## The contact list
desk-list-title = Kontaktliste zum Fall { $case } ({ $authority })
desk-list-made = Erstellt { $time }; Zeiten in { $zone }.
desk-list-empty = Zu diesem Fall liegen an diesem Schreibtisch keine Kontakte vor.
desk-col-case = Fall
desk-col-person = Person
desk-col-phone = Telefon
desk-col-reason = nicht aufgelöst, weil
desk-col-found = gefunden über
desk-col-card-owner = Karteninhaber
desk-col-campus = Campus-ID
desk-col-country = Land
desk-col-postcode = Postleitzahl
desk-col-birth-year = Geburtsjahr
desk-col-stays = Anzahl Aufenthalte
desk-col-stay-details = Aufenthalte: wann, Ort, Adresse, Telefon des Orts, Überschneidung
desk-col-place = Ort
desk-col-address = Adresse
desk-col-place-phone = Telefon des Orts
desk-col-time-in = von
desk-col-time-out = bis
desk-col-overlap = Überschneidung (Minuten)
desk-found-place = einen Ort
desk-found-personal-code = einen persönlichen Code
desk-found-card = die Karte der infizierten Person
desk-found-stay = einen Aufenthalt der infizierten Person
desk-card-owner = Inhaber des persönlichen Codes, den die infizierte Person gescannt hat
desk-yes = ja
desk-no = nein
desk-status-pending = noch nicht aufgelöst
desk-status-deleted = gelöscht
desk-status-other-authority = bei einem anderen Gesundheitsamt
desk-reason-pending = noch nicht aufgelöst: die Antwort des Tresors auf die Auflösungsanfrage ist noch zu öffnen
desk-reason-deleted = gelöscht: die Person hat ihre Daten gelöscht, oder sie sind abgelaufen
desk-reason-other-authority = bei einem anderen Gesundheitsamt (dort liegen ihre Kontaktdaten)
desk-reason-outside-case = abgelehnt: außerhalb des Falls
desk-reason-does-not-open = übersprungen: die Kontaktdaten lassen sich nicht öffnen
desk-reason-bad-field = übersprungen: die Kontaktdaten sind ungültig
desk-place-unresolved = ein Ort (sein Name ist noch aufzulösen)
desk-place-elsewhere = ein Ort, dessen Angaben bei { $authority } liegen
desk-code-owner-listed = ein persönlicher Code (sein Inhaber steht in dieser Liste)
desk-code-owner-elsewhere = ein persönlicher Code, dessen Inhaber bei { $authority } ist (dorthin weitergegeben)
desk-code-unresolved = ein persönlicher Code (sein Inhaber ist noch aufzulösen)
desk-own-code = die eigene Karte oder der eigene persönliche Code der infizierten Person
desk-forwarded-stay = ein Aufenthalt im Fall { $case } von { $authority } ({ $from } bis { $to }); den Ort kennt { $authority }
desk-forwarded-card = die Karte oder der persönliche Code der infizierten Person, im Fall { $case } von { $authority } ({ $from } bis { $to })
desk-forwarded-owner = der eigene persönliche Code dieser Person, von der infizierten Person gescannt im Fall { $case } von { $authority } ({ $from } bis { $to })
desk-stay-day = { $date }, { $from }–{ $to } { $zone }
desk-stay-span = { $from } bis { $to }
desk-stay-line = { $when }: { $place }{ $address }{ $phone }, Überschneidung { desk-minutes }
desk-person-found = gefunden über { $found }

## The consent sheet
desk-sheet-title = spur: Einwilligung zur Kontaktnachverfolgung
desk-sheet-case = Fall { $case }
desk-sheet-days = Gibt Ihre Check-ins vom { $first } bis { $last } frei ({ desk-days })
desk-sheet-valid = Gültig bis { $time }; nur einmal verwendbar.
desk-sheet-howto = Nur für Sie ausgestellt: scannen Sie ihn mit der spur-App und geben Sie Ihre Zugangsdaten ein, um einzuwilligen.

## Messages of `spur authority`
desk-msg-init = Schlüssel des Schreibtischs erstellt (Sprache { $lang }, Zeitzone { $zone }); geben Sie { $entry } dem Betreiber
desk-msg-pinned = Verzeichnis { $serial } mit { $count ->
    [one] 1 Gesundheitsamt
   *[other] { $count } Gesundheitsämtern
} hinterlegt
desk-msg-code-made = { $png }, { $pdf } und { $code } geschrieben; im Fallregister eingetragen
desk-msg-code-hand = geben Sie { $code } mit dem Fall { $case } dem Betreiber des Tresors
desk-msg-consent-opened = Fall { $case }: { desk-stays }; für den Tresor: { $scan } und { $resolve }
desk-msg-note = Hinweis: { $note }
desk-msg-skipped-case = { $what } (protokolliert; der übrige Fall ist nicht betroffen)
desk-msg-skipped-contacts = { $what } (protokolliert; die übrigen Kontakte sind nicht betroffen)
desk-msg-skipped-final = { $what } (protokolliert; als solche gelistet, nicht erneut angefragt)
desk-msg-contacts-opened = Fall { $case } von { $authority }: { desk-slot-entries } geöffnet; die Liste hat jetzt { desk-people-stays }
desk-msg-place-labels = { $count ->
    [one] 1 Ort benannt
   *[other] { $count } Orte benannt
} von { $authority }
desk-msg-for-vault = für den Tresor: { $file }
desk-msg-gone = { $count ->
    [one] 1 Registrierung wird
   *[other] { $count } Registrierungen werden
} nicht aufgelöst (gelöscht, bei einem anderen Gesundheitsamt oder außerhalb des Falls): als solche gelistet, endgültig
desk-msg-more = geöffnet; noch aufzulösen, für den Tresor: { $file } (eine weitere Runde: die Antwort des Tresors darauf kommt wieder zu `spur authority open resolved`)
desk-msg-resolved = geöffnet; alles ist aufgelöst: `spur authority contacts --case { $case } --authority { $authority }` schreibt die Liste
desk-msg-relay = { $count ->
    [one] 1 Nutzereintrag
   *[other] { $count } Nutzereinträge
} ausgepackt (hier weiterhin unlesbar); für den Tresor: { $file }
desk-msg-relayed = Fall { $case }: { $count ->
    [one] 1 Aufenthalt
   *[other] { $count } Aufenthalte
} hinzugefügt
desk-msg-for-vault-two = für den Tresor: { $a } und { $b }
desk-msg-unopened = Hinweis: { $count ->
    [one] 1 Eintrag ließ
   *[other] { $count } Einträge ließen
} sich bei keinem Gesundheitsamt öffnen
desk-msg-card-trace = Kartennachverfolgung für Fall { $case }: für den Tresor: { $file }
desk-msg-list = Fall { $case }: { desk-people-stays }
desk-msg-list-written = { $file } geschrieben
desk-msg-sweep = { $deleted } Falldatei(en) gelöscht, die seit mehr als 28 Tagen unverändert waren; { $kept } behalten
desk-msg-audit-ok = Prüfprotokoll bestätigt: { $lines } Zeilen, Kopf { $head }
desk-msg-audit-unconfirmed =   { $count } Zeile(n) nach dem letzten bestätigten Schritt: ein Schritt wurde nach dem Protokollieren unterbrochen; der nächste Befehl bestätigt sie
desk-msg-audit-torn =   { $count } Byte(s) einer abgerissenen letzten Zeile: ein Schreiben wurde unterbrochen; der nächste Befehl schneidet sie ab
desk-msg-history-written = { $file } geschrieben: die signierte Anfrage nach den früheren Schlüsseln der Karte, 10 Minuten gültig
desk-msg-history-send = um sie an den TAG-Server zu senden, führen Sie diesen Befehl erneut mit `--tag-url <URL des TAG-Servers> --answer <antwort.json>` aus (er sendet die Anfrage und bewahrt die Antwort auf); dann verfolgen Sie die Karte mit `spur authority card-trace --request { $file } --tmp-keys <antwort.json> …` (eine Person nur mit Karte) oder öffnen das Einwilligungspaket mit `spur authority open consent --tmp-keys <antwort.json> …` (die eigene Karte der Person)
desk-msg-history-answer = { $file } geschrieben: die Antwort des TAG-Servers ({ $count ->
    [one] 1 Schlüssel
   *[other] { $count } Schlüssel
})

## Notes from opening a consent package
desk-note-own-code = der eigene persönliche Code { $code } braucht seine früheren TMP-Schlüssel: `spur authority history-request --qr-id { $code } --first-day … --out … --tag-url <URL des TAG-Servers> --answer <antwort.json>`, dann das Paket erneut mit `--tmp-keys <antwort.json>` öffnen
desk-note-nowhere = { $count ->
    [one] 1 Nutzereintrag lässt
   *[other] { $count } Nutzereinträge lassen
} sich weder hier noch anderswo öffnen (an ein früheres Heimat-Gesundheitsamt versiegelt?)
desk-note-relayed = { $count ->
    [one] 1 Nutzereintrag ist
   *[other] { $count } Nutzereinträge sind
} an das Heimat-Gesundheitsamt der Person ({ $authority }) versiegelt: über den Tresor dorthin weitergeleitet; öffnen Sie, was zurückkommt, mit `spur authority open relayed`

## Refusals of `spur authority`
desk-err-date = { $text } ist kein Datum: schreiben Sie es als JJJJ-MM-TT (YYYY-MM-DD)
desk-err-pin-post = diese Karte ist mit einer PIN geschützt: geben Sie --post <URL des POST-Servers> an, damit die PIN geprüft wird, bevor die Anfrage verwendet wird
desk-err-pin-check = die PIN konnte beim POST-Server nicht geprüft werden ({ $why }); nichts wurde verwendet
desk-err-not-card = dies ist nicht die URL eines persönlichen Codes (des QR-Codes einer Karte)
desk-err-tag-refused = der TAG-Server hat die Anfrage abgelehnt: { $status } { $body }
desk-err-phone = --phone: die Nummer (E.164, z. B. +4915112345678) der Person, für die der Code ist
desk-err-valid-hours = --valid-hours muss 1 bis { $max } sein (ein Einwilligungscode gilt höchstens 7 Tage); geben Sie eine kleinere Zahl an
desk-err-no-contacts = keine Kontakte zum Fall { $case } (Gesundheitsamt { $authority }) an diesem Schreibtisch: öffnen Sie zuerst die Kontaktdatei des Tresors (`spur authority open contacts …`)
desk-err-qr-or-card = geben Sie --qr-id oder --card an
desk-err-days-range = die Tage liegen außerhalb des Bereichs: prüfen Sie --first-day und --days

## The desk's own refusals (DeskError)
desk-err-not-from-vault = Paket abgelehnt: nur der Tresor sendet Dateien an einen Schreibtisch
desk-err-not-initialised = { $dir } ist noch kein Schreibtisch-Ordner: führen Sie `spur authority --dir { $dir } init --id <Nummer> --name <Name> --range DE:<von>-<bis>` und dann `spur authority --dir { $dir } pin …` mit den Dateien des Betreibers aus
desk-err-not-pinned = abgelehnt: dieser Schreibtisch hat noch kein Verzeichnis: führen Sie zuerst `spur authority pin` aus
desk-err-no-case-file = abgelehnt: keine Falldatei zum Fall { $case } an diesem Schreibtisch
desk-err-no-contact-list = abgelehnt: zum Fall { $case } gibt es an diesem Schreibtisch keine Kontaktliste
desk-err-not-on-list = abgelehnt: diese Nummer steht nicht auf der Kontaktliste des Falls
desk-err-note-long = abgelehnt: die Notiz ist länger als { $max } Zeichen
desk-err-range-form = abgelehnt: Postleitzahlbereich { $range }: schreiben Sie ihn als DE:80000-81999
desk-err-id-zero = abgelehnt: die Gesundheitsamt-Nummer 0 ist dem Tresor vorbehalten
desk-err-name = abgelehnt: der Name des Gesundheitsamts { $name } { $reason }
desk-err-range-country = abgelehnt: Postleitzahlbereich { $range }: das Land { $reason }
desk-err-range-end = abgelehnt: Postleitzahlbereich { $range }: { $postcode } { $reason }
desk-err-card-not-this-request = abgelehnt: Kartenverfolgung: die Anfrage nach der TMP-Historie ist nicht die dieses Schreibtischs für diese Karte
desk-err-card-other-card = abgelehnt: Kartenverfolgung: die Datei mit der TMP-Historie gehört zu einer anderen Karte
desk-err-card-other-authority = abgelehnt: Kartenverfolgung: die Anfrage nach der TMP-Historie ist die eines anderen Gesundheitsamts
desk-err-card-codes-differ = abgelehnt: Kartenverfolgung: Anfrage, Antwort des TAG-Servers und Karte nennen verschiedene Codes
desk-err-card-no-key = abgelehnt: Kartenverfolgung: die Antwort des TAG-Servers hat keinen Schlüssel für die angefragten Zeitfenster
desk-err-card-wrong-pin = abgelehnt: Kartenverfolgung: falsche PIN (oder die Karte ist dem POST-Server nicht bekannt); nichts wurde verwendet
desk-err-card-too-many-pins = abgelehnt: Kartenverfolgung: zu viele falsche PINs für diese Karte; versuchen Sie es in einer Stunde wieder
desk-err-card-pin-no-post = abgelehnt: diese Karte ist mit einer PIN geschützt, und dieser Schreibtisch wurde ohne die URL des POST-Servers gestartet, um die PIN zu prüfen: starten Sie `spur authority serve` mit --post neu
desk-err-card-step-one = abgelehnt: stellen Sie zuerst die Anfrage nach der Historie für diesen Fall (Schritt 1)
desk-err-pin-check-failed = abgelehnt: die PIN-Prüfung ist fehlgeschlagen
desk-err-not-loopback = abgelehnt: { $listen } ist keine Loopback-Adresse: die Seiten des Schreibtischs enthalten Telefonnummern und werden über einfaches HTTP ausgeliefert, daher nur auf 127.0.0.1; um sie anderswo anzubieten, stellen Sie einen TLS-Proxy davor und geben --allow-remote an
desk-err-no-staff = abgelehnt: dieser Schreibtisch hat noch kein Mitarbeiterkonto: legen Sie zuerst eines mit `spur authority staff add --name NAME` an
desk-err-staff-name = abgelehnt: ein Mitarbeitername besteht aus 1 bis 32 Zeichen aus a-z, 0-9, '.', '-', '_'
desk-err-staff-password = abgelehnt: das Passwort muss mindestens { $min } Zeichen haben
desk-err-staff-exists = abgelehnt: das Mitarbeiterkonto { $name } gibt es schon: geben Sie --reset an, um ein neues Passwort zu setzen
desk-err-password-hash = abgelehnt: das Passwort konnte nicht gehasht werden: { $why }
desk-err-nonce-twice = abgelehnt: ein Code mit dieser Nonce ist schon registriert
desk-err-code-unknown = abgelehnt: dieser Schreibtisch hat für den Fall { $case } keinen Einwilligungscode mit dieser Nonce ausgegeben: die Freigaben in dieser Datei antworten auf keinen unserer Codes und wurden nicht geöffnet; fragen Sie den Betreiber des Tresors, welche Code-Datei er verwendet hat
desk-err-code-other-case = abgelehnt: die Datei nennt den Fall { $case }, aber unser Code mit dieser Nonce ist für den Fall { $ours }: nicht geöffnet
desk-reason-auth-closed = ihr AUTH-Teil lässt sich nicht öffnen ({ $why })
desk-reason-auth-other-case = ihr AUTH-Teil nennt einen anderen Fall oder Code
desk-reason-other-person = sie stammt von einer anderen Person: ihre Telefonnummer ist nicht die, für die der Code ausgegeben wurde
desk-reason-other-days = sie gibt Tage frei, nach denen der Code nicht fragt
desk-reason-candidate = Freigabe { $number } abgelehnt: { $reason }
desk-err-no-release = abgelehnt: keine Freigabe in dieser Datei stammt von der Person, für die der Code zum Fall { $case } ausgegeben wurde ({ $reasons }); nichts wurde geöffnet. Bitten Sie die Person, mit ihrer eigenen App einzuwilligen; wurde der Code von jemand anderem verwendet, geben Sie mit `spur authority consent-code` einen neuen aus
desk-err-not-candidate = abgelehnt: --candidate { $number } ist keine Freigabe der Person des Codes; zur Wahl stehen { $choices }
desk-err-candidates = abgelehnt: { $count } Freigaben aus verschiedenen Registrierungen tragen die Telefonnummer, für die der Fall { $case } ausgegeben wurde:
    { $lines }
    Fragen Sie die Person, wann und wo sie eingecheckt hat, und führen Sie dies dann mit --candidate N erneut aus
desk-err-no-candidate = abgelehnt: kein Kandidat zum Öffnen
desk-err-file-for-vault = abgelehnt: dies ist eine Datei, die ein Schreibtisch für den Tresor schreibt: geben Sie sie dem Tresor, nicht dem Schreibtisch
desk-err-file-other-authority = abgelehnt: diese Datei ist für das Gesundheitsamt { $to }, nicht für diesen Schreibtisch
desk-err-directory-lacks = abgelehnt: das Verzeichnis führt das Gesundheitsamt { $id } nicht
desk-err-directory-other-keys = abgelehnt: das Verzeichnis führt andere Schlüssel für dieses Gesundheitsamt
desk-err-language = abgelehnt: Sprache { $lang }: der Schreibtisch spricht de (Deutsch) und en (Englisch)
desk-err-time-zone = abgelehnt: die Zeitzone { $zone } ist keine IANA-Zeitzone wie Europe/Berlin
desk-err-code-days = abgelehnt: --days muss 1 bis 28 sein
desk-err-code-calendar = abgelehnt: die Tage reichen über das Ende des Kalenders hinaus: prüfen Sie --first-day
desk-err-code-future = abgelehnt: der Code würde nach Tagen nach heute fragen ({ $first } bis { $last }): eine Einwilligung gibt nur vergangene Tage frei; wählen Sie --first-day und --days so, dass der letzte Tag heute ({ $today }) oder früher ist
desk-err-code-too-old = abgelehnt: der Code würde nach Tagen fragen, die älter als 28 Tage sind und überall gelöscht werden: geben Sie --first-day { $oldest } oder später an
desk-err-code-lifetime = abgelehnt: ein Einwilligungscode gilt 1 bis { $hours } Stunden (7 Tage): geben Sie ein kleineres --valid-hours an
desk-err-qr-text = abgelehnt: der QR-Code kann diesen Text nicht fassen: { $why }
desk-err-worded = abgelehnt: { $text }
desk-err-card-unverified = abgelehnt: Kartenverfolgung: die Antwort des TAG-Servers lässt sich nicht mit seinem veröffentlichten Schlüssel prüfen
desk-reason-other-registration = sie stammt aus einer anderen Registrierung als die erste Freigabe des Kandidaten
desk-reason-device = Freigabe { $number } (Gerät { $device }) abgelehnt: { $reason }
desk-skips = { $total ->
    [one] 1 Datensatz übersprungen
   *[other] { $total } Datensätze übersprungen
}: { $parts }
desk-skip-unknown-authority = { $count ->
    [one] 1 nennt ein Gesundheitsamt, das nicht im Verzeichnis steht
   *[other] { $count } nennen ein Gesundheitsamt, das nicht im Verzeichnis steht
}
desk-skip-does-not-open = { $count ->
    [one] 1 lässt sich mit dem vorgesehenen Schlüssel nicht öffnen
   *[other] { $count } lassen sich mit dem vorgesehenen Schlüssel nicht öffnen
}
desk-skip-bad-field = { $count ->
    [one] 1 enthält ungültige Felder
   *[other] { $count } enthalten ungültige Felder
}
desk-skip-deleted = { $count ->
    [one] 1 verweist auf eine gelöschte oder abgelaufene Registrierung
   *[other] { $count } verweisen auf eine gelöschte oder abgelaufene Registrierung
}
desk-skip-outside-case = { $count ->
    [one] 1 nennt etwas, das der Fall nicht erreicht hat
   *[other] { $count } nennen etwas, das der Fall nicht erreicht hat
}
desk-skip-other-authority = { $count ->
    [one] 1 ist an ein anderes Gesundheitsamt versiegelt
   *[other] { $count } sind an ein anderes Gesundheitsamt versiegelt
}
desk-err-tag-failed = abgelehnt: die Anfrage nach der Historie konnte nicht an den TAG-Server gesendet werden
