//! The two report languages and the labels that differ between them.

use std::str::FromStr;

use minxin_domain::evaluation::{CategoryCount, ProjectEvaluation, Quadrant};

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    Zh,
    /// English.
    En,
}

/// A language code other than `zh`, `zh-CN` or `en`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage(pub String);

impl std::fmt::Display for UnknownLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown language {:?} (use zh or en)", self.0)
    }
}

impl std::error::Error for UnknownLanguage {}

impl FromStr for Lang {
    type Err = UnknownLanguage;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh_cn" => Ok(Lang::Zh),
            "en" | "en-us" | "en-gb" => Ok(Lang::En),
            _ => Err(UnknownLanguage(text.to_string())),
        }
    }
}

impl Lang {
    /// The BCP 47 tag for the HTML `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks the Chinese or the English text.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Picks the Chinese or the English list.
    pub fn pick_list<'a>(self, zh: &'a [String], en: &'a [String]) -> &'a [String] {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A project's name.
    pub fn project_name(self, project: &ProjectEvaluation) -> &str {
        self.pick(&project.name_zh, &project.name_en)
    }

    /// A profile category's label.
    pub fn category(self, category: &CategoryCount) -> &str {
        self.pick(&category.zh, &category.en)
    }

    /// A quadrant's name.
    pub fn quadrant_name(self, quadrant: Quadrant) -> &'static str {
        self.pick(quadrant.name_zh(), quadrant.name_en())
    }

    /// A quadrant's strategy.
    pub fn strategy(self, quadrant: Quadrant) -> &'static str {
        self.pick(quadrant.strategy_zh(), quadrant.strategy_en())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes() {
        assert_eq!("zh-CN".parse(), Ok(Lang::Zh));
        assert_eq!("EN".parse(), Ok(Lang::En));
        assert_eq!("fr".parse::<Lang>(), Err(UnknownLanguage("fr".into())));
    }
}
