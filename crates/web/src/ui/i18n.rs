//! The language of a page: Chinese by default, English with `?lang=en`, and the link that
//! switches between them.

use maud::{html, Markup};
use minxin_report::Lang;
use serde::Deserialize;

/// `?lang=en` switches to English; Chinese is the default.
#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    /// Language code.
    #[serde(default)]
    pub lang: Option<String>,
    /// The citizen token handed over by the portal or app.
    #[serde(default)]
    pub token: Option<String>,
}

/// The language a `lang` code asks for (Chinese unless it says otherwise).
pub fn lang_of(code: Option<&str>) -> Lang {
    code.and_then(|c| c.parse().ok()).unwrap_or_default()
}

/// The query that keeps a link in the page's language (nothing for Chinese).
pub fn lang_suffix(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "",
        Lang::En => "?lang=en",
    }
}

/// The link to the same `path` in the other language.
pub fn language_switch(path: &str, lang: Lang) -> Markup {
    match lang {
        Lang::Zh => html! { a href={ (path) "?lang=en" } lang="en" { "English" } },
        Lang::En => html! { a href=(path) lang="zh-CN" { "中文" } },
    }
}

/// A message in both languages, shown in the reader's: an error's own words, so that a page
/// says what went wrong instead of a guess from its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// In Chinese, typeset as Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

impl Text {
    /// The message `zh` in Chinese and `en` in English.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message in `lang`.
    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// English, the language of logs and of the API's `error` field.
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default_language() {
        assert_eq!(lang_of(None), Lang::Zh);
        assert_eq!(lang_of(Some("fr")), Lang::Zh);
        assert_eq!(lang_of(Some("en")), Lang::En);
        assert_eq!(lang_suffix(Lang::Zh), "");
        assert!(language_switch("/", Lang::En)
            .into_string()
            .contains("中文"));
    }
}
