//! One error for the API and the pages: a status, a stable code, the message that belongs to
//! the error in both languages, and the detail of an internal failure logged (never shown).
//! Under `/api/` it is answered as JSON (`{"code", "error", "message"}`); a page answers it as
//! a page in the reader's language ([`PageError`]).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use minxin_domain::platform::{StoreError, SubmissionError};
use minxin_domain::Problem;
use minxin_report::Lang;
use serde_json::json;

use crate::ui::i18n::{lang_suffix, Text};
use crate::ui::layout::page;

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The wave, or another resource, does not exist.
    #[error("{0}")]
    NotFound(Text),
    /// The request is malformed or invalid; `problems` names each field.
    #[error("invalid request")]
    Invalid {
        /// Each problem with its field, in both languages.
        problems: Vec<Problem>,
    },
    /// An import had bad rows and stored nothing.
    #[error("{rejected} rows were rejected; nothing was imported")]
    Rejected {
        /// How many rows were rejected.
        rejected: usize,
        /// The first of them: `{row, column, reason}`.
        listed: Vec<serde_json::Value>,
    },
    /// The request conflicts with the current state (a closed wave, a duplicate name).
    #[error("{0}")]
    Conflict(Text),
    /// The request is understood but not allowed (anonymous answers where a token is required).
    #[error("{0}")]
    Forbidden(Text),
    /// Too many requests from one client; it may try again after the given seconds.
    #[error("too many anonymous submissions from this address; try again in {retry_after_secs} s")]
    TooManyRequests {
        /// Seconds until the next request would be accepted.
        retry_after_secs: u64,
    },
    /// A form without the right CSRF token (expired, or posted from another site).
    #[error("{0}")]
    StaleForm(Text),
    /// The request's body is larger than the route accepts.
    #[error("{0}")]
    TooLarge(Text),
    /// Too many sign-in attempts from one client address.
    #[error("too many sign-in attempts from this address; try again in {retry_after_secs} s")]
    TooManySignIns {
        /// Seconds until the next attempt would be accepted.
        retry_after_secs: u64,
    },
    /// The request needs a signed-in user.
    #[error("{0}")]
    Unauthenticated(Text),
    /// The request took longer than the server allows.
    #[error("{0}")]
    Timeout(Text),
    /// Something failed inside; the client sees no detail.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// One problem in `field`, as `zh` and `en` explain.
    pub fn invalid(
        field: impl Into<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> ApiError {
        ApiError::Invalid {
            problems: vec![Problem::new(field, zh, en)],
        }
    }

    /// Nothing of that name: `zh` and `en` say what was looked for.
    pub fn not_found(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::NotFound(Text::new(zh, en))
    }

    /// Not possible in the current state, as `zh` and `en` explain.
    pub fn conflict(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::Conflict(Text::new(zh, en))
    }

    /// Not allowed, as `zh` and `en` explain.
    pub fn forbidden(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::Forbidden(Text::new(zh, en))
    }

    /// Needs a signed-in user, as `zh` and `en` explain.
    pub fn unauthenticated(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::Unauthenticated(Text::new(zh, en))
    }

    /// A body over the route's limit, as `zh` and `en` explain.
    pub fn too_large(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::TooLarge(Text::new(zh, en))
    }

    /// The stable code of the error's kind, for clients to branch on (`error` is prose).
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "not_found",
            ApiError::Invalid { .. } => "invalid",
            ApiError::Rejected { .. } => "rows_rejected",
            ApiError::Conflict(_) => "conflict",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::TooManyRequests { .. } => "too_many_submissions",
            ApiError::StaleForm(_) => "stale_form",
            ApiError::TooLarge(_) => "too_large",
            ApiError::TooManySignIns { .. } => "too_many_sign_ins",
            ApiError::Unauthenticated(_) => "unauthenticated",
            ApiError::Timeout(_) => "timeout",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The HTTP status the error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Invalid { .. } | ApiError::Rejected { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Forbidden(_) | ApiError::StaleForm(_) => StatusCode::FORBIDDEN,
            ApiError::TooManyRequests { .. } | ApiError::TooManySignIns { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the reader is told, in `lang`: the error's own message, or for the kinds without
    /// one, the words of their kind. An internal failure's detail is never shown.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::NotFound(text)
            | ApiError::Conflict(text)
            | ApiError::Forbidden(text)
            | ApiError::StaleForm(text)
            | ApiError::TooLarge(text)
            | ApiError::Unauthenticated(text)
            | ApiError::Timeout(text) => text.pick(lang).to_string(),
            ApiError::Invalid { .. } => lang
                .pick(
                    "提交的内容有误，请按提示修改。",
                    "The request is not valid; see each problem.",
                )
                .to_string(),
            ApiError::Rejected { rejected, .. } => match lang {
                Lang::Zh => format!("有 {rejected} 行未通过检查，未导入任何数据。"),
                Lang::En => format!("{rejected} rows were rejected; nothing was imported."),
            },
            ApiError::TooManyRequests { .. } => lang
                .pick(
                    "同一网络提交的匿名问卷过多，请稍后再试。",
                    "Too many anonymous responses from this network; please try again later.",
                )
                .to_string(),
            ApiError::TooManySignIns { .. } => lang
                .pick(
                    "登录尝试过多，请稍后再试。",
                    "Too many sign-in attempts; please try again later.",
                )
                .to_string(),
            ApiError::Internal(_) => lang
                .pick(
                    "服务器出错，请稍后再试。",
                    "Something went wrong; please try again later.",
                )
                .to_string(),
        }
    }

    /// Logs an internal failure's detail (within the request's span); other errors are the
    /// client's and are not logged.
    fn log(&self) {
        if let ApiError::Internal(detail) = self {
            tracing::error!(detail = %detail, "internal error");
        }
    }
}

