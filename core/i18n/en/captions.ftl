## spur app core: the captions of the shells' screens (buttons, headings, field labels) and
## the privacy explanation, in English. Every id here must also be in de/captions.ftl, and every
## field of the facade's `Captions` record names one (tests check both).

## Registration
caption-app-name = spur
caption-register-title = Welcome to spur
caption-privacy-heading = What happens with your data
caption-privacy-text = Your phone number is encrypted on this phone for the health authority of your postcode and sent sealed once more for the operator. Nobody can read it alone: only when an infected person who was at the same place at the same time agrees, the responsible health authority can read it. Your check-ins stay encrypted on this phone for 28 days.
caption-phone = Phone number (with +country code)
caption-secret = Secret passphrase
caption-secret-hint = We propose this passphrase. Write it down: you need it to release your check-ins to a health authority and on a new phone. You may type your own instead, if it is as hard to guess.
caption-secret-propose = Propose another
caption-country = Country (two letters)
caption-postcode = Postcode (optional)
caption-campus-id = Campus id (optional)
caption-birth-year = Birth year (optional)
caption-register = Register
caption-registered-offline = Registered on this device; it will be sent when the network is back.

## Home
caption-home-title = spur
caption-open-check-in = You are checked in
caption-check-out = Check out
caption-checked-out = Checked out
caption-end-early = End now
caption-stay-longer = Stay one hour longer
caption-reminder-heading = Still there?
caption-no-open-check-in = You are not checked in anywhere.
caption-scan-code = Scan a code
caption-my-personal-code = My personal code
caption-create-place-code = Create a place code
caption-history = History
caption-consent = Consent for the health authority
caption-settings = Settings

## Scan
caption-scan-title = Scan a code
caption-scan-hint = Hold the QR code in front of the camera.
caption-torch-on = Turn torch on
caption-torch-off = Turn torch off
caption-pick-picture = Pick a picture
caption-camera-preview = Camera picture
caption-no-camera = This device has no camera. Pick a picture instead.
caption-camera-permission = spur needs the camera to read QR codes.
caption-no-code-in-picture = No QR code found in this picture.

## Stay
caption-stay-title = How long do you stay?
caption-personal-code-scanned = A person's code
caption-owners-pin = The owner's PIN
caption-check-in = Check in

## Personal code
caption-personal-title = My personal code
caption-optional-pin = PIN for the code (optional, 4 to 12 digits)
caption-for-printing = For printing (a card for people without a smartphone)
caption-make-code = Make the code
caption-print-card = Print a card (A6)
caption-print-sheet = Print a sheet of four cards (A4)
caption-own-codes = Codes made on this device

## Place code
caption-place-title = Create a place code
caption-responsible-phone = Phone number of the person responsible
caption-place-postcode = Postcode
caption-place-name = Name of the place
caption-place-type = Type of place
caption-place-description = Address or room (optional)

## History
caption-history-title = History (28 days)
caption-history-empty = No check-ins.
caption-history-off-note = History is turned off; only the counters are kept.

## Consent
caption-consent-title = Consent
caption-release = Release my check-ins
caption-scan-consent-hint = Scan the consent code the health authority gave you.

## Settings
caption-settings-title = Settings
caption-app-pin = App PIN (4 to 12 digits)
caption-set-pin = Set app PIN
caption-remove-pin = Remove app PIN
caption-pin-saved = Saved.
caption-keep-history = Keep a history of my check-ins
caption-language = Language
# Each language in its own words (the same in both files).
caption-language-english = English
caption-language-german = Deutsch
caption-delete-all = Delete all data
caption-delete-confirm = Yes, delete everything
caption-delete-question = This deletes everything on this device and asks the server to drop your registration. It cannot be undone.

## Lock
caption-lock-title = spur is locked
caption-unlock = Unlock
caption-wrong-pin = Wrong PIN.
caption-back = Back

# Whole sentences of the screens that carry data; the core fills in the arguments (times in the
# device's time, dates as YYYY-MM-DD), so no shell glues words together.
screen-running-open = Since { $since }; it ends at { $end } unless you extend it.
screen-running-fixed = Since { $since }, ends at { $end }.
screen-counters-scans = Scans: { $count }
screen-counters-hours = Contact hours: { $hours }
screen-counters-last-scan = Last scan: { $when }
screen-counters-never-scanned = Last scan: never
screen-history-times = { $from } – { $until }
screen-history-times-open = { $from } – still open
screen-consent-authority = Health authority: { $authority }
screen-consent-case = Case: { $case }
screen-consent-day = Day: { $day } (1)
screen-consent-days = Days: { $first } – { $last } ({ $count })
screen-code-image = QR code of { $what }
screen-code-id = Code id: { $id }
screen-code-id-pin = Code id: { $id } · protected by PIN
