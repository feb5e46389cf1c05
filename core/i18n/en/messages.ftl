## spur app core: English. Every message id here must also be in de/messages.ftl (a test checks).

## Errors
error-internal = Something went wrong inside the app ({ $what }). Please try again; if it keeps happening, report it.
error-storage = The app could not read or write its data on this device.
error-store-damaged = The app's data file on this device is damaged. Restore it from a backup, or delete it to start over (check-ins not sent yet are then lost).
error-platform-key = The device did not hand over the key that protects the app's data.
error-key-store = The device's key store could not keep the key that protects the app's data. The app does not start, so that it never writes data it could not read again.
error-key-not-kept = The device's key store did not keep the key that protects the app's data. The app does not start, so that it never writes data it could not read again.
error-local-key-wrong = The app's data cannot be opened with this device's key. Was the app restored from another device?
error-db-too-new = The app's data was written by a newer version of the app. Please update the app.
error-offline = No connection to the spur servers. What you did is kept and will be sent when the connection is back.
error-register-offline = The spur servers cannot be reached, and registering needs them once to find your health authority. Nothing was registered or kept on this device; please try again when you are online.
error-server-busy = The spur servers are busy (status { $status }). What you did is kept and will be sent later.
error-server-refused = The server refused the request: { $message }
error-server-answer = The server gave an answer this app cannot read. Please update the app.
error-tag-key-unverified = The check-in server answered with a key that does not match its published key. Nothing was saved; please try again later.
error-server-url = The server address { $url } is not allowed: it must start with https://.
error-config-key = The app's { $what } key is not valid. The app is misconfigured.
error-config-host = The app's code host name is not valid. The app is misconfigured.
error-directory-bad = The list of health authorities could not be verified. Nothing was sent.
error-field = The { $field } is not valid: { $reason }.
error-not-spur = This is not a spur code.
scan-other-code = This QR code is not a spur code. Scan the spur code of a place or a person, or a health authority's consent code.
error-code-damaged = This spur code is damaged or from a newer version of the app.
error-other-service = This code belongs to another service ({ $host }), not to this app.
error-not-registered = Please register first.
error-other-account = This device is registered with other credentials. Delete all data first to register anew.
error-locked = The app is locked. Enter your app PIN.
error-wrong-credentials = Phone number and secret do not match your registration.
error-login-unknown = No registration was found for this phone number and secret. Check the secret (a typing mistake gives another one); nothing was changed. To register anew, use "register".
error-login-offline = Logging in needs the spur servers to check your phone number and secret, and they cannot be reached. Nothing was changed; please try again when you are online.
error-too-many-check-ins = You cannot check in more than four times in the same minute.
error-consent-not-check-in = This is a health authority's consent code. Open it under "Consent", not to check in.
error-code-too-long = This code is too long to draw.
error-bad-image = The picture or camera frame could not be read.
error-not-consent = This is not a health authority's consent code.

