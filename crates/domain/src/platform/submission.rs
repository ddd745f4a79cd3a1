//! One respondent's submission: validated against the wave's configuration, turned into
//! tally contributions, and stored in a canonical form.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::store::StoredResponse;
use crate::config::{CodeList, Configuration, Instrument};
use crate::evaluation::RecordFields;
use crate::evaluation::{Change, GroupSums, Margins, WaveTallies};
use crate::evaluation::{CompactProfile, ItemPlan};
use crate::layout::ColumnLayout;
use crate::problem::Problem;
use crate::rejection::AGE_RANGE;

/// The respondent's profile as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// District code (required).
    pub district: String,
    /// Gender code.
    #[serde(default)]
    pub gender: Option<String>,
    /// Age in years.
    #[serde(default, deserialize_with = "whole_numbers::optional")]
    pub age: Option<u32>,
    /// Education code.
    #[serde(default)]
    pub education: Option<String>,
    /// Occupation code.
    #[serde(default)]
    pub occupation: Option<String>,
}

/// The answers about one project: item code → answer, `null` (or absent) for "don't know".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    /// Project code.
    pub project: String,
    /// Answers by item code.
    #[serde(default, deserialize_with = "whole_numbers::answers")]
    pub answers: BTreeMap<String, Option<u32>>,
}

/// Numbers in a submission as JSON writes them: a whole number may be written `3` or `3.0`
/// (JSON Schema's integers are both), never `3.5`.
mod whole_numbers {
    use std::collections::BTreeMap;

    use serde::de::{self, Deserializer, Visitor};
    use serde::Deserialize;

    /// A whole number from 0 to `u32::MAX`, written with or without a zero fraction.
    struct Whole(u32);

    impl<'de> Deserialize<'de> for Whole {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Whole, D::Error> {
            struct WholeVisitor;
            impl Visitor<'_> for WholeVisitor {
                type Value = Whole;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a whole number")
                }
                fn visit_u64<E: de::Error>(self, value: u64) -> Result<Whole, E> {
                    u32::try_from(value)
                        .map(Whole)
                        .map_err(|_| E::custom(format!("{value} is too large")))
                }
                fn visit_i64<E: de::Error>(self, value: i64) -> Result<Whole, E> {
                    u32::try_from(value)
                        .map(Whole)
                        .map_err(|_| E::custom(format!("{value} is not a whole number from 0")))
                }
                fn visit_f64<E: de::Error>(self, value: f64) -> Result<Whole, E> {
                    if value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
                        Ok(Whole(value as u32))
                    } else {
                        Err(E::custom(format!("{value} is not a whole number")))
                    }
                }
            }
            deserializer.deserialize_any(WholeVisitor)
        }
    }

    /// An optional whole number.
    pub fn optional<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
        Ok(Option::<Whole>::deserialize(deserializer)?.map(|Whole(n)| n))
    }

    /// Answers by item code, each a whole number or null.
    pub fn answers<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, Option<u32>>, D::Error> {
        let answers = BTreeMap::<String, Option<Whole>>::deserialize(deserializer)?;
        Ok(answers
            .into_iter()
            .map(|(item, answer)| (item, answer.map(|Whole(n)| n)))
            .collect())
    }
}

/// A submission as a channel sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmissionInput {
    /// Survey channel code (portal, app, paper, ...).
    #[serde(default)]
    pub channel: Option<String>,
    /// Who answered.
    pub profile: ProfileInput,
    /// The projects rated.
    pub ratings: Vec<RatingInput>,
}

/// Everything wrong with a submission, each problem naming its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", .problems.iter().map(Problem::to_string).collect::<Vec<_>>().join("; "))]
pub struct SubmissionError {
    /// Each problem with its field path, e.g. `ratings[1].answers.value`, in both languages.
    pub problems: Vec<Problem>,
}

/// A submission that passed validation, with its tally contributions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSubmission {
    /// The canonical input (codes checked, answers in range).
    pub input: SubmissionInput,
    profile: CompactProfile,
    ratings: Vec<(usize, Vec<Option<u8>>)>,
}

