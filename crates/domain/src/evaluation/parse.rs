//! Turning the fields of one row into validated values, without allocating on the happy path.

use crate::config::MAX_ITEMS_PER_INDEX;
use crate::config::{CodeList, Configuration, Index, Instrument};
use crate::layout::ColumnLayout;
use crate::rejection::{RejectionReason, AGE_RANGE};

use super::registry::CompactProfile;
use super::RecordFields;

/// Longest accepted wave name, in bytes.
pub(crate) const MAX_WAVE_BYTES: usize = 64;
/// Longest accepted respondent identifier, in bytes.
pub(crate) const MAX_RESPONDENT_BYTES: usize = 128;
/// Most items an instrument may have in all.
pub(crate) const MAX_ITEMS: usize = 2 * MAX_ITEMS_PER_INDEX;

/// What the evaluator needs to know about the items, precomputed once.
#[derive(Debug, Clone)]
pub(crate) struct ItemPlan {
    indices: Vec<Index>,
    levels: usize,
    /// `multipliers[k] = L / k`, where `L = lcm(1..=max items of one index)`.
    multipliers: Vec<i64>,
    /// Points per unit of the integer gap: `score step / L`.
    gap_unit: f64,
}

impl ItemPlan {
    pub(crate) fn new(instrument: &Instrument) -> Self {
        let indices: Vec<Index> = instrument.items().iter().map(|item| item.index).collect();
        let most = Index::ALL
            .iter()
            .map(|index| indices.iter().filter(|i| *i == index).count())
            .max()
            .unwrap_or(1);
        let lcm = (1..=most as i64).fold(1i64, |acc, k| acc / gcd(acc, k) * k);
        let multipliers = (0..=most as i64)
            .map(|k| if k == 0 { 0 } else { lcm / k })
            .collect();
        Self {
            indices,
            levels: instrument.scale.levels as usize,
            multipliers,
            gap_unit: instrument.score_step() / lcm as f64,
        }
    }

    pub(crate) fn levels(&self) -> usize {
        self.levels
    }

    #[inline]
    pub(crate) fn index_of(&self, item: usize) -> Index {
        self.indices[item]
    }

    /// `L / answered`: scales a sum of answer offsets so that means over different numbers of
    /// answered items share one integer unit.
    #[inline]
    pub(crate) fn gap_multiplier(&self, answered: usize) -> i64 {
        self.multipliers[answered]
    }