## Registration
phone-empty = Please enter your phone number.
phone-needs-country-code = Start the phone number with + and the country code, for example +49 151 23456789.
phone-bad-character = The phone number may contain only digits after the +, not "{ $character }".
phone-country-zero = After the + comes the country code, which never starts with 0. Leave out the 0 of the area code: +49 151 … instead of +49 0151 ….
phone-length = A phone number has 8 to 15 digits including the country code; this one has { $digits }.
country-invalid = The country must be a two-letter code such as DE or AT.
postcode-invalid = The postcode may contain only letters, digits, spaces and hyphens (at most 10).
postcode-required = A place needs a postcode.
campus-id-invalid = The campus id may have at most { $max } characters.
country-unknown = "{ $country }" is not a country code. Use the two-letter ISO code of the country, such as DE, AT or CH.
postcode-too-long = A postcode has at most 10 characters.
postcode-bad-character = The postcode may contain only letters, digits, spaces and hyphens, not "{ $character }".
postcode-separators = The postcode must not start or end with a space or hyphen, nor have two of them in a row.
postcode-zeros = A postcode cannot be all zeros.
postcode-five-digits = Postcodes in { $country } have 5 digits, for example 80331.
postcode-four-digits = Postcodes in { $country } have 4 digits from 1000 to 9999, for example 1010.
postcode-not-covered = No health authority is responsible for postcode { $postcode } ({ $country }). Check the postcode; if it is right, leave it empty and { $default } will be responsible for you.
place-postcode-not-covered = No health authority is responsible for postcode { $postcode } ({ $country }), so no place code can be made for it. Check the postcode.
text-control = The { $field ->
    [place-name] place name
    [description] description
   *[campus-id] campus id
} contains a control character ({ $character }). Remove it.
text-bidi = The { $field ->
    [place-name] place name
    [description] description
   *[campus-id] campus id
} contains a character that changes the text direction ({ $character }). Remove it.
text-invisible = The { $field ->
    [place-name] place name
    [description] description
   *[campus-id] campus id
} contains an invisible character ({ $character }). Remove it.
text-line-break = The { $field ->
    [place-name] place name
    [description] description
   *[campus-id] campus id
} must be a single line ({ $character } found). Remove the line break.
birth-year-invalid = The birth year must be between 1900 and 2100.
secret-refused-empty = Enter a secret, or take the proposed passphrase.
secret-refused-digits = A PIN or number is far too easy to guess here: whoever holds the operator's data and your phone number could try every one. Take the proposed passphrase, or a longer one of your own.
secret-refused-phone = This contains your phone number, which is exactly what an attacker already knows. Take the proposed passphrase, or one of your own without it.
secret-refused-common = This is a common password, or close to one: it is among the first an attacker tries. Take the proposed passphrase, or a longer one of your own.
secret-refused-keyboard = Rows and patterns of keys are among the first guesses. Take the proposed passphrase, or a longer one of your own.
secret-refused-repeats = Repeated characters or parts add little. Take the proposed passphrase, or a longer one of your own.
secret-refused-sequence = Sequences like abc or 6543 are among the first guesses. Take the proposed passphrase, or a longer one of your own.
secret-refused-date = Dates and years are among the first guesses. Take the proposed passphrase, or a longer one of your own.
secret-refused-word = A single word is easy to guess. Take the proposed passphrase, or several words of your own.
secret-refused-name = Names are among the first guesses. Take the proposed passphrase, or a longer one of your own.
secret-refused-short = Too easy to guess for this secret: whoever holds the operator's data could try it within their reach. Take the proposed passphrase, or add words.
secret-enough = Good enough: guessing it would take the operator's data and far more computing than anyone has.
secret-strong = Strong: out of reach of any guessing.
secret-renew-advice = Your secret is weaker than the app now requires: whoever holds the operator's data could guess it. To protect your future check-ins, choose “Delete all data” in the settings and register again with a proposed passphrase.

## Check-in
stay-short = Short contact (a few minutes)
stay-minutes = { $minutes } minutes
stay-hours = { $hours ->
    [one] 1 hour
   *[other] { $hours } hours
}
stay-open = Until I check out (it ends after { $hours ->
    [one] 1 hour
   *[other] { $hours } hours
} unless I extend it; a reminder comes before)
stay-open-minutes = Until I check out (it ends after { $minutes } minutes unless I extend it; a reminder comes before)
stay-invalid = Choose a stay from the list: short contact, 15 minutes to 4 hours, or open.
personal-code = Personal code
error-not-running = This check-in has already ended.
checkin-fixed-place = You are checked in at { $place } from { $from } until { $until }.
checkin-fixed-personal = You are checked in with a personal code from { $from } until { $until }.
checkin-open-place = You are checked in at { $place } from { $from }. Check out when you leave: the check-in ends at { $until } unless you extend it, and you get a reminder at { $remind }.
checkin-open-personal = You are checked in with a personal code from { $from }. Check out when you leave: the check-in ends at { $until } unless you extend it, and you get a reminder at { $remind }.
checkin-merged-place = You were already checked in at { $place } since { $from }, so no second stay was started. The stay now lasts until { $until }.
checkin-merged-personal = You were already checked in with this personal code since { $from }, so no second stay was started. The stay now lasts until { $until }.
checkin-ended-previous-place = This ended your check-in at { $place } at { $time }.
checkin-ended-previous-personal = This ended your check-in with a personal code at { $time }.
checkin-online = The servers were reached; the check-in is sent when the stay ends.
checkin-offline = There is no connection to the spur servers: the check-in is kept on this device and completed when the connection is back.
checkout-place = You checked out of { $place } at { $time }.
checkout-personal = You ended your check-in with a personal code at { $time }.
checkout-sent = It was sent.
checkout-kept = It is kept on this device and sent when the connection is back.
reminder-place = Are you still at { $place }? Your check-in ends at { $until }. Check out if you have left, or stay longer.
reminder-personal = Is the check-in with a personal code still going on? It ends at { $until }. Check out if it is over, or stay longer.
pin-format = A PIN has 4 to 12 digits.
pin-wait = Too many wrong PINs. Try again in { $seconds } seconds.
place-name-invalid = The place name must have 1 to 64 characters.
place-description-invalid = The description may have at most 128 characters.

