//! The words of one page: the desk's Fluent texts in the session's language, as the templates
//! call them (`t.w("id")`, `t.n("id", "count", 3)`, `t.m(msg)`).

use spur_i18n::{Lang, Msg};

use crate::texts::Texts;

/// The words of one page.
pub struct Words<'a> {
    texts: &'a Texts,
    /// The page's language.
    pub lang: Lang,
}

impl<'a> Words<'a> {
    /// Words in `lang`.
    pub fn new(texts: &'a Texts, lang: Lang) -> Self {
        Self { texts, lang }
    }

    /// A message without arguments.
    pub fn w(&self, id: &'static str) -> String {
        self.texts.get(self.lang, id)
    }

    /// A message with one number (plurals come from Fluent).
    pub fn n(&self, id: &'static str, name: &'static str, value: impl Count) -> String {
        self.texts
            .format(self.lang, &Msg::new(id).num(name, value.count()))
    }

    /// A message with one text argument.
    pub fn s(&self, id: &'static str, name: &'static str, value: impl AsRef<str>) -> String {
        self.texts.format(
            self.lang,
            &Msg::new(id).text(name, value.as_ref().to_owned()),
        )
    }

    /// A prepared message.
    pub fn m(&self, msg: &Msg) -> String {
        self.texts.format(self.lang, msg)
    }

    /// The language's tag (`de`, `en`) for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }
}

/// A count a template passes (by value or by reference, as the template engine hands it).
pub trait Count {
    /// The count as Fluent takes numbers.
    fn count(&self) -> f64;
}

macro_rules! count {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn count(&self) -> f64 {
                *self as f64
            }
        }
        impl Count for &$t {
            fn count(&self) -> f64 {
                **self as f64
            }
        }
        impl Count for &&$t {
            fn count(&self) -> f64 {
                ***self as f64
            }
        }
    )*};
}
count!(u8, u32, u64, usize);
