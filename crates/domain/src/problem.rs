//! One thing wrong with an input: the field it is in and what is wrong, in Chinese for the
//! citizen or official who reads the page and in English for the API's clients and the logs.

use serde::Serialize;

/// A problem with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where it is, as the input names it (`profile.district`, `ratings[1].answers.value`).
    pub field: String,
    /// What is wrong, in Chinese, typeset as Chinese and without codes.
    pub zh: String,
    /// What is wrong, in English.
    pub en: String,
}

impl Problem {
    /// The problem in `field`, explained as `zh` and `en`.
    pub fn new(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// `field: message` in English, the form of logs and error chains.
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.en)
    }
}
