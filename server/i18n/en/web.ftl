# The web host's pages (`spur server web`): what a phone camera opens when it reads a spur code.
# Server-rendered; the page's script only fills in what the code's fragment says.

web-title-home = spur: contact tracing with consent
web-home-text = spur lets you check in at places with a QR code. Your check-ins stay encrypted on your phone for 28 days; only if you agree can the health authority use them to warn the people who were there at the same time.
web-home-apps = To check in, install the spur app and scan a place's code with it, or with your phone's camera.

web-title-place = A place code
web-title-personal = A personal code
web-title-consent = A consent code
web-title-unknown = Not a spur page

web-what-place = This is the code of a place where you can check in with spur.
web-what-personal = This is a personal code: the person it belongs to can let places check them in with it.
web-what-consent = This is a consent code: a health authority asks you to release your check-ins.
web-what-consent-from = This is a consent code from health authority no. { $authority }: it asks you to release your check-ins.

web-place-name = Place
web-place-postcode = Postcode
web-code-unreadable = This page's address does not carry a readable spur code. Scan the code again.
web-needs-script = Turn on JavaScript to see what this code says. The code's contents are read only here, in your browser.

web-open-in-app = Open in the spur app
web-open-in-app-note = If the spur app is installed, it opens this code.
web-browser-checkin = Check in here in the browser
web-browser-checkin-open = Check in with this browser
web-browser-consent-open = Give your consent in this browser
web-browser-checkin-unavailable = Checking in here in the browser is not available yet. Please use the spur app.
web-fragment-note = What the code carries stays in your browser: the part after "#" in the address is never sent to any server, this one included.

web-not-found = There is nothing at this address.
web-home-link = What is spur?

## The web check-in's own words (`/app/`): shown before the core has loaded (loading, the
## release warning) or about the browser itself; the server puts them into the page's config.
web-app-loading = Loading spur…
web-app-login = Log in with an existing registration
web-app-release-changed = This page's program changed since you first used it here. Only continue if the operator announced the new version and its hash matches the published one:
web-app-release-accept = Use the new version
web-app-offline-kept = You are offline: the check-in is kept here and completed when the network returns.
web-app-failed = Something went wrong:
web-app-in-memory = This browser does not let the page keep your data: it is kept only while this page is open.