impl ValidSubmission {
    /// The projects rated, by catalogue position.
    pub fn projects(&self) -> impl Iterator<Item = usize> + '_ {
        self.ratings.iter().map(|(project, _)| *project)
    }

    /// The district's position in the district list.
    pub fn district_position(&self) -> usize {
        usize::from(self.profile.district) - 1
    }

    /// The ratings as stored: `[["project", [answer or null, ...]], ...]` with the answers in
    /// item order (the wave keeps its instrument, so the order is known), about a fifth of the
    /// size of answers keyed by item code.
    fn compact_ratings(&self) -> String {
        let compact: Vec<(&str, &[Option<u8>])> = self
            .input
            .ratings
            .iter()
            .zip(&self.ratings)
            .map(|(rating, (_, answers))| (rating.project.as_str(), answers.as_slice()))
            .collect();
        serde_json::to_string(&compact).expect("ratings serialise")
    }

    /// The canonical stored form.
    pub fn to_stored(
        &self,
        respondent_key: Vec<u8>,
        idempotency_key: Option<String>,
        submitted_at_ms: i64,
    ) -> StoredResponse {
        let profile = &self.input.profile;
        StoredResponse {
            respondent_key,
            idempotency_key,
            channel: self.input.channel.clone(),
            district: profile.district.clone(),
            gender: profile.gender.clone(),
            age: profile.age.map(i64::from),
            education: profile.education.clone(),
            occupation: profile.occupation.clone(),
            ratings: self.compact_ratings(),
            submitted_at_ms,
        }
    }
}

/// Gathers rows of the response interchange format into one submission per respondent, in the
/// order respondents first appear; used by file import and by the demo loader.
#[derive(Debug)]
pub struct SubmissionsFromRows<'l> {
    layout: &'l ColumnLayout,
    item_codes: Vec<String>,
    order: Vec<String>,
    by_respondent: std::collections::HashMap<String, SubmissionInput>,
}

fn field_text<R: RecordFields + ?Sized>(record: &R, column: usize) -> String {
    String::from_utf8_lossy(record.field(column)).into_owned()
}

fn field_option<R: RecordFields + ?Sized>(record: &R, column: usize) -> Option<String> {
    Some(field_text(record, column)).filter(|value| !value.is_empty())
}

impl<'l> SubmissionsFromRows<'l> {
    /// An empty gathering for files with `layout` and the wave's `instrument`.
    pub fn new(layout: &'l ColumnLayout, instrument: &Instrument) -> Self {
        Self {
            layout,
            item_codes: instrument
                .items()
                .iter()
                .map(|item| item.item.code.clone())
                .collect(),
            order: Vec::new(),
            by_respondent: std::collections::HashMap::new(),
        }
    }

    /// Adds one row (already accepted by the evaluator's checks): its rating joins the
    /// respondent's submission, whose profile comes from the respondent's first row.
    pub fn add<R: RecordFields + ?Sized>(&mut self, record: &R) {
        let layout = self.layout;
        let rating = RatingInput {
            project: field_text(record, layout.project),
            answers: self
                .item_codes
                .iter()
                .zip(&layout.items)
                .map(|(code, column)| (code.clone(), field_text(record, *column).parse().ok()))
                .collect(),
        };
        let respondent = field_text(record, layout.respondent_id);
        let order = &mut self.order;
        self.by_respondent
            .entry(respondent.clone())
            .or_insert_with(|| {
                order.push(respondent);
                SubmissionInput {
                    channel: field_option(record, layout.channel),
                    profile: ProfileInput {
                        district: field_text(record, layout.district),
                        gender: field_option(record, layout.gender),
                        age: field_text(record, layout.age).parse().ok(),
                        education: field_option(record, layout.education),
                        occupation: field_option(record, layout.occupation),
                    },
                    ratings: Vec::new(),
                }
            })
            .ratings
            .push(rating);
    }

    /// The submissions with their respondent identifiers, in order of first appearance.
    pub fn finish(mut self) -> Vec<(String, SubmissionInput)> {
        self.order
            .into_iter()
            .map(|respondent| {
                let submission = self
                    .by_respondent
                    .remove(&respondent)
                    .expect("every respondent has a submission");
                (respondent, submission)
            })
            .collect()
    }
}

/// A wave's configuration, ready to validate submissions and apply them to tallies.
#[derive(Debug, Clone)]
pub struct WaveModel {
    /// The configuration.
    pub configuration: Configuration,
    plan: ItemPlan,
}

