# Die Ablehnungen der Feldregeln des Protokolls (spur_protocol::fields), eine Nachricht je
# typisiertem Grund: `field-<Feld>-<Grund>`. Im selben Bündel wie messages.ftl geladen.

## Land (CountryProblem)
field-country-not-two-letters = Das Land muss ein Kürzel aus zwei Buchstaben sein, etwa DE oder AT.
field-country-not-assigned = „{ $country }“ ist kein Länderkürzel. Nimm das zweibuchstabige ISO-Kürzel des Lands, etwa DE, AT oder CH.

## Postleitzahl (PostcodeProblem)
field-postcode-empty = Ein Ort braucht eine Postleitzahl.
field-postcode-too-long = Eine Postleitzahl hat höchstens 10 Zeichen.
field-postcode-character = Die Postleitzahl darf nur Buchstaben, Ziffern, Leerzeichen und Bindestriche enthalten, nicht „{ $character }“.
field-postcode-separators = Die Postleitzahl darf nicht mit einem Leerzeichen oder Bindestrich beginnen oder enden und keine zwei davon hintereinander haben.
field-postcode-all-zeros = Eine Postleitzahl kann nicht nur aus Nullen bestehen.
field-postcode-five-digits = Postleitzahlen in { $country } haben 5 Ziffern, zum Beispiel 80331.
field-postcode-four-digits = Postleitzahlen in { $country } haben 4 Ziffern von 1000 bis 9999, zum Beispiel 1010.
field-postcode-general = Die Postleitzahl darf nur Buchstaben, Ziffern, Leerzeichen und Bindestriche enthalten (höchstens 10).

## Namen und Kennungen (TextProblem); $field ist place-name, description oder campus-id
field-text-control = { $field ->
    [place-name] Der Name des Orts
    [description] Die Beschreibung
   *[campus-id] Die Campus-Kennung
} enthält ein Steuerzeichen ({ $character }). Entferne es.
field-text-bidi = { $field ->
    [place-name] Der Name des Orts
    [description] Die Beschreibung
   *[campus-id] Die Campus-Kennung
} enthält ein Zeichen, das die Schreibrichtung ändert ({ $character }). Entferne es.
field-text-invisible = { $field ->
    [place-name] Der Name des Orts
    [description] Die Beschreibung
   *[campus-id] Die Campus-Kennung
} enthält ein unsichtbares Zeichen ({ $character }). Entferne es.
field-text-line-break = { $field ->
    [place-name] Der Name des Orts
    [description] Die Beschreibung
   *[campus-id] Die Campus-Kennung
} muss eine einzige Zeile sein ({ $character } gefunden). Entferne den Zeilenumbruch.
