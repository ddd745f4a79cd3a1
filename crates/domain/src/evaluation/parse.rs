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

    pub(crate) fn item_count(&self) -> usize {
        self.indices.len()
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

/// A validated row, borrowing from the record.
#[derive(Debug)]
pub(crate) struct ParsedRow<'r> {
    pub(crate) respondent: &'r [u8],
    pub(crate) project: usize,
    pub(crate) profile: CompactProfile,
    /// Answers in instrument order; `None` is "don't know".
    pub(crate) answers: [Option<u8>; MAX_ITEMS],
}

type FieldError = (usize, RejectionReason);

/// Validates every field but the wave (which the evaluator checks first, to filter).
pub(crate) fn parse_row<'r, R: RecordFields + ?Sized>(
    configuration: &Configuration,
    layout: &ColumnLayout,
    plan: &ItemPlan,
    record: &'r R,
) -> Result<ParsedRow<'r>, FieldError> {
    let field = |column: usize| (column, record.field(column));
    let (column, respondent) = field(layout.respondent_id);
    required_text(respondent, MAX_RESPONDENT_BYTES).map_err(|reason| (column, reason))?;

    let (column, project_code) = field(layout.project);
    let project_text = required_text(project_code, MAX_WAVE_BYTES).map_err(|r| (column, r))?;
    let project = configuration
        .catalogue
        .position(project_code)
        .ok_or_else(|| {
            (
                column,
                RejectionReason::UnknownProject(project_text.to_string()),
            )
        })?;

    let profile_codes = &configuration.profile;
    let district = code(record, layout.district, &configuration.districts, true)?;
    let gender = code(record, layout.gender, &profile_codes.genders, false)?;
    let education = code(record, layout.education, &profile_codes.educations, false)?;
    let occupation = code(record, layout.occupation, &profile_codes.occupations, false)?;
    let channel = code(record, layout.channel, &profile_codes.channels, false)?;
    let age = age(record.field(layout.age)).map_err(|reason| (layout.age, reason))?;

    let mut answers = [None; MAX_ITEMS];
    for (item, column) in layout.items.iter().enumerate() {
        answers[item] = answer(record.field(*column), plan.levels as u32)
            .map_err(|reason| (*column, reason))?;
    }
    Ok(ParsedRow {
        respondent,
        project: usize::from(project),
        profile: CompactProfile {
            district,
            gender,
            education,
            occupation,
            channel,
            age,
        },
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
