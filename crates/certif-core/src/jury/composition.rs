//! Who sits on a jury: the composition a certification asks for (spec/jury.md §1) and whether
//! the members present make it.

use super::*;

/// How many members of one role sit on the jury.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seat {
    pub role: String,
    pub min: u32,
    pub max: u32,
}

/// Who must sit on a certification's jury (its overlay's data; spec/jury.md §1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Composition {
    pub seats: Vec<Seat>,
    /// The role that presides and holds the casting vote.
    pub presiding: String,
    /// Members of roles no seat names, beyond the seats' minimums (the default composition's
    /// "at least 2 other members").
    #[serde(default)]
    pub min_others: u32,
}

/// The teachers' role: its count has its own reason codes.
pub const TEACHER: &str = "teacher";
pub const PRESIDENT: &str = "president";

impl Composition {
    /// A certification without a composition of its own: one president, at least 2 others.
    pub fn default_for_any() -> Composition {
        Composition { seats: vec![Seat { role: PRESIDENT.into(), min: 1, max: 1 }], presiding: PRESIDENT.into(), min_others: 2 }
    }

    /// A composition that can be met: the presiding role has a seat of exactly one, every
    /// seat's minimum is at most its maximum, no role has two seats. `Err((path, why))`.
    pub fn check_itself(&self) -> Result<(), (String, String)> {
        for (i, seat) in self.seats.iter().enumerate() {
            if seat.min > seat.max {
                return Err((format!("seats[{i}]"), format!("min {} is above max {}", seat.min, seat.max)));
            }
            if self.seats[..i].iter().any(|s| s.role == seat.role) {
                return Err((format!("seats[{i}].role"), format!("the role {} has two seats", seat.role)));
            }
        }
        match self.seat(&self.presiding) {
            Some(seat) if seat.min == 1 && seat.max == 1 => Ok(()),
            _ => Err(("presiding".into(), format!("the presiding role {} needs a seat of exactly one", self.presiding))),
        }
    }

    fn seat(&self, role: &str) -> Option<&Seat> {
        self.seats.iter().find(|s| s.role == role)
    }
}

/// A seat on a session's jury.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub name: String,
    pub role: String,
    /// For a representative: the person represented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representing: Option<String>,
    pub present: bool,
    /// The certif account (username) that sits in this seat: it may act as this role in the
    /// API and the web (the president's account deliberates, closes and signs). Never on the
    /// minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

/// The member present in the presiding seat (`presiding`: the composition's presiding role):
/// who signs, holds the casting vote, and whose account may conduct the session.
pub fn presiding_member<'a>(presiding: &str, members: &'a [Member]) -> Option<&'a Member> {
    members.iter().find(|m| m.present && m.role == presiding)
}

