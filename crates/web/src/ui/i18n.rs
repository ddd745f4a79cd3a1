//! The language of a page: Chinese by default, English with `?lang=en`, and the link that
//! switches between them.

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
pub fn language_switch(path: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("<a href=\"{path}?lang=en\" lang=\"en\">English</a>"),
        Lang::En => format!("<a href=\"{path}\" lang=\"zh-CN\">中文</a>"),
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
        assert!(language_switch("/", Lang::En).contains("中文"));
    }
}
