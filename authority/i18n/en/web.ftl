# The desk's web pages (spur authority serve).
web-title = Contact tracing desk
