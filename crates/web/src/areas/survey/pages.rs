//! The questionnaire's handlers: the welcome page (`GET`), and each step's form (`POST`),
//! which moves the respondent forward (once the step is answered) or back, and at the end
//! submits the sheet through the one path every submission takes.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::Form;
use minxin_domain::organisation::Target;
use minxin_domain::platform::{Store, WaveStatus};
use minxin_report::Lang;

use super::api::{accept_submission, Respondent, Submitter};
use super::form::FormFields;
use super::sheet::{Sheet, Step};
use super::views::{self, Feedback, FormKeys};
use crate::app::client::ClientAddress;
use crate::app::error::{ApiError, PageError};
use crate::app::guard::{may_read, GradeOf};
use crate::app::live::LiveWave;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::ui::i18n::{lang_of, LangQuery};

/// The wave `id` if it takes responses, else the page that says why not.
pub(super) fn open_wave<S: Store>(
    state: &AppState<S>,
    id: i64,
    lang: Lang,
) -> Result<std::sync::Arc<LiveWave>, PageError> {
    let wave = state.wave(id).map_err(|e| PageError(e, lang))?;
    if wave.status() != WaveStatus::Open {
        return Err(PageError(
            crate::app::error::not_open(id, wave.status()),
            lang,
        ));
    }
    Ok(wave)
}

/// The welcome page, reached from a portal with the citizen's token or directly.
pub(super) async fn survey_start<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    Query(query): Query<LangQuery>,
) -> Result<Html<String>, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let wave = open_wave(&state, id, lang)?;
    let keys = FormKeys {
        csrf: visitor.csrf_token(),
        token: query.token.as_deref().unwrap_or(""),
        idempotency: "",
    };
    Ok(views::welcome(&wave, lang, &keys))
}

/// A new idempotency key for one questionnaire: a retried final step (a double tap, a
/// reload) stores the sheet once.
fn new_idempotency_key() -> String {
    format!(
        "{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    )
}

/// A step's form: forward (when the step is answered), back, or the submission.
pub(super) async fn survey_step<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(id): Path<i64>,
    ClientAddress(client): ClientAddress,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Html<String>, PageError> {
    let fields = FormFields::new(fields).map_err(|e| PageError(e, Lang::Zh))?;
    let lang = lang_of(fields.one("lang"));
    visitor
        .check_form(fields.one("csrf").unwrap_or(""))
        .map_err(|e| PageError(e, lang))?;
    let wave = open_wave(&state, id, lang)?;
    let configuration = &wave.model.configuration;
    let token = fields.one("token").unwrap_or("").to_string();
    let idempotency = fields
        .one("idempotency_key")
        .filter(|key| !key.is_empty() && key.len() <= 128)
        .map_or_else(new_idempotency_key, String::from);
    let keys = FormKeys {
        csrf: visitor.csrf_token(),
        token: &token,
        idempotency: &idempotency,
    };
    let sheet = Sheet::from_form(configuration, &fields);
    let known = sheet.known.len();
    let at = Step::from_code(fields.one("at"));
    let show = |step: Step, feedback: Feedback| {
        Ok(views::step(&wave, lang, &keys, &sheet, step, &feedback))
    };
    if fields.one("go") == Some("back") {
        return show(at.back(known), Feedback::None);
    }
    match at {
        Step::Welcome => show(Step::Choose, Feedback::None),
        Step::Choose | Step::Profile if known == 0 => show(Step::Choose, Feedback::NothingKnown),
        Step::Choose => show(Step::Project(0), Feedback::None),
        Step::Project(k) => {
            let Some(project) = sheet.project(configuration, k) else {
                // The form names a project position the sheet no longer has.
                return show(Step::Profile.back(known), Feedback::None);
            };
            let unanswered = sheet.unanswered(configuration, &project.code);
            if unanswered.is_empty() {
                show(at.forward(known), Feedback::None)
            } else {
                show(at, Feedback::Unanswered(unanswered))
            }
        }
        Step::Profile => {
            if let Some(problem) = sheet.age_problem() {
                return show(Step::Profile, Feedback::Refused(vec![problem]));
            }
            let mut submission = sheet.submission(configuration);
            if !token.trim().is_empty() {
                // A citizen handed over by a portal answers through that portal's channel.
                submission.channel = None;
            }
            let outcome = accept_submission(
                &state,
                id,
                Respondent::from_token(Some(&token)),
                Some(idempotency.clone()),
                submission,
                Submitter::Client(client),
            )
            .await;
            match outcome {
                Ok(acknowledgement) => {
                    let results_readable = may_read(
                        &state,
                        &visitor,
                        GradeOf::WaveResults,
                        wave.id(),
                        &Target::City,
                    );
                    Ok(views::thanks(
                        &wave,
                        lang,
                        acknowledgement,
                        results_readable,
                    ))
                }
                Err(ApiError::Invalid { problems }) => {
                    show(Step::Profile, Feedback::Refused(problems))
                }
                Err(error) => Err(PageError(error, lang)),
            }
        }
    }
}