/// The position (from 1) of an optional code in `list`, 0 when absent; an unknown code is a
/// problem of `field`, which a reader knows as `label_zh`.
fn check_code(
    problems: &mut Vec<Problem>,
    (field, label_zh): (&str, &str),
    value: &Option<String>,
    list: &CodeList,
) -> u16 {
    match value.as_deref() {
        None | Some("") => 0,
        Some(code) => match list.position(code.as_bytes()) {
            Some(position) => position + 1,
            None => {
                problems.push(Problem::new(
                    field,
                    format!("所选的{label_zh}不在可选项中，请重新选择。"),
                    format!(
                        "unknown code {code:?} (allowed: {})",
                        list.codes_for_message()
                    ),
                ));
                0
            }
        },
    }
}

/// Whether a sheet that answers nothing is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EmptySheet {
    Refused,
    Kept,
}

impl WaveModel {
    /// The model of a wave with `configuration`.
    pub fn new(configuration: Configuration) -> WaveModel {
        let plan = ItemPlan::new(&configuration.instrument);
        WaveModel {
            configuration,
            plan,
        }
    }

    /// Validates a submission, reporting every problem with its field.
    /// A sheet that answers nothing (every answer "don't know" or left out) is refused.
    pub fn validate(&self, input: SubmissionInput) -> Result<ValidSubmission, SubmissionError> {
        self.check(input, EmptySheet::Refused)
    }

    /// Validates a respondent gathered from an imported file's rows. A respondent who answered
    /// nothing is kept: the file's rows are the evaluator's to judge, and a file imported on the
    /// web must give the numbers the command line's evaluation of the same file gives.
    pub fn validate_imported(
        &self,
        input: SubmissionInput,
    ) -> Result<ValidSubmission, SubmissionError> {
        self.check(input, EmptySheet::Kept)
    }

    /// Validates `input`; `empty` says whether a sheet that answers nothing is refused (a new
    /// submission) or kept (an imported respondent, or a response stored before that rule, read again).
    fn check(
        &self,
        input: SubmissionInput,
        empty: EmptySheet,
    ) -> Result<ValidSubmission, SubmissionError> {
        let configuration = &self.configuration;
        let mut problems = Vec::new();
        let profile = &input.profile;
        let district = match configuration
            .districts
            .position(profile.district.as_bytes())
        {
            Some(position) => position + 1,
            None if profile.district.is_empty() => {
                problems.push(Problem::new(
                    "profile.district",
                    "请选择您所在的区。",
                    "the district is required",
                ));
                0
            }
            None => {
                problems.push(Problem::new(
                    "profile.district",
                    "所选的区不在本次调查的名单中，请重新选择。",
                    format!(
                        "unknown district {:?} (allowed: {})",
                        profile.district,
                        configuration.districts.codes_for_message()
                    ),
                ));
                0
            }
        };
        let codes = &configuration.profile;
        let gender = check_code(
            &mut problems,
            ("profile.gender", "性别"),
            &profile.gender,
            &codes.genders,
        );
        let education = check_code(
            &mut problems,
            ("profile.education", "受教育程度"),
            &profile.education,
            &codes.educations,
        );
        let occupation = check_code(
            &mut problems,
            ("profile.occupation", "职业"),
            &profile.occupation,
            &codes.occupations,
        );
        let channel = check_code(
            &mut problems,
            ("channel", "答卷渠道"),
            &input.channel,
            &codes.channels,
        );
        let age = match profile.age {
            None => 0,
            Some(years) if AGE_RANGE.contains(&years) => years as u8,
            Some(years) => {
                problems.push(Problem::new(
                    "profile.age",
                    format!(
                        "年龄须在 {} 至 {} 岁之间，您填写的是 {years}。",
                        AGE_RANGE.start(),
                        AGE_RANGE.end()
                    ),
                    format!(
                        "age {years} is outside {}..={}",
                        AGE_RANGE.start(),
                        AGE_RANGE.end()
                    ),
                ));
                0
            }
        };
        if input.ratings.is_empty() {
            problems.push(Problem::new(
                "ratings",
                "请至少选择一项您知道的工程。",
                "at least one project must be rated",
            ));
        }
        let items = configuration.instrument.items();
        let levels = configuration.instrument.scale.levels;
        let mut seen = BTreeSet::new();
        let mut ratings = Vec::with_capacity(input.ratings.len());
        for (k, rating) in input.ratings.iter().enumerate() {
            let Some(project) = configuration.catalogue.position(rating.project.as_bytes()) else {
                problems.push(Problem::new(
                    format!("ratings[{k}].project"),
                    "本次调查不包含所提交的某项工程。",
                    format!("unknown project {:?}", rating.project),
                ));
                continue;
            };
            let name_zh = &configuration.catalogue.projects[usize::from(project)].zh;
            if !seen.insert(project) {
                problems.push(Problem::new(
                    format!("ratings[{k}].project"),
                    format!("“{name_zh}”重复作答。"),
                    format!("project {:?} is rated twice", rating.project),
                ));
                continue;
            }
            for code in rating.answers.keys() {
                if !items.iter().any(|item| item.item.code == *code) {
                    problems.push(Problem::new(
                        format!("ratings[{k}].answers.{code}"),
                        format!("“{name_zh}”的答卷含有问卷中没有的题目。"),
                        "unknown item",
                    ));
                }
            }
            let answers: Vec<Option<u8>> = items
                .iter()
                .map(
                    |item| match rating.answers.get(&item.item.code).copied().flatten() {
                        None => None,
                        Some(value) if (1..=levels).contains(&value) => Some(value as u8),
                        Some(value) => {
                            problems.push(Problem::new(
                                format!("ratings[{k}].answers.{}", item.item.code),
                                format!(
                                    "“{name_zh}”中“{}”一题的答案须在 1 至 {levels} 之间。",
                                    item.item.zh
                                ),
                                format!("answer {value} is outside the scale 1..={levels}"),
                            ));
                            None
                        }
                    },
                )
                .collect();
            ratings.push((usize::from(project), answers));
        }
        let nothing_answered = ratings
            .iter()
            .all(|(_, answers)| answers.iter().all(Option::is_none));
        if empty == EmptySheet::Refused
            && !ratings.is_empty()
            && nothing_answered
            && problems.is_empty()
        {
            // Every answer "don't know" or left out: the sheet says nothing about any project.
            problems.push(Problem::new(
                "ratings",
                "答卷中没有一题给出评价（都是“不知道”或未作答），无法计入。请至少回答一题。",
                "no item is answered (every answer is null or absent); a sheet that answers nothing is not a response",
            ));
        }
        if !problems.is_empty() {
            return Err(SubmissionError { problems });
        }
        Ok(ValidSubmission {
            profile: CompactProfile {
                district,
                gender,
                education,
                occupation,
                channel,
                age,
            },
            ratings,
            input,
        })
    }

