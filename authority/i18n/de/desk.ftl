# The desk's contact lists, sheets (consent sheet, contact list PDF) and messages.
desk-title = Schreibtisch des Gesundheitsamts
