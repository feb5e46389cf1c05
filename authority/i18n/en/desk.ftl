# The desk's contact lists, sheets (consent sheet, contact list PDF) and messages.
desk-title = Health authority desk

## Time and counts
desk-date = { $year }-{ $month }-{ $day }
desk-local-time = { $year }-{ $month }-{ $day } { $time } { $zone }
desk-people = { $people ->
    [one] 1 person
   *[other] { $people } people
}
desk-stays = { $stays ->
    [one] 1 stay
   *[other] { $stays } stays
}
desk-days = { $days ->
    [one] 1 day
   *[other] { $days } days
}
desk-slot-entries = { $entries ->
    [one] 1 slot entry
   *[other] { $entries } slot entries
}
desk-people-stays = { desk-people }, { desk-stays }
desk-minutes = { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}

## The contact list
desk-list-title = Contact list of case { $case } ({ $authority })
desk-list-made = Made { $time }; times in { $zone }.
desk-list-empty = No contacts for this case on this desk.
desk-col-case = case
desk-col-person = person
desk-col-phone = phone
desk-col-reason = not resolved because
desk-col-found = found through
desk-col-card-owner = card owner
desk-col-campus = campus id
desk-col-country = country
desk-col-postcode = postcode
desk-col-birth-year = birth year
desk-col-stays = number of stays
desk-col-stay-details = stays: when, place, address, phone of the place, overlap
desk-col-place = place
desk-col-address = address
desk-col-place-phone = phone of the place
desk-col-time-in = in
desk-col-time-out = out
desk-col-overlap = overlap (minutes)
desk-found-place = a place
desk-found-personal-code = a personal code
desk-found-card = the infected person's card
desk-found-stay = a stay of the infected person
desk-card-owner = owner of the personal code the infected person scanned
desk-yes = yes
desk-no = no
desk-status-pending = not resolved yet
desk-status-deleted = deleted
desk-status-other-authority = with another health authority
desk-reason-pending = not resolved yet: the vault's answer to the resolve request is still to be opened
desk-reason-deleted = deleted: the person deleted their data, or it expired
desk-reason-other-authority = with another health authority (it has their contact data)
desk-reason-outside-case = refused: outside the case
desk-reason-does-not-open = skipped: the contact data does not open
desk-reason-bad-field = skipped: the contact data is invalid
desk-place-unresolved = a place (its name is still to be resolved)
desk-place-elsewhere = a place whose details are with { $authority }
desk-code-owner-listed = a personal code (its owner is in this list)
desk-code-owner-elsewhere = a personal code whose owner is with { $authority } (forwarded there)
desk-code-unresolved = a personal code (its owner is still to be resolved)
desk-own-code = the infected person's own card or personal code
desk-forwarded-stay = a stay of case { $case } of { $authority } ({ $from } to { $to }); the place is known to { $authority }
desk-forwarded-card = the infected person's card or personal code, in case { $case } of { $authority } ({ $from } to { $to })
desk-forwarded-owner = this person's own personal code, scanned by the infected person in case { $case } of { $authority } ({ $from } to { $to })
desk-stay-day = { $date }, { $from }–{ $to } { $zone }
desk-stay-span = { $from } to { $to }
desk-stay-line = { $when }: { $place }{ $address }{ $phone }, overlap { desk-minutes }
desk-person-found = found through { $found }

## The consent sheet
desk-sheet-title = spur: consent to contact tracing
desk-sheet-case = Case { $case }
desk-sheet-days = Releases your check-ins of { $first } to { $last } ({ desk-days })
desk-sheet-valid = Valid until { $time }; it can be used once.
desk-sheet-howto = Made for you only: scan it with the spur app and enter your credentials to consent.

