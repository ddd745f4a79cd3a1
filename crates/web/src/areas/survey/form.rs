//! The questionnaire's form fields as posted, found by name.

use crate::app::error::ApiError;

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
