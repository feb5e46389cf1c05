# The desk's web pages (spur authority serve).
web-title = Kontaktnachverfolgung
