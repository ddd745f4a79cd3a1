//! Which row holds each respondent's current response, kept in memory for the waves being
//! written. It replaces a unique index on the random respondent keys, which put every stored
//! response on a random index page of the database file.
//!
//! Each wave's keys are split into 256 maps by their first byte (the keys are keyed hashes, so
//! the maps fill evenly): a map that outgrows its table is rehashed while a batch waits, and a
//! 256th of a million keys rehashes in well under a millisecond, where one table of them all
//! would hold up every submission for a noticeable moment.
//!
//! The directory is only as good as its agreement with the database, so it is dropped whenever
//! that may have ended: when another connection (another process) has written to the file
//! since (`PRAGMA data_version` changed), and when a batch fails.

use std::collections::HashMap;

/// Row numbers of current responses, by wave and respondent key.
#[derive(Debug, Default)]
pub(crate) struct RespondentDirectory {
    /// `PRAGMA data_version` as the writer connection last saw it with the directory in step.
    data_version: Option<i64>,
    waves: HashMap<i64, WaveRows>,
}

/// Shards of one wave's rows, by the first byte of the respondent key.
#[derive(Debug)]
struct WaveRows(Vec<HashMap<Box<[u8]>, i64>>);

impl Default for WaveRows {
    fn default() -> Self {
        WaveRows((0..256).map(|_| HashMap::new()).collect())
    }
}

impl WaveRows {
    fn shard(&self, key: &[u8]) -> &HashMap<Box<[u8]>, i64> {
        &self.0[usize::from(key.first().copied().unwrap_or(0))]
    }

    fn shard_mut(&mut self, key: &[u8]) -> &mut HashMap<Box<[u8]>, i64> {
        &mut self.0[usize::from(key.first().copied().unwrap_or(0))]
    }

    fn insert(&mut self, key: Box<[u8]>, row: i64) {
        self.shard_mut(&key).insert(key, row);
    }
}

impl RespondentDirectory {
    /// Starts a batch that saw `data_version`: a different value than last time means another
    /// connection has written, and everything known is forgotten.
    pub(crate) fn begin(&mut self, data_version: i64) {
        if self.data_version != Some(data_version) {
            self.waves.clear();
            self.data_version = Some(data_version);
        }
    }

    /// Forgets everything, so that the next batch reads from the database again.
    pub(crate) fn forget_all(&mut self) {
        self.waves.clear();
        self.data_version = None;
    }

    /// True when the rows of `wave` are known.
    pub(crate) fn knows(&self, wave: i64) -> bool {
        self.waves.contains_key(&wave)
    }

    /// Records the rows of `wave` as read from the database (row number, respondent key).
    pub(crate) fn load(&mut self, wave: i64, rows: impl IntoIterator<Item = (i64, Vec<u8>)>) {
        let known = self.waves.entry(wave).or_default();
        for (row, key) in rows {
            known.insert(key.into_boxed_slice(), row);
        }
    }

    /// The row of a respondent's current response in `wave`, if any.
    pub(crate) fn row_of(&self, wave: i64, key: &[u8]) -> Option<i64> {
        self.waves.get(&wave)?.shard(key).get(key).copied()
    }

    /// Records a committed new response.
    pub(crate) fn insert(&mut self, wave: i64, key: &[u8], row: i64) {
        self.waves.entry(wave).or_default().insert(key.into(), row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rows_by_wave_and_key() {
        let mut directory = RespondentDirectory::default();
        directory.begin(1);
        directory.load(7, [(10, b"a".to_vec()), (11, b"b".to_vec())]);
        directory.insert(7, b"c", 12);
        assert!(directory.knows(7));
        assert!(!directory.knows(8));
        assert_eq!(directory.row_of(7, b"b"), Some(11));
        assert_eq!(directory.row_of(7, b"c"), Some(12));
        assert_eq!(directory.row_of(8, b"a"), None, "waves are separate");
    }

    #[test]
    fn a_write_by_another_connection_or_a_failure_forgets_everything() {
        let mut directory = RespondentDirectory::default();
        directory.begin(1);
        directory.load(7, [(10, b"a".to_vec())]);
        directory.begin(1);
        assert!(
            directory.knows(7),
            "the same data version keeps what is known"
        );
        directory.begin(2);
        assert!(!directory.knows(7));
        directory.load(7, [(10, b"a".to_vec())]);
        directory.forget_all();
        assert!(!directory.knows(7));
    }
}
