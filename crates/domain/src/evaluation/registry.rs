//! Which respondents have been seen, with their profile and the projects they rated.
//!
//! Memory is what the duplicate check needs and no more: the respondent identifiers live in one
//! byte arena, the hash table holds 4-byte indices, and each respondent has a compact profile and
//! a bit per project. Nothing here grows with the number of rows, only with respondents.

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

/// A respondent's profile as positions in the code lists; `0` means "not stated" and a code at
/// position `k` is stored as `k + 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CompactProfile {
    pub(crate) district: u16,
    pub(crate) gender: u16,
    pub(crate) education: u16,
    pub(crate) occupation: u16,
    pub(crate) channel: u16,
    /// Age in years; `0` means not stated (accepted ages start at 10).
    pub(crate) age: u8,
}

/// Which profile field first differs between two profiles of one respondent.
pub(crate) fn first_difference(a: &CompactProfile, b: &CompactProfile) -> Option<&'static str> {
    [
        (a.district != b.district, "district"),
        (a.gender != b.gender, "gender"),
        (a.age != b.age, "age"),
        (a.education != b.education, "education"),
        (a.occupation != b.occupation, "occupation"),
        (a.channel != b.channel, "channel"),
    ]
    .into_iter()
    .find_map(|(differs, name)| differs.then_some(name))
}

/// Why a row conflicts with what was already seen of its respondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegistryConflict {
    /// The profile differs in this column.
    InconsistentProfile {
        column: &'static str,
        first_row: u64,
    },
    /// The respondent already rated the project.
    DuplicateProject { first_row: u64 },
}

/// The respondents seen so far.
#[derive(Debug, Clone)]
pub(crate) struct RespondentRegistry {
    hasher: DefaultHashBuilder,
    table: HashTable<u32>,
    id_bytes: Vec<u8>,
    id_ends: Vec<usize>,
    profiles: Vec<CompactProfile>,
    first_rows: Vec<u64>,
    rated: Vec<u64>,
    words_per_respondent: usize,
}

impl RespondentRegistry {
    pub(crate) fn new(project_count: usize) -> Self {
        Self {
            hasher: DefaultHashBuilder::default(),
            table: HashTable::new(),
            id_bytes: Vec::new(),
            id_ends: Vec::new(),
            profiles: Vec::new(),
            first_rows: Vec::new(),
            rated: Vec::new(),
            words_per_respondent: project_count.div_ceil(64).max(1),
        }
    }

    /// Checks a row of `id` rating `project` against earlier rows and records it when it does not
    /// conflict. A conflicting row changes nothing.
    pub(crate) fn record(
        &mut self,
        id: &[u8],
        profile: CompactProfile,
        project: usize,
        row: u64,
    ) -> Result<(), RegistryConflict> {
        let hash = self.hasher.hash_one(id);
        let (id_bytes, id_ends) = (&self.id_bytes, &self.id_ends);
        let found = self
            .table
            .find(hash, |&index| {
                id_at(id_bytes, id_ends, index as usize) == id
            })
            .copied();
        let word = project / 64;
        let bit = 1u64 << (project % 64);
        match found {
            Some(index) => {
                let index = index as usize;
                if let Some(column) = first_difference(&self.profiles[index], &profile) {
                    return Err(RegistryConflict::InconsistentProfile {
                        column,
                        first_row: self.first_rows[index],
                    });
                }
                let slot = &mut self.rated[index * self.words_per_respondent + word];
                if *slot & bit != 0 {
                    return Err(RegistryConflict::DuplicateProject {
                        first_row: self.first_rows[index],
                    });
                }
                *slot |= bit;
                Ok(())
            }
            None => {
                let index = self.id_ends.len();
                self.id_bytes.extend_from_slice(id);
                self.id_ends.push(self.id_bytes.len());
                self.profiles.push(profile);
                self.first_rows.push(row);
                self.rated
                    .extend(std::iter::repeat_n(0, self.words_per_respondent));
                self.rated[index * self.words_per_respondent + word] |= bit;
                let (hasher, id_bytes, id_ends) = (&self.hasher, &self.id_bytes, &self.id_ends);
                self.table.insert_unique(hash, index as u32, |&other| {
                    hasher.hash_one(id_at(id_bytes, id_ends, other as usize))
                });
                Ok(())
            }
        }
    }

    /// Number of distinct respondents.
    pub(crate) fn len(&self) -> usize {
        self.id_ends.len()
    }

    /// The profiles of all respondents, in order of first appearance.
    pub(crate) fn profiles(&self) -> &[CompactProfile] {
        &self.profiles
    }
}

fn id_at<'a>(id_bytes: &'a [u8], id_ends: &[usize], index: usize) -> &'a [u8] {
    let start = if index == 0 { 0 } else { id_ends[index - 1] };
    &id_bytes[start..id_ends[index]]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(district: u16) -> CompactProfile {
        CompactProfile {
            district,
            ..Default::default()
        }
    }

    #[test]
    fn records_respondents_and_projects() {
        let mut registry = RespondentRegistry::new(70);
        registry.record(b"a", profile(1), 0, 2).unwrap();
        registry.record(b"a", profile(1), 65, 3).unwrap();
        registry.record(b"b", profile(2), 0, 4).unwrap();
        assert_eq!(registry.len(), 2);
        assert_eq!(
            registry.record(b"a", profile(1), 65, 9),
            Err(RegistryConflict::DuplicateProject { first_row: 2 })
        );
        assert_eq!(
            registry.record(b"b", profile(3), 1, 9),
            Err(RegistryConflict::InconsistentProfile {
                column: "district",
                first_row: 4
            })
        );
        // A conflicting row leaves no trace: b may still rate project 1 with its own profile.
        registry.record(b"b", profile(2), 1, 10).unwrap();
    }

    #[test]
    fn many_respondents_stay_distinct() {
        let mut registry = RespondentRegistry::new(16);
        for i in 0..10_000u32 {
            registry
                .record(format!("R{i}").as_bytes(), profile(1), 3, u64::from(i))
                .unwrap();
        }
        assert_eq!(registry.len(), 10_000);
        assert!(registry.record(b"R9999", profile(1), 3, 0).is_err());
        registry.record(b"R99999", profile(1), 3, 0).unwrap();
    }
}