    /// Validates a stored response again (it may come from an older version of the platform).
    pub fn from_stored(&self, stored: &StoredResponse) -> Result<ValidSubmission, SubmissionError> {
        let compact: Vec<(String, Vec<Option<u32>>)> = serde_json::from_str(&stored.ratings)
            .map_err(|error| SubmissionError {
                problems: vec![Problem::new(
                    "ratings",
                    "已保存的答卷无法读取。",
                    format!("stored ratings are not valid: {error}"),
                )],
            })?;
        let items = self.configuration.instrument.items();
        let ratings = compact
            .into_iter()
            .map(|(project, answers)| RatingInput {
                project,
                answers: items
                    .iter()
                    .zip(answers)
                    .map(|(item, answer)| (item.item.code.clone(), answer))
                    .collect(),
            })
            .collect();
        let input = SubmissionInput {
            channel: stored.channel.clone(),
            profile: ProfileInput {
                district: stored.district.clone(),
                gender: stored.gender.clone(),
                age: stored.age.and_then(|a| u32::try_from(a).ok()),
                education: stored.education.clone(),
                occupation: stored.occupation.clone(),
            },
            ratings,
        };
        self.check(input, EmptySheet::Kept)
    }

    /// Empty tallies for this wave.
    pub fn empty_tallies(&self) -> WaveTallies {
        WaveTallies::new(&self.configuration)
    }

    /// Empty per-group sums for a weighted evaluation of this wave: cells of the census
    /// variables (district and sex) when the census margins fit the wave's codes, else one cell.
    pub fn empty_group_sums(&self) -> GroupSums {
        let variables = Margins::census_2020(&self.configuration)
            .map(|m| m.variables())
            .unwrap_or_default();
        GroupSums::new(&self.configuration, &variables)
    }

