# The desk's web pages (spur authority serve).
web-title = Kontaktnachverfolgung
web-skip = Zum Inhalt springen
web-nav-label = Hauptmenü
web-nav-cases = Fälle
web-nav-import = Datei einlesen
web-nav-card = Karten-Nachverfolgung
web-nav-audit = Protokoll
web-logout = Abmelden ({ $name })
web-back = Zurück
web-error-title = Das hat nicht geklappt
web-not-found = Diese Seite oder Datei gibt es nicht.
web-login-title = Anmelden
web-login-name = Name
web-login-password = Passwort
web-login-submit = Anmelden
web-login-wrong = Name oder Passwort ist falsch.
web-login-locked = Zu viele falsche Passwörter für diesen Namen: bitte in 15 Minuten wieder versuchen.
web-cases-title = Fälle
web-cases-list = Fälle auf einen Blick
web-cases-none = Noch keine Fälle. Unten einen Fall anlegen.
web-case-of = ein Fall der Behörde { $authority }
web-case = Fall
web-stage = Stand
web-next = Nächster Schritt
web-people = { $count ->
    [one] 1 Person auf der Kontaktliste
   *[other] { $count } Personen auf der Kontaktliste
}
web-unresolved = { $count ->
    [one] 1 Kontakt wird noch aufgelöst
   *[other] { $count } Kontakte werden noch aufgelöst
}
web-stage-release = Wartet auf die Freigabe der Person
web-stage-vault = Wartet auf den Tresor
web-stage-resolving = Kontakte kommen herein
web-stage-ready = Kontakte bereit
web-next-release = Der Person den Einwilligungscode geben (am Bildschirm oder als gedrucktes Blatt). Hat sie ihre Tage freigegeben, schickt der Tresor eine Einwilligungsdatei: hier einlesen.
web-next-vault = Die Dateien für den Tresor dem Tresor-Betrieb übergeben, dann die Kontaktdatei einlesen, die der Tresor zurückschickt.
web-next-resolving = Die neueste Datei für den Tresor dem Tresor-Betrieb übergeben und seine Antwort einlesen.
web-next-ready = Die Kontakte anrufen und zu jedem einen Anrufstand und eine Notiz festhalten.
web-open-title = Fall anlegen
web-open-help = Erstellt einen Einwilligungscode für eine Person: nur ihre App nimmt ihn an, und nur die erfragten Tage werden freigegeben.
web-open-case = Aktenzeichen
web-open-case-help = Buchstaben, Ziffern, - und /, bis zu 16 Zeichen.
web-open-phone = Telefonnummer der Person
web-open-phone-help = Internationale Schreibweise, zum Beispiel +49 151 23456789.
web-open-first-day = Erster Tag
web-open-days = Anzahl der Tage
web-open-days-help = 1 bis 28; der letzte Tag ist spätestens heute.
web-open-submit = Einwilligungscode erstellen
web-error-phone = Das ist keine Telefonnummer: bitte international schreiben, zum Beispiel +4915123456789.
web-error-date = Das ist kein Datum.
web-error-days = Die Anzahl der Tage muss 1 bis 28 sein.
web-error-status = Unbekannter Anrufstand.
web-error-no-file = Bitte eine Datei zum Einlesen wählen.
web-case-title = Fall { $case }
web-status = Fortschritt
web-case-days = Erfragte Tage: ab { $first },
web-days = { $count ->
    [one] 1 Tag
   *[other] { $count } Tage
}
web-code-title = Einwilligungscode
web-code-help = Die Person scannt diesen Code mit ihrer spur-App, oder Sie drucken das Blatt aus und geben es ihr.
web-code-alt = Einwilligungscode zum Scannen mit der spur-App
web-code-url = Adresse des Codes:
web-code-sheet = Einwilligungsblatt drucken (PDF)
web-files-title = Dateien für den Tresor
web-files-none = Noch keine Dateien für den Tresor.
web-files-help = Diese Dateien herunterladen und dem Tresor-Betrieb übergeben:
web-import-link = Datei vom Tresor einlesen
web-contacts-title = Kontaktliste
web-contacts-none = Niemand wurde mit der infizierten Person gefunden.
web-contacts-not-yet = Noch keine Kontakte: sie kommen mit der Kontaktdatei des Tresors.
web-contacts-filter = Liste filtern
web-stays-of = Aufenthalte von { $who }
web-stay-place = Ort
web-stay-in = Von
web-stay-out = Bis
web-card-owner = besitzt einen persönlichen Code, den die infizierte Person gescannt hat
web-place-phone = verantwortlich: { $phone }
web-stay-overlap = Gemeinsam
web-minutes = { $count ->
    [one] 1 Minute
   *[other] { $count } Minuten
}
web-call-status = Anrufstand
web-call-note = Notiz
web-call-save = Speichern
web-call-by = zuletzt geändert von { $name }
web-call-not-called = Noch nicht angerufen
web-call-no-answer = Nicht erreicht
web-call-reached = Erreicht und informiert
web-call-call-back = Rückruf vereinbart
web-call-wrong-number = Nummer funktioniert nicht
web-import-title = Datei vom Tresor einlesen
web-import-upload = Hochladen
web-import-help = Eine Datei wählen, die Sie vom Tresor-Betrieb bekommen haben: der Schreibtisch erkennt am Inhalt, was sie ist.
web-import-file = Datei vom Tresor
web-import-more = Weitere Angaben zu einer Einwilligungsdatei
web-import-tmp-keys = Antworten des TAG-Servers für die eigenen Karten der Person
web-import-candidate = Zu öffnende Registrierung (wenn mehrere aufgelistet wurden)
web-import-submit = Einlesen
web-import-done = Eingelesen: { $kind }
web-import-nothing-back = Aus diesem Schritt geht nichts an den Tresor zurück.
web-to-case = Zu Fall { $case }
web-kind-consent = die Freigabe der Person (Einwilligungsdatei)
web-kind-scan-keys = eine SCAN-Schlüsseldatei
web-kind-contacts = eine Kontaktdatei
web-kind-resolve-request = eine Auflösungsanfrage
web-kind-resolve-answer = die Auflösungsantwort des Tresors
web-kind-relay = eine Weiterleitungsdatei
web-kind-relayed = weitergeleitete Einträge
web-kind-card = eine Karten-Nachverfolgung
web-did-consent = { $stays ->
    [one] 1 Aufenthalt der infizierten Person geöffnet.
   *[other] { $stays } Aufenthalte der infizierten Person geöffnet.
}
web-did-contacts = { $people ->
    [one] Bisher 1 Person auf der Kontaktliste.
   *[other] Bisher { $people } Personen auf der Kontaktliste.
}
web-did-resolved-more = Geöffnet; einige Kontakte brauchen noch den Tresor.
web-did-resolved-all = Geöffnet; alle Kontakte sind aufgelöst.
web-did-gone = { $count ->
    [one] 1 Registrierung wird nicht aufgelöst (gelöscht, bei einer anderen Behörde oder außerhalb des Falls).
   *[other] { $count } Registrierungen werden nicht aufgelöst (gelöscht, bei einer anderen Behörde oder außerhalb des Falls).
}
web-did-skipped = { $what } (im Protokoll vermerkt; der Rest ist nicht betroffen).
web-did-relay = { $count ->
    [one] 1 Eintrag für die einwilligende Behörde entpackt.
   *[other] { $count } Einträge für die einwilligende Behörde entpackt.
}
web-did-relayed = { $count ->
    [one] 1 Aufenthalt zum Fall hinzugefügt.
   *[other] { $count } Aufenthalte zum Fall hinzugefügt.
}
web-did-card = Die SCAN-Schlüsseldatei der Karten-Nachverfolgung ist fertig.
web-card-title = Karten-Nachverfolgung
web-card-help = Für eine Person ohne App: ihr gedruckter persönlicher Code (Karte) und dessen PIN finden alle, die die Karte gescannt haben.
web-card-step1 = Schritt 1: die Anfrage nach den Schlüsseln der Karte
web-card-url = Adresse der Karte (wie ihr QR-Code sie liest)
web-card-url-help = Die Karte mit einem QR-Leser scannen und die Adresse kopieren.
web-card-request = Anfrage erstellen
web-card-request-made = Diese Anfrage innerhalb von 10 Minuten an den TAG-Server senden (POST /v1/tmp-keys/history) und seine Antwort aufbewahren:
web-card-step2 = Schritt 2: die Antwort des TAG-Servers
web-card-pin = PIN der Karte (falls vorhanden)
web-card-answer = Antwort des TAG-Servers
web-card-trace = SCAN-Schlüsseldatei erstellen
web-audit-title = Protokoll
web-audit-verified = { $lines ->
    [one] Das Protokoll ist unversehrt: 1 Zeile.
   *[other] Das Protokoll ist unversehrt: { $lines } Zeilen.
}
web-audit-page = Seite { $page }
web-audit-pages = Seiten des Protokolls
web-audit-time = Zeit (UTC)
web-audit-event = Schritt
web-audit-detail = Einzelheiten
web-audit-newer = Neuere Einträge
web-audit-older = Ältere Einträge
web-card-answer-kept = Der Schreibtisch hat die Anfrage an den TAG-Server gesendet; seine Antwort ließ sich mit dem veröffentlichten Schlüssel des TAG-Servers prüfen und ist aufbewahrt ({ $keys ->
    [one] 1 Schlüssel
   *[other] { $keys } Schlüssel
}). Weiter mit Schritt 2 (keine Datei nötig). Die signierte Anfrage:
web-card-answer-sent-help = Nicht nötig, wenn Schritt 1 meldet, dass der Schreibtisch die Antwort des TAG-Servers aufbewahrt hat.