/// Every reason the members present do not make the jury (all at once; empty when it holds).
pub fn check_composition(composition: &Composition, members: &[Member]) -> Vec<Refusal> {
    let mut refusals = Vec::new();
    // A person sits once: in their own name, or through the one who represents them.
    let mut seen: HashMap<String, &str> = HashMap::new();
    for member in members {
        let people = std::iter::once(&member.name).chain(member.representing.as_ref());
        for person in people {
            if let Some(role) = seen.insert(person.trim().to_lowercase(), &member.role) {
                refusals.push(refusal(JuryCode::JuryMemberTwice, format!("{person} siège deux fois (rôles {role} et {})", member.role)));
            }
        }
    }
    let present = |role: &str| members.iter().filter(|m| m.present && m.role == role).count() as u32;
    for seat in &composition.seats {
        let count = present(&seat.role);
        let teachers = seat.role == TEACHER;
        if count < seat.min {
            let code = if teachers { JuryCode::JuryTooFewTeachers } else { JuryCode::JuryRoleMissing };
            refusals.push(refusal(code, format!("rôle {} : {count} présent(s), il en faut au moins {}", seat.role, seat.min)));
        } else if count > seat.max {
            let code = if teachers { JuryCode::JuryTooManyTeachers } else { JuryCode::JuryRoleTooMany };
            refusals.push(refusal(code, format!("rôle {} : {count} présent(s), au plus {}", seat.role, seat.max)));
        }
    }
    let others = members.iter().filter(|m| m.present && composition.seat(&m.role).is_none()).count() as u32;
    if others < composition.min_others {
        refusals.push(refusal(
            JuryCode::JuryRoleMissing,
            format!("{others} autre(s) membre(s) présent(s) que la présidence, il en faut au moins {}", composition.min_others),
        ));
    }
    refusals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jury::tests::codes;

    /// RNCP39668's jury (its overlay holds the same as data).
    fn rncp39668() -> Composition {
        let one = |role: &str| Seat { role: role.into(), min: 1, max: 1 };
        Composition {
            seats: vec![
                one(PRESIDENT),
                one("director_of_studies"),
                one("alternance_manager"),
                one("partner_training_manager"),
                Seat { role: TEACHER.into(), min: 4, max: 6 },
                one("cfa_director"),
            ],
            presiding: PRESIDENT.into(),
            min_others: 0,
        }
    }

    fn member(name: &str, role: &str) -> Member {
        Member { name: name.into(), role: role.into(), representing: None, present: true, account: None }
    }

    fn full_jury() -> Vec<Member> {
        let mut members = vec![
            member("Anne Directrice", PRESIDENT),
            member("Bruno Études", "director_of_studies"),
            member("Chloé Alternance", "alternance_manager"),
            member("David CNAM", "partner_training_manager"),
            member("Élise CFA", "cfa_director"),
        ];
        members.extend((1..=4).map(|n| member(&format!("Enseignant {n}"), TEACHER)));
        members
    }

    #[test]
    fn the_fiche_s_jury_holds_with_four_to_six_teachers() {
        let composition = rncp39668();
        assert!(check_composition(&composition, &full_jury()).is_empty());
        let mut six = full_jury();
        six.extend([member("Enseignant 5", TEACHER), member("Enseignant 6", TEACHER)]);
        assert!(check_composition(&composition, &six).is_empty());
        six.push(member("Enseignant 7", TEACHER));
        assert_eq!(codes(&check_composition(&composition, &six)), [JuryCode::JuryTooManyTeachers]);
    }

    #[test]
    fn an_absent_member_does_not_count_and_every_problem_is_said_at_once() {
        let mut members = full_jury();
        members[0].present = false;
        members.retain(|m| m.name != "Enseignant 4");
        members.push(member("Bruno Études", "alternance_manager"));
        let found = codes(&check_composition(&rncp39668(), &members));
        assert!(found.contains(&JuryCode::JuryRoleMissing), "{found:?}");
        assert!(found.contains(&JuryCode::JuryTooFewTeachers), "{found:?}");
        assert!(found.contains(&JuryCode::JuryRoleTooMany), "{found:?}");
        assert!(found.contains(&JuryCode::JuryMemberTwice), "{found:?}");
    }

    #[test]
    fn a_person_represented_while_seated_sits_twice() {
        let mut members = full_jury();
        let mut representative = member("Zoé Adjointe", "teacher");
        representative.representing = Some(members[0].name.to_uppercase());
        members.retain(|m| m.name != "Enseignant 4");
        members.push(representative);
        assert_eq!(codes(&check_composition(&rncp39668(), &members)), [JuryCode::JuryMemberTwice]);
        let absent_principal = {
            let mut m = members.clone();
            m.retain(|x| x.role != "president");
            let mut president = member("Yves Délégué", "president");
            president.representing = Some("Directeur Absent".into());
            m.push(president);
            m
        };
        assert_eq!(codes(&check_composition(&rncp39668(), &absent_principal)), [], "a representative of someone not seated sits once");
    }

    #[test]
    fn a_composition_that_cannot_be_met_is_refused_with_its_path() {
        assert!(rncp39668().check_itself().is_ok());
        assert!(Composition::default_for_any().check_itself().is_ok());
        let mut c = rncp39668();
        c.seats[4].min = 7;
        assert_eq!(c.check_itself().unwrap_err().0, "seats[4]");
        let mut c = rncp39668();
        c.presiding = "teacher".into();
        assert_eq!(c.check_itself().unwrap_err().0, "presiding");
        let mut c = rncp39668();
        c.seats.push(Seat { role: TEACHER.into(), min: 0, max: 1 });
        assert_eq!(c.check_itself().unwrap_err().0, "seats[6].role");
    }

    #[test]
    fn another_certification_needs_a_president_and_two_others() {
        let composition = Composition::default_for_any();
        let two = vec![member("P", PRESIDENT), member("A", "member")];
        assert_eq!(codes(&check_composition(&composition, &two)), [JuryCode::JuryRoleMissing]);
        let three = vec![member("P", PRESIDENT), member("A", "member"), member("B", "member")];
        assert!(check_composition(&composition, &three).is_empty());
    }
}