## Messages of `spur authority`
desk-msg-init = desk keys created (language { $lang }, time zone { $zone }); hand { $entry } to the operator
desk-msg-pinned = pinned directory { $serial } with { $count ->
    [one] 1 authority
   *[other] { $count } authorities
}
desk-msg-code-made = wrote { $png }, { $pdf } and { $code }; recorded in the case register
desk-msg-code-hand = hand { $code } to the vault operator with case { $case }
desk-msg-consent-opened = case { $case }: { desk-stays }; for the vault: { $scan } and { $resolve }
desk-msg-note = note: { $note }
desk-msg-skipped-case = { $what } (audited; the rest of the case is unaffected)
desk-msg-skipped-contacts = { $what } (audited; the other contacts are unaffected)
desk-msg-skipped-final = { $what } (audited; listed as such, not asked for again)
desk-msg-contacts-opened = case { $case } of { $authority }: { desk-slot-entries } opened; the list now has { desk-people-stays }
desk-msg-place-labels = { $count ->
    [one] 1 place named
   *[other] { $count } places named
} by { $authority }
desk-msg-for-vault = for the vault: { $file }
desk-msg-gone = { $count ->
    [one] 1 registration will
   *[other] { $count } registrations will
} not be resolved (deleted, another authority's, or outside the case): listed as such, final
desk-msg-more = opened; still to resolve, for the vault: { $file } (another round: the vault's answer to it comes back to `spur authority open resolved`)
desk-msg-resolved = opened; everything is resolved: `spur authority contacts --case { $case } --authority { $authority }` writes the list
desk-msg-relay = { $count ->
    [one] 1 user entry
   *[other] { $count } user entries
} unwrapped (still unreadable here); for the vault: { $file }
desk-msg-relayed = case { $case }: { $count ->
    [one] 1 stay
   *[other] { $count } stays
} added
desk-msg-for-vault-two = for the vault: { $a } and { $b }
desk-msg-unopened = note: { $count ->
    [one] 1 entry
   *[other] { $count } entries
} opened at no authority
desk-msg-card-trace = card trace for case { $case }: for the vault: { $file }
desk-msg-list = case { $case }: { desk-people-stays }
desk-msg-list-written = wrote { $file }
desk-msg-sweep = deleted { $deleted } case file(s) untouched for more than 28 days; { $kept } kept
desk-msg-audit-ok = audit log verifies: { $lines } lines, head { $head }
desk-msg-audit-unconfirmed =   { $count } line(s) after the last confirmed step: a step was interrupted after logging; the next desk command confirms them
desk-msg-audit-torn =   { $count } byte(s) of a torn last line: a write was interrupted; the next desk command cuts them
desk-msg-history-written = wrote { $file }: the signed request for the card's past keys, valid for 10 minutes
desk-msg-history-send = to send it to the TAG server, run this command again with `--tag-url <TAG server URL> --answer <answer.json>` (it sends the request and keeps the answer); then trace the card with `spur authority card-trace --request { $file } --tmp-keys <answer.json> …` (a card-only person), or open their consent package with `spur authority open consent --tmp-keys <answer.json> …` (the person's own card)
desk-msg-history-answer = wrote { $file }: the TAG server's answer ({ $count ->
    [one] 1 key
   *[other] { $count } keys
})

## Notes from opening a consent package
desk-note-own-code = own personal code { $code } needs its past TMP keys: `spur authority history-request --qr-id { $code } --first-day … --out … --tag-url <TAG server URL> --answer <answer.json>`, then open the package again with `--tmp-keys <answer.json>`
desk-note-nowhere = { $count ->
    [one] 1 user entry opens
   *[other] { $count } user entries open
} neither here nor anywhere known (sealed to a former home authority?)
desk-note-relayed = { $count ->
    [one] 1 user entry is
   *[other] { $count } user entries are
} sealed to the person's home authority ({ $authority }): relayed there through the vault; open what comes back with `spur authority open relayed`

## Refusals of `spur authority`
desk-err-date = { $text } is not a date: write it as YYYY-MM-DD
desk-err-pin-post = this card is PIN-protected: give --post <POST server URL> so the PIN is checked before the request is used
desk-err-pin-check = the PIN could not be checked with the POST server ({ $why }); nothing was used
desk-err-not-card = this is not a personal code's URL (a card's QR code)
desk-err-tag-refused = the TAG server refused the history request: { $status } { $body }
desk-err-phone = --phone: the number (E.164, e.g. +4915112345678) of the person the code is for
desk-err-valid-hours = --valid-hours must be 1 to { $max } (a consent code lives at most 7 days); give a smaller number
desk-err-no-contacts = no contacts of case { $case } (authority { $authority }) on this desk: open the vault's contacts file first (`spur authority open contacts …`)
desk-err-qr-or-card = give --qr-id or --card
desk-err-days-range = the days are out of range: check --first-day and --days

