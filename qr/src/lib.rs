//! spur-qr: reading QR codes from camera frames and pictures, and drawing spur's own codes (being built).
