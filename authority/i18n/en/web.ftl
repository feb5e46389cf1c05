# The desk's web pages (spur authority serve).
web-title = Contact tracing desk
web-skip = Skip to the content
web-nav-label = Main menu
web-nav-cases = Cases
web-nav-import = Bring in a file
web-nav-card = Card-only trace
web-nav-audit = Audit log
web-logout = Log out ({ $name })
web-back = Back
web-error-title = That did not work
web-not-found = There is no such page or file.
web-login-title = Log in
web-login-name = Staff name
web-login-password = Password
web-login-submit = Log in
web-login-wrong = The name or the password is wrong.
web-login-locked = Too many wrong passwords for this name: try again in 15 minutes.
web-cases-title = Cases
web-cases-list = Cases at a glance
web-cases-none = No cases yet. Open one below.
web-case-of = a case of authority { $authority }
web-case = Case
web-stage = Where it stands
web-next = What to do next
web-people = { $count ->
    [one] 1 person on the contact list
   *[other] { $count } people on the contact list
}
web-unresolved = { $count ->
    [one] 1 contact still being resolved
   *[other] { $count } contacts still being resolved
}
web-stage-release = Waiting for the citizen's release
web-stage-vault = Waiting for the vault
web-stage-resolving = Contacts coming in
web-stage-ready = Contacts ready
web-next-release = Give the person the consent code (on screen or the printed sheet). When they have released their days, the vault sends a consent file: bring it in here.
web-next-vault = Hand the files for the vault to the vault operator, then bring in the contacts file the vault sends back.
web-next-resolving = Hand the newest file for the vault to the vault operator and bring in its answer.
web-next-ready = Phone the contacts and keep a call status and a note for each.
web-open-title = Open a case
web-open-help = Makes a consent code for one person: only their app accepts it, and only the days asked for are released.
web-open-case = Case number
web-open-case-help = Letters, digits, - and /, up to 16 characters.
web-open-phone = The person's phone number
web-open-phone-help = International form, for example +49 151 23456789.
web-open-first-day = First day
web-open-days = Number of days
web-open-days-help = 1 to 28; the last day is today at the latest.
web-open-submit = Make the consent code
web-error-phone = This is not a phone number: write it in international form, for example +4915123456789.
web-error-date = This is not a date.
web-error-days = The number of days must be 1 to 28.
web-error-status = Unknown call status.
web-error-no-file = Choose a file to bring in.
web-case-title = Case { $case }
web-status = Progress
web-case-days = Days asked for: from { $first },
web-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
web-code-title = Consent code
web-code-help = Let the person scan this code with their spur app, or print the sheet and hand it over.
web-code-alt = Consent code to scan with the spur app
web-code-url = The code's address:
web-code-sheet = Print the consent sheet (PDF)
web-files-title = Files for the vault
web-files-none = No files for the vault yet.
web-files-help = Download these files and hand them to the vault operator:
web-import-link = Bring in a file from the vault
web-contacts-title = Contact list
web-contacts-none = Nobody was found with the infected person.
web-contacts-not-yet = No contacts yet: they come with the vault's contacts file.
web-contacts-filter = Filter the list
web-stays-of = Stays of { $who }
web-stay-place = Place
web-stay-in = In
web-stay-out = Out
web-card-owner = owns a personal code the infected person scanned
web-place-phone = responsible: { $phone }
web-stay-overlap = Together
web-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
web-call-status = Call status
web-call-note = Note
web-call-save = Save
web-call-by = last changed by { $name }
web-call-not-called = Not called yet
web-call-no-answer = No answer
web-call-reached = Reached and informed
web-call-call-back = Call back
web-call-wrong-number = Number does not work
web-import-title = Bring in a file from the vault
web-import-upload = Upload
web-import-help = Choose a file the vault operator gave you: the desk recognises what it is by its content.
web-import-file = File from the vault
web-import-more = More options for a consent file
web-import-tmp-keys = TAG server answers for the person's own cards
web-import-candidate = Registration to open (when the desk listed several)
web-import-submit = Bring in
web-import-done = Brought in: { $kind }
web-import-nothing-back = Nothing goes back to the vault from this step.
web-to-case = Go to case { $case }
web-kind-consent = the person's release (consent file)
web-kind-scan-keys = a SCAN-key file
web-kind-contacts = a contacts file
web-kind-resolve-request = a resolve request
web-kind-resolve-answer = the vault's resolve answer
web-kind-relay = a relay file
web-kind-relayed = relayed entries
web-kind-card = a card-only trace
web-did-consent = { $stays ->
    [one] 1 stay of the infected person opened.
   *[other] { $stays } stays of the infected person opened.
}
web-did-contacts = { $people ->
    [one] 1 person on the contact list so far.
   *[other] { $people } people on the contact list so far.
}
web-did-resolved-more = Opened; some contacts still need the vault.
web-did-resolved-all = Opened; every contact is resolved.
web-did-gone = { $count ->
    [one] 1 registration will not be resolved (deleted, another authority's, or outside the case).
   *[other] { $count } registrations will not be resolved (deleted, another authority's, or outside the case).
}
web-did-skipped = { $what } (recorded in the audit log; the rest is unaffected).
web-did-relay = { $count ->
    [one] 1 entry unwrapped for the consenting authority.
   *[other] { $count } entries unwrapped for the consenting authority.
}
web-did-relayed = { $count ->
    [one] 1 stay added to the case.
   *[other] { $count } stays added to the case.
}
web-did-card = The SCAN-key file of the card-only trace is ready.
web-card-title = Card-only trace
web-card-help = For a person without the app: their printed personal code (card) and its PIN find everyone who scanned the card.
web-card-step1 = Step 1: the request for the card's keys
web-card-url = The card's address (as its QR code reads)
web-card-url-help = Scan the card with any QR reader and copy the address.
web-card-request = Make the request
web-card-request-made = Send this request to the TAG server (POST /v1/tmp-keys/history) within 10 minutes and keep its answer:
web-card-step2 = Step 2: the TAG server's answer
web-card-pin = The card's PIN (if it has one)
web-card-answer = The TAG server's answer
web-card-trace = Make the SCAN-key file
web-audit-title = Audit log
web-audit-verified = { $lines ->
    [one] The log verifies: 1 line.
   *[other] The log verifies: { $lines } lines.
}
web-audit-page = Page { $page }
web-audit-pages = Pages of the audit log
web-audit-time = Time (UTC)
web-audit-event = Step
web-audit-detail = Details
web-audit-newer = Newer entries
web-audit-older = Older entries
web-card-answer-kept = The desk sent the request to the TAG server; its answer verified against the TAG server's published key and is kept ({ $keys ->
    [one] 1 key
   *[other] { $keys } keys
}). Go on with step 2 (no file needed). The signed request:
web-card-answer-sent-help = Not needed when step 1 said the desk kept the TAG server's answer.