## The desk's own refusals (DeskError)
desk-err-not-from-vault = package refused: only the vault sends files to a desk
desk-err-not-initialised = { $dir } is not a desk folder yet: run `spur authority --dir { $dir } init --id <number> --name <name> --range DE:<from>-<to>` and then `spur authority --dir { $dir } pin …` with the operator's files
desk-err-not-pinned = refused: this desk has no directory yet: run `spur authority pin` first
desk-err-no-case-file = refused: no case file for case { $case } on this desk
desk-err-no-contact-list = refused: case { $case } has no contact list on this desk
desk-err-not-on-list = refused: this number is not on the case's contact list
desk-err-note-long = refused: the note is longer than { $max } characters
desk-err-range-form = refused: postcode range { $range }: write it as DE:80000-81999
desk-err-id-zero = refused: authority id 0 is reserved for the vault
desk-err-name = refused: the authority name { $name } { $reason }
desk-err-range-country = refused: postcode range { $range }: the country { $reason }
desk-err-range-end = refused: postcode range { $range }: { $postcode } { $reason }
desk-err-card-not-this-request = refused: card trace: the TMP-history request is not this desk's request for this card
desk-err-card-other-card = refused: card trace: the TMP history file is for another card
desk-err-card-other-authority = refused: card trace: the TMP-history request is another authority's
desk-err-card-codes-differ = refused: card trace: the request, the TAG server's answer and the card name different codes
desk-err-card-no-key = refused: card trace: the TAG server's answer has no key for the requested slots
desk-err-card-wrong-pin = refused: card trace: wrong PIN (or the card is not known to the POST server); nothing was used
desk-err-card-too-many-pins = refused: card trace: too many wrong PINs for this card; try again in an hour
desk-err-card-pin-no-post = refused: this card is PIN-protected and this desk was started without the POST server's URL to check the PIN: restart `spur authority serve` with --post
desk-err-card-step-one = refused: make the history request for this case first (step 1)
desk-err-pin-check-failed = refused: the PIN check failed
desk-err-not-loopback = refused: { $listen } is not a loopback address: the desk's pages carry phone numbers and are served over plain HTTP, so they are served on 127.0.0.1 only; to serve elsewhere put a TLS proxy in front and give --allow-remote
desk-err-no-staff = refused: this desk has no staff account yet: create one with `spur authority staff add --name NAME` first
desk-err-staff-name = refused: a staff name is 1 to 32 of a-z, 0-9, '.', '-', '_'
desk-err-staff-password = refused: the password must have at least { $min } characters
desk-err-staff-exists = refused: staff account { $name } exists: give --reset to set a new password
desk-err-password-hash = refused: password hashing failed: { $why }
desk-err-nonce-twice = refused: a code with this nonce is already registered
desk-err-code-unknown = refused: this desk issued no consent code for case { $case } with this nonce: the releases in this file answer no code of ours and were not opened; ask the vault operator which code file they used
desk-err-code-other-case = refused: the file names case { $case }, but our code with this nonce is for case { $ours }: not opened
desk-reason-auth-closed = its AUTH part does not open ({ $why })
desk-reason-auth-other-case = its AUTH part names another case or code
desk-reason-other-person = it was made by another person: its phone number is not the one the code was issued to
desk-reason-other-days = it releases days the code does not ask for
desk-reason-candidate = release { $number } refused: { $reason }
desk-err-no-release = refused: no release in this file was made by the person the code for case { $case } was issued to ({ $reasons }); nothing was opened. Ask the person to consent with their own app; if the code was used by someone else, issue a new code with `spur authority consent-code`
desk-err-not-candidate = refused: --candidate { $number } is not a release made by the code's person; the candidates to choose from are { $choices }
desk-err-candidates = refused: { $count } releases from different registrations carry the phone number case { $case } was issued to:
    { $lines }
    Ask the person when and where they checked in, then run this again with --candidate N
desk-err-no-candidate = refused: no candidate to open
desk-err-file-for-vault = refused: this is a file a desk writes for the vault: hand it to the vault, not to the desk
desk-err-file-other-authority = refused: this file is for authority { $to }, not for this desk
desk-err-directory-lacks = refused: the directory does not list authority { $id }
desk-err-directory-other-keys = refused: the directory lists other keys for this authority
desk-err-language = refused: language { $lang }: the desk speaks de (German) and en (English)
desk-err-time-zone = refused: time zone { $zone } is not an IANA time zone such as Europe/Berlin
desk-err-code-days = refused: --days must be 1 to 28
desk-err-code-calendar = refused: the days run past the end of the calendar: check --first-day
desk-err-code-future = refused: the code would ask for days after today ({ $first } to { $last }): a consent releases only days that have happened; give --first-day and --days so the last day is today ({ $today }) or earlier
desk-err-code-too-old = refused: the code would ask for days older than 28 days, which are deleted everywhere: give --first-day { $oldest } or later
desk-err-code-lifetime = refused: a consent code is valid for 1 to { $hours } hours (7 days): give a smaller --valid-hours
desk-err-qr-text = refused: the QR code cannot hold this text: { $why }
desk-err-worded = refused: { $text }
desk-err-card-unverified = refused: card trace: the TAG server's answer does not verify against its published key
desk-reason-other-registration = it comes from another registration than the candidate's first release
desk-reason-device = release { $number } (device { $device }) refused: { $reason }
desk-skips = { $total ->
    [one] 1 record skipped
   *[other] { $total } records skipped
}: { $parts }
desk-skip-unknown-authority = { $count ->
    [one] 1 names an authority not in the directory
   *[other] { $count } name an authority not in the directory
}
desk-skip-does-not-open = { $count ->
    [one] 1 does not open with the key it is meant for
   *[other] { $count } do not open with the key they are meant for
}
desk-skip-bad-field = { $count ->
    [one] 1 carries invalid fields
   *[other] { $count } carry invalid fields
}
desk-skip-deleted = { $count ->
    [one] 1 points to a registration that was deleted or has expired
   *[other] { $count } point to a registration that was deleted or has expired
}
desk-skip-outside-case = { $count ->
    [one] 1 names something the case did not reach
   *[other] { $count } name something the case did not reach
}
desk-skip-other-authority = { $count ->
    [one] 1 is sealed to another authority
   *[other] { $count } are sealed to another authority
}
desk-err-tag-failed = refused: sending the history request to the TAG server failed
