//! The simulated population of `spur demo`: people, places, printed cards, a schedule of stays,
//! and the ground truth a trace must reproduce exactly.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// How a stay was scanned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// Place number `n`.
    Place(usize),
    /// The printed card of person `n`.
    Card(usize),
}

/// One stay of one person at one code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stay {
    /// Who scanned.
    pub person: usize,
    /// What was scanned.
    pub code: Code,
    /// Minutes since the start of the simulation (check-in).
    pub from: u32,
    /// Check-out, exclusive.
    pub to: u32,
    /// Scanned without network: uploaded later.
    pub offline: bool,
}

/// A simulated person.
#[derive(Clone, Debug)]
pub struct Person {
    /// Phone number (E.164, fictional range).
    pub phone: String,
    /// Postcode of residence.
    pub postcode: String,
    /// Has no smartphone: carries a printed card and never scans.
    pub card_only: bool,
}

/// A simulated place.
#[derive(Clone, Debug)]
pub struct Place {
    /// Name shown at scan time.
    pub name: String,
    /// Postcode.
    pub postcode: String,
}

/// The whole simulation.
#[derive(Clone, Debug)]
pub struct World {
    /// People.
    pub people: Vec<Person>,
    /// Places.
    pub places: Vec<Place>,
    /// Every stay, sorted by check-in.
    pub stays: Vec<Stay>,
    /// Days simulated.
    pub days: u32,
}

const PLACE_NAMES: [&str; 12] = [
    "Café Zur Post",
    "Mensa Garching",
    "Bäckerei Huber",
    "Stadtbibliothek",
    "Fitnessstudio Ost",
    "Gasthaus Hirsch",
    "Hörsaal MW 2001",
    "Buchladen am Eck",
    "Kino Rio",
    "Eisdiele Venezia",
    "Rathaus Bürgerbüro",
    "Marktstand 7",
];
/// Check-in durations the app offers, in minutes.
pub const DURATIONS: [u32; 6] = [15, 30, 60, 120, 180, 240];

fn below(rng: &mut ChaCha20Rng, n: u32) -> u32 {
    rng.next_u32() % n.max(1)
}

impl World {
    /// Generates a population of `people` over `days` days from `seed`, deterministically.
    pub fn generate(people: usize, days: u32, seed: u64) -> Self {
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let postcodes = [
            "80331", "80333", "80469", "80538", "81667", "10115", "10178",
        ];
        let people: Vec<Person> = (0..people)
            .map(|i| {
                let postcode = postcodes[below(&mut rng, postcodes.len() as u32) as usize];
                // About one in eight has no smartphone; person 0 always has one. Card holders
                // live anywhere: an owner of another authority is forwarded to it.
                let card_only = i > 0 && below(&mut rng, 8) == 0;
                Person {
                    phone: format!("+49155{:08}", 10_000 + i),
                    postcode: postcode.to_owned(),
                    card_only,
                }
            })
            .collect();
        let n_places = (people.len() / 5).clamp(3, 30);
        let places: Vec<Place> = (0..n_places)
            .map(|i| Place {
                name: if i < PLACE_NAMES.len() {
                    PLACE_NAMES[i].to_owned()
                } else {
                    format!(
                        "{} {}",
                        PLACE_NAMES[i % PLACE_NAMES.len()],
                        i / PLACE_NAMES.len() + 1
                    )
                },
                postcode: postcodes[i % 5].to_owned(),
            })
            .collect();
        let cards: Vec<usize> = (0..people.len()).filter(|&i| people[i].card_only).collect();
        let mut stays = Vec::new();
        for (p, person) in people.iter().enumerate() {
            if person.card_only {
                continue;
            }
            for day in 0..days {
                // Two to four stays a day, one after the other between 08:00 and 22:00.
                let mut t = day * 1440 + 8 * 60 + below(&mut rng, 90);
                for _ in 0..2 + below(&mut rng, 3) {
                    let len = DURATIONS[below(&mut rng, DURATIONS.len() as u32) as usize];
                    if t + len > day * 1440 + 22 * 60 {
                        break;
                    }
                    let code = if !cards.is_empty() && below(&mut rng, 6) == 0 {
                        Code::Card(cards[below(&mut rng, cards.len() as u32) as usize])
                    } else {
                        // Person 0 favours the first places so the demo's trace finds someone.
                        let n = if p == 0 {
                            3.min(places.len())
                        } else {
                            places.len()
                        };
                        Code::Place(below(&mut rng, n as u32) as usize)
                    };
                    stays.push(Stay {
                        person: p,
                        code,
                        from: t,
                        to: t + len,
                        offline: below(&mut rng, 10) == 0,
                    });
                    t += len + 15 + below(&mut rng, 120);
                }
            }
        }
        stays.sort_by_key(|s| (s.from, s.person));
        Self {
            people,
            places,
            stays,
            days,
        }
    }

