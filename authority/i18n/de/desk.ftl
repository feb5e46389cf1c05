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