impl From<&StoreError> for ApiError {
    fn from(error: &StoreError) -> Self {
        match error {
            StoreError::NoSuchWave(id) => ApiError::not_found(
                format!("找不到编号为 {id} 的调查。"),
                format!("no wave with id {id}"),
            ),
            StoreError::DuplicateWaveName(name) => ApiError::conflict(
                format!("已有名为“{name}”的调查，请换一个名称。"),
                format!("a wave named {name:?} exists already"),
            ),
            StoreError::WaveNotOpen { id, status } => not_open(*id, *status),
            StoreError::WaveNotDraft { .. } => ApiError::conflict(
                "这一轮评价已开始收集答卷，不能再修改；只有草稿可以修改。",
                error.to_string(),
            ),
            StoreError::DuplicateAccount(name) => {
                ApiError::conflict(format!("账号“{name}”已存在。"), error.to_string())
            }
            StoreError::NoSuchAccount(name) => {
                ApiError::not_found(format!("找不到账号“{name}”。"), error.to_string())
            }
            StoreError::NoSuchProject(code) => ApiError::not_found(
                "项目库中没有这个项目。",
                format!("the register has no project {code:?}"),
            ),
            StoreError::Declined(problem) => {
                ApiError::conflict(problem.zh.clone(), problem.en.clone())
            }
            StoreError::Refused(message) => {
                ApiError::conflict("该操作与平台现有记录冲突，未作任何更改。", message.clone())
            }
            StoreError::InvalidText(field) => ApiError::invalid(
                field.clone(),
                "所填内容含有无法保存的字符，请删除后重试。",
                "may not contain a NUL character",
            ),
            StoreError::Database(message) => ApiError::Internal(message.clone()),
        }
    }
}

/// A wave that does not take responses in its current status.
pub fn not_open(id: i64, status: minxin_domain::platform::WaveStatus) -> ApiError {
    use minxin_domain::platform::WaveStatus;
    let zh = match status {
        WaveStatus::Draft => "本次调查尚未开始，暂不接受答卷。",
        WaveStatus::Open => "本次调查正在进行。",
        WaveStatus::Closed => "本次调查已结束，不再接受答卷。",
    };
    ApiError::conflict(zh, format!("wave {id} is {}, not open", status.code()))
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError::from(&error)
    }
}