    /// Adds a submission of the respondent with `respondent_key` to (or takes it back from)
    /// the per-group sums.
    pub fn apply_to_groups(
        &self,
        groups: &mut GroupSums,
        respondent_key: &[u8],
        submission: &ValidSubmission,
        change: Change,
    ) {
        groups.respondent_change(&submission.profile, change);
        for (project, answers) in &submission.ratings {
            groups.rating_change(
                &submission.profile,
                respondent_key,
                *project,
                answers,
                change,
            );
        }
    }

    /// Adds a submission to (or takes it back from) the tallies.
    pub fn apply(&self, tallies: &mut WaveTallies, submission: &ValidSubmission, change: Change) {
        tallies.respondent(&submission.profile, change);
        for (project, answers) in &submission.ratings {
            tallies.rating(
                &self.plan,
                usize::from(submission.profile.district),
                *project,
                answers,
                change,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_may_carry_a_zero_fraction() {
        let parsed: SubmissionInput = serde_json::from_str(
            r#"{"profile": {"district": "310104", "age": 34.0},
                "ratings": [{"project": "parking", "answers": {"awareness": 3.0, "value": 2, "quality": null}}]}"#,
        )
        .unwrap();
        assert_eq!(parsed.profile.age, Some(34));
        assert_eq!(parsed.ratings[0].answers["awareness"], Some(3));
        assert_eq!(parsed.ratings[0].answers["value"], Some(2));
        assert_eq!(parsed.ratings[0].answers["quality"], None);
        for bad in [
            r#"{"profile": {"district": "310104", "age": 34.5}, "ratings": []}"#,
            r#"{"profile": {"district": "310104"}, "ratings": [{"project": "parking", "answers": {"awareness": 3.5}}]}"#,
            r#"{"profile": {"district": "310104"}, "ratings": [{"project": "parking", "answers": {"awareness": -1}}]}"#,
            r#"{"profile": {"district": "310104"}, "ratings": [{"project": "parking", "answers": {"awareness": "3"}}]}"#,
        ] {
            assert!(
                serde_json::from_str::<SubmissionInput>(bad).is_err(),
                "{bad}"
            );
        }
    }

    fn input(json: &str) -> SubmissionInput {
        serde_json::from_str(json).unwrap()
    }

    fn model() -> WaveModel {
        WaveModel::new(Configuration::defaults())
    }

    const GOOD: &str = r#"{"channel": "app", "profile": {"district": "310104", "gender": "female", "age": 34},
        "ratings": [{"project": "parking", "answers": {"awareness": 5, "value": 2, "trust_delivery": null}},
                    {"project": "medical", "answers": {}}]}"#;

    #[test]
    fn a_valid_submission_applies_and_takes_back() {
        let model = model();
        let valid = model.validate(input(GOOD)).unwrap();
        let mut tallies = model.empty_tallies();
        model.apply(&mut tallies, &valid, Change::Add);
        assert_eq!(tallies.respondents(), 1);
        assert_eq!(tallies.project_rows.iter().sum::<u64>(), 2);
        assert_eq!(
            tallies.project_respondents.iter().sum::<u64>(),
            1,
            "medical has no answer"
        );
        model.apply(&mut tallies, &valid, Change::Remove);
        assert_eq!(tallies, model.empty_tallies());
    }

    #[test]
    fn every_problem_is_named() {
        let bad = r#"{"channel": "fax", "profile": {"district": "x", "age": 5},
            "ratings": [{"project": "nope", "answers": {}},
                        {"project": "parking", "answers": {"awareness": 9, "typo": 1}},
                        {"project": "parking", "answers": {}}]}"#;
        let error = model().validate(input(bad)).unwrap_err();
        let fields: Vec<&str> = error.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "profile.district",
                "channel",
                "profile.age",
                "ratings[0].project",
                "ratings[1].answers.typo",
                "ratings[1].answers.awareness",
                "ratings[2].project"
            ]
        );
        assert!(error
            .to_string()
            .contains("ratings[1].answers.awareness: answer 9 is outside the scale 1..=5"));
    }

    #[test]
    fn stored_form_round_trips() {
        let model = model();
        let valid = model.validate(input(GOOD)).unwrap();
        let stored = valid.to_stored(vec![1, 2, 3], Some("k".into()), 42);
        assert!(
            stored
                .ratings
                .starts_with(r#"[["parking",[5,null,null,null,2,"#),
            "{}",
            stored.ratings
        );
        let restored = model.from_stored(&stored).unwrap();
        // The stored form is canonical: storing what was read back gives the same text, and
        // both count the same in the tallies.
        assert_eq!(
            restored.to_stored(vec![1, 2, 3], Some("k".into()), 42),
            stored
        );
        let (mut first, mut second) = (model.empty_tallies(), model.empty_tallies());
        model.apply(&mut first, &valid, Change::Add);
        model.apply(&mut second, &restored, Change::Add);
        assert_eq!(first, second);
    }

    #[test]
    fn rows_gather_into_one_submission_per_respondent() {
        let configuration = Configuration::defaults();
        let names = ColumnLayout::canonical_names(&configuration.instrument);
        let layout = ColumnLayout::from_header(&names, &configuration.instrument).unwrap();
        let row = |id: &str, project: &str, age: &str| -> Vec<String> {
            let mut fields = vec![id, "w", "310104", "", age, "", "", "app", project]
                .into_iter()
                .map(String::from)
                .collect::<Vec<_>>();
            fields.extend(["5", "", "", "", "", "", "", "1"].map(String::from));
            fields
        };
        let mut gathering = SubmissionsFromRows::new(&layout, &configuration.instrument);
        for fields in [
            row("B", "parking", "30"),
            row("A", "medical", ""),
            row("B", "rural", "30"),
        ] {
            gathering.add(fields.as_slice());
        }
        let submissions = gathering.finish();
        assert_eq!(
            submissions
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>(),
            ["B", "A"]
        );
        let (_, b) = &submissions[0];
        assert_eq!(
            b.ratings
                .iter()
                .map(|r| r.project.as_str())
                .collect::<Vec<_>>(),
            ["parking", "rural"]
        );
        assert_eq!(
            (
                b.profile.age,
                b.profile.gender.clone(),
                b.channel.as_deref()
            ),
            (Some(30), None, Some("app"))
        );
        assert_eq!(b.ratings[0].answers["awareness"], Some(5));
        assert_eq!(b.ratings[0].answers["relevance"], None);
        model().validate(b.clone()).unwrap();
    }

    #[test]
    fn empty_ratings_are_refused() {
        let error = model()
            .validate(input(
                r#"{"profile": {"district": "310104"}, "ratings": []}"#,
            ))
            .unwrap_err();
        assert_eq!(error.problems[0].field, "ratings");
    }

    #[test]
    fn a_sheet_that_answers_nothing_is_refused_but_kept_when_imported_or_stored() {
        let nothing = r#"{"profile": {"district": "310104"},
            "ratings": [{"project": "parking", "answers": {"awareness": null}},
                        {"project": "medical", "answers": {}}]}"#;
        let error = model().validate(input(nothing)).unwrap_err();
        assert_eq!(error.problems.len(), 1);
        assert_eq!(error.problems[0].field, "ratings");
        assert!(error.problems[0].zh.contains("无法计入"));
        let imported = model().validate_imported(input(nothing)).unwrap();
        assert_eq!(imported.projects().count(), 2);
        // One answer anywhere is a response.
        let one = r#"{"profile": {"district": "310104"},
            "ratings": [{"project": "parking", "answers": {}},
                        {"project": "medical", "answers": {"quality": 2}}]}"#;
        model().validate(input(one)).unwrap();
    }

    #[test]
    fn every_problem_is_explained_in_chinese_without_codes() {
        let bad = r#"{"channel": "fax", "profile": {"district": "", "age": 5, "gender": "x"},
            "ratings": [{"project": "parking", "answers": {"awareness": 9}}]}"#;
        let error = model().validate(input(bad)).unwrap_err();
        for problem in &error.problems {
            assert!(
                problem.zh.ends_with('。') && !problem.zh.contains(&problem.field),
                "{problem:?}"
            );
            assert!(!problem.zh.is_ascii() && !problem.en.is_empty());
        }
        let zh: Vec<&str> = error.problems.iter().map(|p| p.zh.as_str()).collect();
        assert!(zh.contains(&"请选择您所在的区。"), "{zh:?}");
        assert!(
            zh.iter().any(|m| m.contains("停车难综合治理")),
            "the project by name: {zh:?}"
        );
        assert!(zh.iter().any(|m| m.contains("10 至 120 岁")), "{zh:?}");
    }
}