    /// Everyone who met `infected` within `[from, to)`: people whose stay at the same code
    /// overlaps one of the infected person's stays, and the owners of cards the infected person
    /// scanned (they were there). Sorted, without the infected person.
    pub fn contacts_of(&self, infected: usize, from: u32, to: u32) -> Vec<usize> {
        let mine: Vec<&Stay> = self
            .stays
            .iter()
            .filter(|s| s.person == infected && s.from < to && s.to > from)
            .collect();
        let mut out: Vec<usize> = Vec::new();
        for m in &mine {
            if let Code::Card(owner) = m.code {
                out.push(owner);
            }
            for s in &self.stays {
                if s.person != infected && s.code == m.code && s.from < m.to && m.from < s.to {
                    out.push(s.person);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|&p| p != infected);
        out
    }
}

impl World {
    /// Everyone who scanned `holder`'s printed card within `[from, to)`: the contacts of a
    /// card-only person. Sorted.
    pub fn card_scanners(&self, holder: usize, from: u32, to: u32) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .stays
            .iter()
            .filter(|s| matches!(s.code, Code::Card(o) if o == holder))
            .filter(|s| s.from < to && s.to > from)
            .map(|s| s.person)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Describes how `other` met `infected` (for a trace that differs from the ground truth).
    pub fn explain(&self, infected: usize, other: usize) -> String {
        let o = &self.people[other];
        let mut out = format!(
            "person {other} ({}, postcode {}, {}):",
            o.phone,
            o.postcode,
            if o.card_only {
                "printed card only"
            } else {
                "smartphone"
            }
        );
        for m in self.stays.iter().filter(|s| s.person == infected) {
            for s in self
                .stays
                .iter()
                .filter(|s| s.person == other && s.code == m.code)
            {
                out.push_str(&format!(
                    "\n  at {:?}: infected {}–{}{}, other {}–{}{}",
                    m.code,
                    m.from,
                    m.to,
                    if m.offline { " (offline)" } else { "" },
                    s.from,
                    s.to,
                    if s.offline { " (offline)" } else { "" }
                ));
            }
            if m.code == Code::Card(other) {
                out.push_str(&format!(
                    "\n  the infected person scanned this person's card {}–{}",
                    m.from, m.to
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_plausible() {
        let a = World::generate(50, 2, 7);
        let b = World::generate(50, 2, 7);
        assert_eq!(a.stays, b.stays);
        assert!(a.stays.len() > 100);
        assert!(a
            .stays
            .iter()
            .all(|s| s.to > s.from && !a.people[s.person].card_only));
        // Stays of one person never overlap.
        for p in 0..50 {
            let mut v: Vec<_> = a.stays.iter().filter(|s| s.person == p).collect();
            v.sort_by_key(|s| s.from);
            assert!(v.windows(2).all(|w| w[0].to <= w[1].from));
        }
    }

    #[test]
    fn ground_truth_is_overlap_at_the_same_code() {
        let w = World {
            people: vec![],
            places: vec![],
            days: 1,
            stays: vec![
                Stay {
                    person: 0,
                    code: Code::Place(0),
                    from: 100,
                    to: 160,
                    offline: false,
                },
                Stay {
                    person: 1,
                    code: Code::Place(0),
                    from: 150,
                    to: 200,
                    offline: false,
                },
                Stay {
                    person: 2,
                    code: Code::Place(0),
                    from: 160,
                    to: 200,
                    offline: false,
                },
                Stay {
                    person: 3,
                    code: Code::Place(1),
                    from: 100,
                    to: 160,
                    offline: false,
                },
                Stay {
                    person: 0,
                    code: Code::Card(5),
                    from: 300,
                    to: 330,
                    offline: false,
                },
                Stay {
                    person: 4,
                    code: Code::Card(5),
                    from: 320,
                    to: 400,
                    offline: false,
                },
            ],
        };
        assert_eq!(w.contacts_of(0, 0, 1440), vec![1, 4, 5]);
        assert_eq!(w.contacts_of(0, 0, 200), vec![1]);
    }
}
