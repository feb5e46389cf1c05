//! The page language: the desk's setting (`spur authority init --lang`), German by default.

use spur_i18n::Lang;

/// The desk's language setting.
pub fn desk_lang(desk: &crate::Desk) -> Lang {
    desk.lang()
}
