//! What every page handler needs before anything else: the reader's language (from `?lang=`,
//! Chinese by default) and the visitor (signed in or not, with the CSRF token their forms
//! carry). One extractor instead of the same preamble in every handler.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use minxin_report::Lang;
use serde::Deserialize;

use crate::app::error::{ApiError, PageError};
use crate::app::session::Visitor;
use crate::ui::i18n::{lang_of, lang_suffix};

/// The context of a page request: its language and its visitor.
#[derive(Debug, Clone)]
pub struct PageContext {
    /// The language the page is written in.
    pub lang: Lang,
    /// Who asks.
    pub visitor: Visitor,
}

/// The one query parameter every page reads.
#[derive(Debug, Deserialize, Default)]
struct LanguageParameter {
    #[serde(default)]
    lang: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // A query that cannot be read still gets a page, in Chinese: the handler's own
        // extractors say what is wrong with it.
        let parameter = Query::<LanguageParameter>::try_from_uri(&parts.uri)
            .map(|Query(parameter)| parameter)
            .unwrap_or_default();
        let Ok(visitor) = Visitor::from_request_parts(parts, state).await;
        Ok(PageContext {
            lang: lang_of(parameter.lang.as_deref()),
            visitor,
        })
    }
}

impl PageContext {
    /// `zh` or `en`, whichever the page is written in.
    pub fn pick<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// The query that keeps a link in the page's language (nothing for Chinese).
    pub fn suffix(&self) -> &'static str {
        lang_suffix(self.lang)
    }

    /// Turns an error into the page that shows it in the page's language:
    /// `state.wave(id).map_err(page.error())?`.
    pub fn error(&self) -> impl Fn(ApiError) -> PageError + '_ {
        move |error| PageError(error, self.lang)
    }
}
