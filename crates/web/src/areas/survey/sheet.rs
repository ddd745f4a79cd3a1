//! The questionnaire's state between its steps, without JavaScript: every page carries what
//! the respondent has answered so far in its form, and this module reads it back, says which
//! step comes next, which questions of a project are still unanswered, and turns the whole
//! sheet into a submission.
//!
//! The steps are a welcome page, the projects the respondent knows, one page per project
//! known, and a page about the respondent. An answer is a level of the scale or an explicit
//! "don't know" ([`DONT_KNOW`]); an item the respondent has not touched is unanswered, and a
//! project page is not left forward until every item on it is answered.

use std::collections::BTreeMap;

use minxin_domain::config::{Configuration, Project};
use minxin_domain::platform::{ProfileInput, RatingInput, SubmissionInput};
use minxin_domain::Problem;

use super::form::FormFields;

/// The value of an explicit "don't know".
pub(super) const DONT_KNOW: &str = "dk";

/// The channel a questionnaire answered on the platform's own pages is recorded under.
const WEB_CHANNEL: &str = "web";

/// The fields of the page about the respondent, in the order they are asked.
const PROFILE_FIELDS: [&str; 5] = ["district", "gender", "age", "education", "occupation"];

/// Where the respondent is in the questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// Who asks, why, how long it takes and what happens to the answers.
    Welcome,
    /// Which projects the respondent knows.
    Choose,
    /// The questions about the known project at this position (from 0).
    Project(usize),
    /// About the respondent, then the submission.
    Profile,
}

impl Step {
    /// The step as a form carries it.
    pub(super) fn code(self) -> String {
        match self {
            Step::Welcome => "welcome".into(),
            Step::Choose => "choose".into(),
            Step::Project(k) => format!("project-{k}"),
            Step::Profile => "profile".into(),
        }
    }

    /// The step a form names; anything else starts again at the welcome page.
    pub(super) fn from_code(code: Option<&str>) -> Step {
        match code {
            Some("choose") => Step::Choose,
            Some("profile") => Step::Profile,
            Some(other) => other
                .strip_prefix("project-")
                .and_then(|k| k.parse().ok())
                .map_or(Step::Welcome, Step::Project),
            None => Step::Welcome,
        }
    }

    /// The step before this one, for a sheet with `known` projects.
    pub(super) fn back(self, known: usize) -> Step {
        match self {
            Step::Welcome | Step::Choose => Step::Welcome,
            Step::Project(0) => Step::Choose,
            Step::Project(k) => Step::Project(k.min(known) - 1),
            Step::Profile if known == 0 => Step::Choose,
            Step::Profile => Step::Project(known - 1),
        }
    }

    /// The step after this one (the profile's is the submission, which is not a step).
    pub(super) fn forward(self, known: usize) -> Step {
        match self {
            Step::Welcome => Step::Choose,
            Step::Choose if known == 0 => Step::Choose,
            Step::Choose => Step::Project(0),
            Step::Project(k) if k + 1 < known => Step::Project(k + 1),
            Step::Project(_) | Step::Profile => Step::Profile,
        }
    }

    /// (this step's number from 1, the number of steps) for `known` projects; the welcome
    /// page is not counted.
    pub(super) fn progress(self, known: usize) -> (usize, usize) {
        let total = known + 2;
        let number = match self {
            Step::Welcome | Step::Choose => 1,
            Step::Project(k) => k.min(known) + 2,
            Step::Profile => total,
        };
        (number, total)
    }
}

/// Everything the respondent has given so far.
#[derive(Debug, Clone, Default)]
pub(super) struct Sheet {
    /// Codes of the projects the respondent knows, in the catalogue's order, each once.
    pub(super) known: Vec<String>,
    /// Answers by field name (`a.{project}.{item}`): a level or [`DONT_KNOW`].
    answers: BTreeMap<String, String>,
    /// The profile fields filled in, by name.
    profile: BTreeMap<&'static str, String>,
}

/// The field that carries the answer to `item` about `project`.
pub(super) fn answer_field(project: &str, item: &str) -> String {
    format!("a.{project}.{item}")
}

impl Sheet {
    /// The sheet a form carries, keeping only what `configuration` asks: projects it includes,
    /// answers within its scale for those projects, and the profile's fields.
    pub(super) fn from_form(configuration: &Configuration, fields: &FormFields) -> Sheet {
        let ticked: std::collections::HashSet<&str> =
            fields.all("project").iter().map(String::as_str).collect();
        let known: Vec<String> = configuration
            .catalogue
            .projects
            .iter()
            .filter(|project| ticked.contains(project.code.as_str()))
            .map(|project| project.code.clone())
            .collect();
        let levels = configuration.instrument.scale.levels;
        let mut answers = BTreeMap::new();
        for project in &known {
            for item in configuration.instrument.items() {
                let name = answer_field(project, &item.item.code);
                let Some(value) = fields.one(&name) else {
                    continue;
                };
                let in_scale = value
                    .parse::<u32>()
                    .is_ok_and(|level| (1..=levels).contains(&level));
                if in_scale || value == DONT_KNOW {
                    answers.insert(name, value.to_string());
                }
            }
        }
        let profile = PROFILE_FIELDS
            .iter()
            .filter_map(|&name| {
                let value = fields.one(name)?.trim();
                (!value.is_empty()).then(|| (name, value.to_string()))
            })
            .collect();
        Sheet {
            known,
            answers,
            profile,
        }
    }

    /// The answer given in field `name`, if any.
    pub(super) fn answer(&self, name: &str) -> Option<&str> {
        self.answers.get(name).map(String::as_str)
    }