    /// Points of the 0–100 scale per integer gap unit.
    pub(crate) fn gap_unit(&self) -> f64 {
        self.gap_unit
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// A row's project and answers, validated.
#[derive(Debug)]
pub(crate) struct ParsedRatings {
    pub(crate) project: usize,
    /// Answers in instrument order; `None` is "don't know".
    pub(crate) answers: [Option<u8>; MAX_ITEMS],
}

type FieldError = (usize, RejectionReason);

/// The columns that describe the respondent rather than the rating, in cache order.
fn respondent_columns(layout: &ColumnLayout) -> [usize; 7] {
    [
        layout.respondent_id,
        layout.district,
        layout.gender,
        layout.age,
        layout.education,
        layout.occupation,
        layout.channel,
    ]
}

/// The respondent columns of the last accepted row, as bytes, with what they were parsed into.
/// Files list a respondent's rows together, so most rows repeat the previous row's respondent
/// and can skip the code look-ups and the hash of the identifier.
#[derive(Debug, Clone, Default)]
pub(crate) struct RespondentCache {
    bytes: Vec<u8>,
    ends: [usize; 7],
    filled: bool,
    pub(crate) profile: CompactProfile,
    pub(crate) index: u32,
}

impl RespondentCache {
    /// True when the row's respondent columns equal the cached ones byte for byte.
    #[inline]
    pub(crate) fn matches<R: RecordFields + ?Sized>(
        &self,
        layout: &ColumnLayout,
        record: &R,
    ) -> bool {
        if !self.filled {
            return false;
        }
        let mut start = 0;
        for (k, column) in respondent_columns(layout).into_iter().enumerate() {
            if !same_bytes(record.field(column), &self.bytes[start..self.ends[k]]) {
                return false;
            }
            start = self.ends[k];
        }
        true
    }

    /// Remembers the row's respondent columns and what they were parsed into.
    pub(crate) fn store<R: RecordFields + ?Sized>(
        &mut self,
        layout: &ColumnLayout,
        record: &R,
        profile: CompactProfile,
        index: u32,
    ) {
        self.bytes.clear();
        for (k, column) in respondent_columns(layout).into_iter().enumerate() {
            self.bytes.extend_from_slice(record.field(column));
            self.ends[k] = self.bytes.len();
        }
        self.profile = profile;
        self.index = index;
        self.filled = true;
    }
}

/// Byte equality for short fields, inlined: cheaper than a call to `memcmp` for a dozen bytes.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Validates the respondent identifier and the profile columns.
pub(crate) fn parse_respondent<R: RecordFields + ?Sized>(
    configuration: &Configuration,
    layout: &ColumnLayout,
    record: &R,
) -> Result<CompactProfile, FieldError> {
    required_text(record.field(layout.respondent_id), MAX_RESPONDENT_BYTES)
        .map_err(|reason| (layout.respondent_id, reason))?;
    let profile_codes = &configuration.profile;
    Ok(CompactProfile {
        district: code(record, layout.district, &configuration.districts, true)?,
        gender: code(record, layout.gender, &profile_codes.genders, false)?,
        age: age(record.field(layout.age)).map_err(|reason| (layout.age, reason))?,
        education: code(record, layout.education, &profile_codes.educations, false)?,
        occupation: code(record, layout.occupation, &profile_codes.occupations, false)?,
        channel: code(record, layout.channel, &profile_codes.channels, false)?,
    })
}

/// Validates the project and the answers.
pub(crate) fn parse_ratings<R: RecordFields + ?Sized>(
    configuration: &Configuration,
    layout: &ColumnLayout,
    plan: &ItemPlan,
    record: &R,
) -> Result<ParsedRatings, FieldError> {
    let column = layout.project;
    let project_code = record.field(column);
    let project = configuration
        .catalogue
        .position(project_code)
        .ok_or_else(|| {
            let reason = match required_text(project_code, MAX_WAVE_BYTES) {
                Err(reason) => reason,
                Ok(text) => RejectionReason::UnknownProject(text.to_string()),
            };
            (column, reason)
        })?;
    let mut answers = [None; MAX_ITEMS];
    for (item, column) in layout.items.iter().enumerate() {
        answers[item] = answer(record.field(*column), plan.levels as u32)
            .map_err(|reason| (*column, reason))?;
    }
    Ok(ParsedRatings {
        project: usize::from(project),
        answers,
    })
}

/// A non-empty UTF-8 field of at most `limit` bytes.
pub(crate) fn required_text(bytes: &[u8], limit: usize) -> Result<&str, RejectionReason> {
    if bytes.is_empty() {
        return Err(RejectionReason::Empty);
    }
    if bytes.len() > limit {
        return Err(RejectionReason::TooLong { limit });
    }
    std::str::from_utf8(bytes).map_err(|_| RejectionReason::NotUtf8)
}

fn code<R: RecordFields + ?Sized>(
    record: &R,
    column: usize,
    list: &CodeList,
    required: bool,
) -> Result<u16, FieldError> {
    let bytes = record.field(column);
    if bytes.is_empty() {
        return if required {
            Err((column, RejectionReason::Empty))
        } else {
            Ok(0)
        };
    }
    match list.position(bytes) {
        Some(position) => Ok(position + 1),
        None => Err((
            column,
            RejectionReason::UnknownCode {
                value: String::from_utf8_lossy(bytes).into_owned(),
                allowed: list.codes_for_message(),
            },
        )),
    }
}

/// Parses a whole number written with ASCII digits only (no sign, no spaces, no decimals);
/// numbers too large for `u32` saturate, so that they are reported as out of range.
#[inline]
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() {
        return None;
    }
    bytes.iter().try_fold(0u32, |acc, byte| {
        byte.is_ascii_digit().then(|| {
            acc.saturating_mul(10)
                .saturating_add(u32::from(byte - b'0'))
        })
    })
}

fn age(bytes: &[u8]) -> Result<u8, RejectionReason> {
    if bytes.is_empty() {
        return Ok(0);
    }
    let text = || String::from_utf8_lossy(bytes).into_owned();
    match digits(bytes) {
        None => Err(RejectionReason::AgeNotInteger(text())),
        Some(years) if AGE_RANGE.contains(&years) => Ok(years as u8),
        Some(_) => Err(RejectionReason::AgeOutOfRange(text())),
    }
}

#[inline]
fn answer(bytes: &[u8], levels: u32) -> Result<Option<u8>, RejectionReason> {
    if bytes.is_empty() {
        return Ok(None);
    }
    match digits(bytes) {
        Some(value) if (1..=levels).contains(&value) => Ok(Some(value as u8)),
        Some(_) => Err(RejectionReason::AnswerOutOfRange {
            value: String::from_utf8_lossy(bytes).into_owned(),
            levels,
        }),
        None => Err(RejectionReason::AnswerNotInteger(
            String::from_utf8_lossy(bytes).into_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_strict_whole_numbers() {
        assert_eq!(answer(b"", 5), Ok(None));
        assert_eq!(answer(b"5", 5), Ok(Some(5)));
        assert!(matches!(
            answer(b"0", 5),
            Err(RejectionReason::AnswerOutOfRange { .. })
        ));
        assert!(matches!(
            answer(b"6", 5),
            Err(RejectionReason::AnswerOutOfRange { .. })
        ));
        assert!(matches!(
            answer(b"99999999999", 5),
            Err(RejectionReason::AnswerOutOfRange { .. })
        ));
        for bad in [&b"3.0"[..], b" 3", b"+3", b"-1", b"three"] {
            assert!(
                matches!(answer(bad, 5), Err(RejectionReason::AnswerNotInteger(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ages_are_checked() {
        assert_eq!(age(b""), Ok(0));
        assert_eq!(age(b"34"), Ok(34));
        assert!(matches!(age(b"9"), Err(RejectionReason::AgeOutOfRange(_))));
        assert!(matches!(
            age(b"121"),
            Err(RejectionReason::AgeOutOfRange(_))
        ));
        assert!(matches!(
            age(b"34.5"),
            Err(RejectionReason::AgeNotInteger(_))
        ));
        assert!(matches!(
            age(b"thirty"),
            Err(RejectionReason::AgeNotInteger(_))
        ));
    }

    #[test]
    fn gap_multipliers_share_one_unit() {
        let plan = ItemPlan::new(&Configuration::defaults().instrument);
        // recognition has 3 items, satisfaction 5: L = lcm(1..=5) = 60.
        assert_eq!(plan.gap_multiplier(1), 60);
        assert_eq!(plan.gap_multiplier(3), 20);
        assert_eq!(plan.gap_multiplier(5), 12);
        assert!((plan.gap_unit() - 25.0 / 60.0).abs() < 1e-15);
    }
}