impl From<SubmissionError> for ApiError {
    fn from(error: SubmissionError) -> Self {
        ApiError::Invalid {
            problems: error.problems,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log();
        let mut body = json!({
            "code": self.code(),
            "error": match &self {
                ApiError::Internal(_) => "internal error".to_string(),
                ApiError::Rejected { rejected, .. } => format!("{rejected} rows were rejected; nothing was imported (add keep_valid=true to store the valid rows)"),
                other => other.to_string(),
            },
            "message": {"zh": self.message(Lang::Zh), "en": self.message(Lang::En)},
        });
        match &self {
            ApiError::Invalid { problems } => {
                body["problems"] = problems
                    .iter()
                    .map(|problem| {
                        json!({"field": problem.field, "message": problem.en, "message_zh": problem.zh})
                    })
                    .collect();
            }
            ApiError::Rejected { rejected, listed } => {
                body["rejected"] = json!(rejected);
                body["rejections"] = json!(listed);
            }
            ApiError::TooManyRequests { retry_after_secs }
            | ApiError::TooManySignIns { retry_after_secs } => {
                body["retry_after_secs"] = json!(retry_after_secs);
            }
            _ => {}
        }
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::TooManyRequests { retry_after_secs }
        | ApiError::TooManySignIns { retry_after_secs } = &self
        {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(*retry_after_secs),
            );
        }
        response
    }
}

/// An error shown as a page, in the reader's language.
pub struct PageError(pub ApiError, pub Lang);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(error, lang) = self;
        error.log();
        let title = match error.status() {
            StatusCode::NOT_FOUND => lang.pick("找不到该页面", "Not found"),
            StatusCode::UNAUTHORIZED => lang.pick("请先登录", "Please sign in"),
            StatusCode::FORBIDDEN => lang.pick("无权访问", "Not permitted"),
            StatusCode::INTERNAL_SERVER_ERROR => lang.pick("服务器出错", "Something went wrong"),
            _ => lang.pick("无法完成", "This could not be done"),
        };
        let problems: &[Problem] = match &error {
            ApiError::Invalid { problems } => problems,
            _ => &[],
        };
        let body = maud::html! {
            h1 { (title) }
            p { (error.message(lang)) }
            @if !problems.is_empty() {
                ul { @for problem in problems { li { (lang.pick(&problem.zh, &problem.en)) } } }
            }
            p { a href={ "/" (lang_suffix(lang)) } { (lang.pick("返回首页", "Back to the home page")) } }
        };
        (error.status(), page(title, lang, body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_carries_its_own_message_in_both_languages() {
        let error = not_open(3, minxin_domain::platform::WaveStatus::Closed);
        assert_eq!(error.code(), "conflict");
        assert_eq!(error.status(), StatusCode::CONFLICT);
        assert_eq!(error.message(Lang::Zh), "本次调查已结束，不再接受答卷。");
        assert_eq!(error.to_string(), "wave 3 is closed, not open");
    }

    #[tokio::test]
    async fn the_json_answer_has_a_stable_code_and_hides_internal_detail() {
        let response = ApiError::Internal("the disk is on fire".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["code"], "internal");
        assert_eq!(value["message"]["zh"], "服务器出错，请稍后再试。");
        assert!(!String::from_utf8_lossy(&body).contains("fire"));
    }

    #[tokio::test]
    async fn a_page_shows_the_error_s_message_in_the_reader_s_language() {
        let error = ApiError::conflict("“黄浦区”尚无受访者。", "nobody in Huangpu yet");
        let response = PageError(error, Lang::Zh).into_response();
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        let page = String::from_utf8(body.to_vec()).unwrap();
        assert!(page.contains("“黄浦区”尚无受访者。"), "{page}");
        assert!(!page.contains("nobody in Huangpu"));
    }
}
