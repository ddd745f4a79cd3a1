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
    /// Respondent indices with 32 bits of their identifier's hash, so that growing the table
    /// never re-reads the identifiers (8 bytes an entry).
    table: HashTable<(u32, u32)>,
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

    /// Records that the known respondent `index` rates `project`, unless they already did.
    #[inline]
    pub(crate) fn record_known(
        &mut self,
        index: u32,
        project: usize,
    ) -> Result<(), RegistryConflict> {
        let index = index as usize;
        let slot = &mut self.rated[index * self.words_per_respondent + project / 64];
        let bit = 1u64 << (project % 64);
        if *slot & bit != 0 {
            return Err(RegistryConflict::DuplicateProject {
                first_row: self.first_rows[index],
            });
        }
        *slot |= bit;
        Ok(())
    }

    /// Checks a row of `id` rating `project` against earlier rows and records it when it does not
    /// conflict; returns the respondent's index and whether they are new. A conflicting row
    /// changes nothing.
    pub(crate) fn record(
        &mut self,
        id: &[u8],
        profile: CompactProfile,
        project: usize,
        row: u64,
    ) -> Result<(u32, bool), RegistryConflict> {
        let hash = self.table_hash(id);
        match self.find(hash, id) {
            Some(index) => {
                if let Some(column) = first_difference(&self.profiles[index as usize], &profile) {
                    return Err(RegistryConflict::InconsistentProfile {
                        column,
                        first_row: self.first_rows[index as usize],
                    });
                }
                self.record_known(index, project)?;
                Ok((index, false))
            }
            None => {
                let index = self.insert(hash, id, profile, row);
                self.record_known(index, project)?;
                Ok((index, true))
            }
        }
    }

    /// The hash the table uses: 32 bits of the identifier's hash, repeated in both halves so
    /// that it can be rebuilt from what an entry stores.
    #[inline]
    fn table_hash(&self, id: &[u8]) -> u64 {
        widen(self.hasher.hash_one(id) as u32)
    }

    /// The index of the respondent `id` whose table hash is `hash`.
    #[inline]
    fn find(&self, hash: u64, id: &[u8]) -> Option<u32> {
        let (id_bytes, id_ends) = (&self.id_bytes, &self.id_ends);
        let short = hash as u32;
        self.table
            .find(hash, |&(stored, index)| {
                stored == short && id_at(id_bytes, id_ends, index as usize) == id
            })
            .map(|&(_, index)| index)
    }

    /// Adds a respondent who rated nothing yet; returns their index.
    fn insert(&mut self, hash: u64, id: &[u8], profile: CompactProfile, first_row: u64) -> u32 {
        let index = self.id_ends.len() as u32;
        self.id_bytes.extend_from_slice(id);
        self.id_ends.push(self.id_bytes.len());
        self.profiles.push(profile);
        self.first_rows.push(first_row);
        self.rated
            .extend(std::iter::repeat_n(0, self.words_per_respondent));
        self.table
            .insert_unique(hash, (hash as u32, index), |&(stored, _)| widen(stored));
        index
    }

    /// Adds every respondent of `other` (a registry of another part of the same file): a
    /// respondent in both must have the same profile and disjoint projects. Returns the profiles
    /// of the respondents found in both. On a conflict the registry is left partly merged, and
    /// the caller must discard it.
    pub(crate) fn merge(
        &mut self,
        other: &RespondentRegistry,
    ) -> Result<Vec<CompactProfile>, RegistryConflict> {
        let mut shared = Vec::new();
        assert_eq!(self.words_per_respondent, other.words_per_respondent);
        let words = self.words_per_respondent;
        for index in 0..other.len() {
            let id = id_at(&other.id_bytes, &other.id_ends, index);
            let rated = &other.rated[index * words..(index + 1) * words];
            let hash = self.table_hash(id);
            let mine = match self.find(hash, id) {
                Some(mine) => {
                    shared.push(other.profiles[index]);
                    mine as usize
                }
                None => {
                    self.insert(hash, id, other.profiles[index], other.first_rows[index]) as usize
                }
            };
            if let Some(column) = first_difference(&self.profiles[mine], &other.profiles[index]) {
                return Err(RegistryConflict::InconsistentProfile {
                    column,
                    first_row: self.first_rows[mine],
                });
            }
            let target = &mut self.rated[mine * words..(mine + 1) * words];
            if target.iter().zip(rated).any(|(a, b)| a & b != 0) {
                return Err(RegistryConflict::DuplicateProject {
                    first_row: self.first_rows[mine],
                });
            }
            target.iter_mut().zip(rated).for_each(|(a, b)| *a |= b);
        }
        Ok(shared)
    }

    /// Number of distinct respondents.
    pub(crate) fn len(&self) -> usize {
        self.id_ends.len()
    }
}

fn widen(short: u32) -> u64 {
    (u64::from(short) << 32) | u64::from(short)
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
        assert_eq!(registry.record(b"a", profile(1), 0, 2), Ok((0, true)));
        assert_eq!(registry.record(b"a", profile(1), 65, 3), Ok((0, false)));
        assert_eq!(registry.record(b"b", profile(2), 0, 4), Ok((1, true)));
        assert_eq!(
            registry.record_known(0, 65),
            Err(RegistryConflict::DuplicateProject { first_row: 2 })
        );
        registry.record_known(0, 66).unwrap();
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
    fn merging_checks_shared_respondents() {
        let mut left = RespondentRegistry::new(16);
        left.record(b"a", profile(1), 0, 2).unwrap();
        left.record(b"b", profile(1), 0, 3).unwrap();
        let mut right = RespondentRegistry::new(16);
        right.record(b"a", profile(1), 1, 1).unwrap();
        right.record(b"c", profile(2), 0, 2).unwrap();
        let mut merged = left.clone();
        assert_eq!(
            merged.merge(&right).unwrap(),
            vec![profile(1)],
            "a is in both"
        );
        assert_eq!(merged.len(), 3);
        assert!(
            merged.record(b"a", profile(1), 1, 9).is_err(),
            "a rated project 1 on the right"
        );
        let mut duplicate = RespondentRegistry::new(16);
        duplicate.record(b"b", profile(1), 0, 1).unwrap();
        assert!(matches!(
            left.clone().merge(&duplicate),
            Err(RegistryConflict::DuplicateProject { .. })
        ));
        let mut inconsistent = RespondentRegistry::new(16);
        inconsistent.record(b"b", profile(5), 3, 1).unwrap();
        assert!(matches!(
            left.merge(&inconsistent),
            Err(RegistryConflict::InconsistentProfile { .. })
        ));
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
