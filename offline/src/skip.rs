//! Records skipped by a step that must complete for everyone else: one bad record (hand-made by a
//! stranger from `docs/protocol.md`) is counted with a typed reason, reported to the operator or
//! desk and audited, and the rest of the step goes on.

use std::collections::BTreeMap;

use serde::Serialize;

/// Why a record was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// It names an authority id the directory does not list.
    UnknownAuthority,
    /// A sealed part does not open with the key it should open with.
    DoesNotOpen,
    /// A field is invalid (wrong size, control or bidi character, bad region, bad times).
    BadField,
    /// The registration it points to was deleted or has expired.
    Deleted,
    /// It names something the case did not reach.
    OutsideCase,
    /// It is sealed to another authority and is not given out here.
    OtherAuthority,
}

impl SkipReason {
    /// Every reason, in the order reports list them.
    pub const ALL: [SkipReason; 6] = [
        Self::UnknownAuthority,
        Self::DoesNotOpen,
        Self::BadField,
        Self::Deleted,
        Self::OutsideCase,
        Self::OtherAuthority,
    ];

    /// Words for the operator's console (English; the desk words its skips from desk.ftl), for
    /// `n` records.
    pub fn text(self, n: u64) -> &'static str {
        let one = n == 1;
        match self {
            Self::UnknownAuthority if one => "names an authority not in the directory",
            Self::UnknownAuthority => "name an authority not in the directory",
            Self::DoesNotOpen if one => "does not open with the key it is meant for",
            Self::DoesNotOpen => "do not open with the key they are meant for",
            Self::BadField if one => "carries invalid fields",
            Self::BadField => "carry invalid fields",
            Self::Deleted if one => "points to a registration that was deleted or has expired",
            Self::Deleted => "point to a registration that was deleted or has expired",
            Self::OutsideCase if one => "names something the case did not reach",
            Self::OutsideCase => "name something the case did not reach",
            Self::OtherAuthority if one => "is sealed to another authority",
            Self::OtherAuthority => "are sealed to another authority",
        }
    }

    /// The reason a protocol error gives for skipping a record.
    pub fn of(e: &spur_protocol::ProtocolError) -> Self {
        use spur_protocol::ProtocolError as P;
        match e {
            P::OpenFailed { .. } | P::BadSignature { .. } => Self::DoesNotOpen,
            P::UnknownAuthority(_) => Self::UnknownAuthority,
            _ => Self::BadField,
        }
    }

    /// The short name used in audit lines.
    pub fn name(self) -> &'static str {
        match self {
            Self::UnknownAuthority => "unknown-authority",
            Self::DoesNotOpen => "does-not-open",
            Self::BadField => "bad-field",
            Self::Deleted => "deleted",
            Self::OutsideCase => "outside-case",
            Self::OtherAuthority => "other-authority",
        }
    }
}

/// Counts of skipped records by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Skips(BTreeMap<SkipReason, u64>);

impl Skips {
    /// No skips.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one skipped record.
    pub fn add(&mut self, reason: SkipReason) {
        let n = self.0.entry(reason).or_insert(0);
        *n = n.saturating_add(1);
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &Skips) {
        for (r, n) in &other.0 {
            let m = self.0.entry(*r).or_insert(0);
            *m = m.saturating_add(*n);
        }
    }

    /// Records skipped for `reason`.
    pub fn count(&self, reason: SkipReason) -> u64 {
        self.0.get(&reason).copied().unwrap_or(0)
    }

    /// All records skipped.
    pub fn total(&self) -> u64 {
        self.0.values().fold(0u64, |a, n| a.saturating_add(*n))
    }

    /// True when nothing was skipped.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// `"3 records skipped: 2 name an authority not in the directory, 1 carry invalid fields"`,
    /// or `None` when nothing was skipped.
    pub fn summary(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(r, n)| format!("{n} {}", r.text(*n)))
            .collect();
        let total = self.total();
        let records = if total == 1 { "record" } else { "records" };
        Some(format!("{total} {records} skipped: {}", parts.join(", ")))
    }

    /// The counts for an audit line: `{"unknown-authority": 2, …}`.
    pub fn audit(&self) -> serde_json::Value {
        serde_json::Value::Object(
            self.0
                .iter()
                .map(|(r, n)| (r.name().to_owned(), serde_json::Value::from(*n)))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_names_each_reason_with_its_count() {
        let mut s = Skips::new();
        assert_eq!(s.summary(), None);
        s.add(SkipReason::UnknownAuthority);
        s.add(SkipReason::UnknownAuthority);
        s.add(SkipReason::BadField);
        assert_eq!(s.total(), 3);
        let t = s.summary().unwrap();
        assert!(t.starts_with("3 records skipped: "), "{t}");
        assert!(
            t.contains("2 name an authority not in the directory"),
            "{t}"
        );
        assert!(t.ends_with(", 1 carries invalid fields"), "{t}");
        assert_eq!(s.audit()["bad-field"], 1);
        let mut one = Skips::new();
        one.add(SkipReason::Deleted);
        assert_eq!(
            one.summary().as_deref(),
            Some("1 record skipped: 1 points to a registration that was deleted or has expired")
        );
    }
}