## Place kinds
kind-gastronomy = Restaurant, café, bar
kind-retail = Shop
kind-company = Company, office
kind-education = School, university
kind-event = Event
kind-other = Other

## Consent
consent-text = { $authority } asks you to release your check-ins for case { $case }: { $days ->
    [one] one day, { $first }
   *[other] { $days } days, { $first } to { $last }
}. Only with your release can they find the people who were at the same places at the same time as you. Nothing else is released. To agree, enter your phone number and secret.
consent-refused-signature = This consent code is not genuine: its signature does not match any health authority. Nothing was released.
consent-refused-expired = This consent code has expired. Ask the health authority for a new one. Nothing was released.
consent-refused-used = This consent code was already used. Nothing was released again.
consent-refused-unknown-authority = This consent code names a health authority this app does not know. Nothing was released.
consent-refused-person = This consent code was made for another person. Only the person the health authority made it for can use it; ask the health authority for your own code. Nothing was released.
consent-refused-future = This consent code asks for days that have not happened yet. Check the date and time of this device; if they are right, ask the health authority for a new code. Nothing was released.
consent-refused-policy = This consent code is outside the rules for consent codes: it { $reason }. Ask the health authority for a new one. Nothing was released.
consent-given = Thank you. Your check-ins for the days asked for were released to { $authority }.

## Printed card
card-title = My spur card
card-instructions = Show this card when you visit a place. Whoever checks you in scans it with the spur app. Keep it like a key: anyone who has it can check in in your name.
card-pin-note = This card is protected by your PIN. The person scanning it needs the PIN from you.
card-place-instructions = Scan this code with your phone camera to check in. Your data stays encrypted; only a health authority can read it, and only with the consent of an infected person.

## Status
sync-pending = { $count ->
    [one] One upload is waiting for the network.
   *[other] { $count } uploads are waiting for the network.
}
sync-lost = { $count ->
    [one] One check-in could not be completed in time and was dropped.
   *[other] { $count } check-ins could not be completed in time and were dropped.
}
delete-done = All data on this device was deleted, and the server dropped your registration.
delete-pending = All data on this device was deleted. The request to drop your registration will be sent when the network is back.

## Codes bound to their data, PIN checks, codes nobody issued (issue 13)
error-code-altered = This code was altered (its name, postcode or kind does not match the code). Do not check in with it.
error-code-not-issued = This code was not issued by spur's service. Do not check in with it.
error-pin-wrong = Wrong PIN (or the card is not known yet). Nothing was kept.
error-pin-too-many = Too many wrong PINs for this card; try again in an hour.
check-in-pin-unchecked = PIN not checked yet: the check-in counts once the PIN is confirmed online.
sync-not-issued = { $count ->
    [one] One check-in was dropped: its code was not issued by spur's service.
   *[other] { $count } check-ins were dropped: their codes were not issued by spur's service.
}
sync-wrong-pin = { $count ->
    [one] One check-in was dropped: wrong PIN (or the card is not known).
   *[other] { $count } check-ins were dropped: wrong PIN (or the card is not known).
}
