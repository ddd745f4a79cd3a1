//! The questionnaire's form fields, read into a submission.

use std::collections::BTreeMap;

use minxin_domain::platform::{ProfileInput, RatingInput, SubmissionInput};

use crate::app::error::ApiError;
use crate::app::live::LiveWave;

/// The most fields a questionnaire form may carry (every project and item, the profile and
/// the hidden keys fit several times over).
pub const MAX_FORM_FIELDS: usize = 1024;

/// The answers a form carries, keyed by field name (repeated names keep every value), found
/// in constant time whatever the form's length.
pub(super) struct FormFields(std::collections::HashMap<String, Vec<String>>);

impl FormFields {
    /// The fields of a posted form; too many fields is refused before anything is read.
    pub(super) fn new(pairs: Vec<(String, String)>) -> Result<FormFields, ApiError> {
        if pairs.len() > MAX_FORM_FIELDS {
            return Err(ApiError::too_large(
                "提交的表单项过多。",
                format!(
                    "a form has at most {MAX_FORM_FIELDS} fields; this one has {}",
                    pairs.len()
                ),
            ));
        }
        let mut fields = std::collections::HashMap::<String, Vec<String>>::new();
        for (key, value) in pairs {
            fields.entry(key).or_default().push(value);
        }
        Ok(FormFields(fields))
    }
    pub(super) fn one(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .and_then(|values| values.first())
            .map(String::as_str)
    }
    pub(super) fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }
}

/// The hidden keys the questionnaire's second step carries: the CSRF token, the citizen's
/// token and the submission's idempotency key.
pub(super) struct FormKeys<'a> {
    pub(super) csrf: &'a str,
    pub(super) token: &'a str,
    pub(super) idempotency: &'a str,
}

pub(super) fn submission_from_form(
    wave: &LiveWave,
    fields: &FormFields,
    chosen: &[String],
) -> SubmissionInput {
    let items = wave.model.configuration.instrument.items();
    let ratings = chosen
        .iter()
        .map(|project| RatingInput {
            project: project.clone(),
            answers: items
                .iter()
                .map(|item| {
                    let value = fields
                        .one(&format!("a.{project}.{}", item.item.code))
                        .and_then(|v| v.parse::<u32>().ok());
                    (item.item.code.clone(), value)
                })
                .collect::<BTreeMap<_, _>>(),
        })
        .collect();
    let text = |name: &str| fields.one(name).filter(|v| !v.is_empty()).map(String::from);
    SubmissionInput {
        channel: Some("portal".into()),
        profile: ProfileInput {
            district: fields.one("district").unwrap_or("").to_string(),
            gender: text("gender"),
            age: fields.one("age").and_then(|v| v.trim().parse().ok()),
            education: text("education"),
            occupation: text("occupation"),
        },
        ratings,
    }
}