    /// The profile field `name` as filled in, or empty.
    pub(super) fn profile(&self, name: &str) -> &str {
        self.profile.get(name).map_or("", String::as_str)
    }

    /// Every answer, as (field, value), for the pages that carry them unseen.
    pub(super) fn answers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.answers.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Every profile field filled in, as (field, value).
    pub(super) fn profile_fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.profile.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// The known project at position `k`, if there is one.
    pub(super) fn project<'c>(
        &self,
        configuration: &'c Configuration,
        k: usize,
    ) -> Option<&'c Project> {
        let code = self.known.get(k)?;
        let position = configuration.catalogue.position(code.as_bytes())?;
        configuration.catalogue.projects.get(usize::from(position))
    }

    /// The codes of the items about `project` not yet answered, in the instrument's order.
    pub(super) fn unanswered(&self, configuration: &Configuration, project: &str) -> Vec<String> {
        configuration
            .instrument
            .items()
            .iter()
            .filter(|item| {
                self.answer(&answer_field(project, &item.item.code))
                    .is_none()
            })
            .map(|item| item.item.code.clone())
            .collect()
    }

    /// What is wrong with the age as typed, if it is not a whole number (the domain checks
    /// its range).
    pub(super) fn age_problem(&self) -> Option<Problem> {
        let age = self.profile("age");
        (!age.is_empty() && age.parse::<u32>().is_err()).then(|| {
            Problem::new(
                "profile.age",
                "请用数字填写年龄，例如 45。",
                "the age must be a whole number of years",
            )
        })
    }

    /// The submission the sheet makes: "don't know" and unanswered items are both sent as
    /// no answer (the page does not let an item pass unanswered). The channel is the web
    /// questionnaire when the wave knows it, else not stated; a citizen handed over by a
    /// portal is recorded under that portal's channel instead (see `accept_submission`).
    pub(super) fn submission(&self, configuration: &Configuration) -> SubmissionInput {
        let items = configuration.instrument.items();
        let ratings = self
            .known
            .iter()
            .map(|project| RatingInput {
                project: project.clone(),
                answers: items
                    .iter()
                    .map(|item| {
                        let value = self
                            .answer(&answer_field(project, &item.item.code))
                            .and_then(|v| v.parse::<u32>().ok());
                        (item.item.code.clone(), value)
                    })
                    .collect(),
            })
            .collect();
        let text = |name: &str| Some(self.profile(name).to_string()).filter(|v| !v.is_empty());
        let web_known = configuration
            .profile
            .channels
            .position(WEB_CHANNEL.as_bytes())
            .is_some();
        SubmissionInput {
            channel: web_known.then(|| WEB_CHANNEL.to_string()),
            profile: ProfileInput {
                district: self.profile("district").to_string(),
                gender: text("gender"),
                // An age that is not a number is refused before ([`Sheet::age_problem`]).
                age: text("age").and_then(|age| age.parse().ok()),
                education: text("education"),
                occupation: text("occupation"),
            },
            ratings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> FormFields {
        FormFields::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn steps_go_forward_and_back_through_each_known_project() {
        let known = 2;
        let mut step = Step::Welcome;
        let mut seen = vec![step];
        while step != Step::Profile {
            step = step.forward(known);
            seen.push(step);
        }
        assert_eq!(
            seen,
            [
                Step::Welcome,
                Step::Choose,
                Step::Project(0),
                Step::Project(1),
                Step::Profile
            ]
        );
        assert_eq!(Step::Profile.back(known), Step::Project(1));
        assert_eq!(Step::Project(0).back(known), Step::Choose);
        assert_eq!(
            Step::Choose.forward(0),
            Step::Choose,
            "nothing known, no step on"
        );
        assert_eq!(Step::Project(1).progress(known), (3, 4));
        for step in seen {
            assert_eq!(Step::from_code(Some(&step.code())), step);
        }
        assert_eq!(Step::from_code(Some("project-x")), Step::Welcome);
    }

    #[test]
    fn a_sheet_keeps_only_what_the_wave_asks_and_knows_dont_know_from_unanswered() {
        let configuration = Configuration::defaults();
        let sheet = Sheet::from_form(
            &configuration,
            &fields(&[
                ("project", "parking"),
                ("project", "nope"),
                ("project", "breakfast"),
                ("a.parking.awareness", "4"),
                ("a.parking.quality", DONT_KNOW),
                ("a.parking.value", "9"),
                ("a.rural.awareness", "3"),
                ("district", " 310104 "),
                ("age", "abc"),
            ]),
        );
        // Catalogue order, unknown codes dropped.
        assert_eq!(sheet.known, ["breakfast", "parking"]);
        assert_eq!(sheet.answer("a.parking.awareness"), Some("4"));
        assert_eq!(sheet.answer("a.parking.quality"), Some(DONT_KNOW));
        assert_eq!(sheet.answer("a.parking.value"), None, "outside the scale");
        assert_eq!(
            sheet.answer("a.rural.awareness"),
            None,
            "a project not known"
        );
        let unanswered = sheet.unanswered(&configuration, "parking");
        assert!(!unanswered.contains(&"awareness".to_string()));
        assert!(!unanswered.contains(&"quality".to_string()));
        assert!(unanswered.contains(&"value".to_string()));
        let submission = sheet.submission(&configuration);
        assert_eq!(submission.channel.as_deref(), Some("web"));
        assert_eq!(submission.profile.district, "310104");
        assert_eq!(submission.profile.age, None);
        assert_eq!(sheet.age_problem().unwrap().field, "profile.age");
        let parking = &submission.ratings[1];
        assert_eq!(parking.answers["awareness"], Some(4));
        assert_eq!(parking.answers["quality"], None);
    }
}
