//! The project register: the city's livelihood projects, who leads them, who takes part and
//! where they are delivered, as pages, downloads and JSON; and loading a new register (the
//! coordination office or the administrator, audited).

pub mod api;
pub mod district;
pub mod letter_pages;
pub mod letters;
mod meeting_follow_up;
pub mod meeting_pages;
pub mod meetings;
pub mod notices;
pub mod openapi_fragment;
pub mod pages;
pub mod progress;
pub mod progress_pages;
mod project_items;
pub mod public_pages;
pub mod publication;
pub mod stage;
pub mod stage_pages;
pub mod supervision;
mod supervision_export;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{get, post, put};
use minxin_domain::access::{Action, Grade};
use minxin_domain::platform::Store;

use minxin_domain::decision::DecisionKind;
use minxin_domain::subject::SubjectKind;

use crate::app::guard::{DecidedGrade, GradeOf, RouteEntry, Rule};

/// The register: public, as the city announces its programme.
const READ_PUBLIC: Rule = Rule::new(Action::Read, GradeOf::Fixed(Grade::Public));

/// The register as a file: public.
const EXPORT_PUBLIC: Rule = Rule::new(Action::Export, GradeOf::Fixed(Grade::Public));

/// Loading a register changes the city's programme: internal, for the whole city.
const CHANGE_INTERNAL: Rule = Rule::new(Action::Change, GradeOf::Fixed(Grade::Internal));

/// A project's delivery (stage, plan, letters, progress): internal, for its departments and
/// the districts it is delivered in (the handlers narrow changes further: the office decides,
/// the lead department plans and signs, each unit reports on what it owns).
const PROJECT_INTERNAL: Rule =
    Rule::new(Action::Read, GradeOf::Fixed(Grade::Internal)).about_delivery("code");

/// What the public sees of a project's delivery: public once the office has published it
/// (the decision in force about the project), internal before, for those who follow it.
const DELIVERY_AS_PUBLISHED: Rule = Rule::new(
    Action::Read,
    GradeOf::Decided(DecidedGrade {
        parameter: "code",
        subject: SubjectKind::Project,
        decided: DecisionKind::PublishResults,
        when_decided: Grade::Public,
        otherwise: Grade::Internal,
    }),
)
.about_delivery("code");

/// Publishing a project's delivery, or withdrawing it: only the coordination office.
const PUBLISH: Rule = Rule::new(Action::Publish, GradeOf::Fixed(Grade::Internal));

/// Changing a project's stage or plan: internal, about the project.
const CHANGE_PROJECT: Rule =
    Rule::new(Action::Change, GradeOf::Fixed(Grade::Internal)).about_delivery("code");

/// A district's commitments: internal, for the district's officers (and the city's staff).
const DISTRICT_INTERNAL: Rule =
    Rule::new(Action::Read, GradeOf::Fixed(Grade::Internal)).about_district("district");

/// The supervision board: internal, each visitor seeing their own part of it.
const OWN_PART_INTERNAL: Rule =
    Rule::new(Action::Read, GradeOf::Fixed(Grade::Internal)).about_own_part();

/// The supervision board as a file: internal, each visitor exporting their own part of it.
const OWN_PART_EXPORT: Rule =
    Rule::new(Action::Export, GradeOf::Fixed(Grade::Internal)).about_own_part();

/// Sending, answering and closing notices, convening meetings, signing their minutes and
/// reporting action items done: internal changes, each visitor acting on their own part (the
/// handlers say who does which step).
const OWN_PART_CHANGE: Rule =
    Rule::new(Action::Change, GradeOf::Fixed(Grade::Internal)).about_own_part();

/// A project's letter as a file: internal, about the project.
const EXPORT_PROJECT: Rule =
    Rule::new(Action::Export, GradeOf::Fixed(Grade::Internal)).about_delivery("code");

/// The largest letter workbook accepted.
const MAX_LETTER_BYTES: usize = 4 * 1024 * 1024;

/// The largest register file accepted (a thousand projects fit in far less).
const MAX_REGISTER_BYTES: usize = 8 * 1024 * 1024;

/// The problems a form shows again after `error`: each problem of an invalid form, or the one
/// reason a step was refused; any other error is the page's.
pub fn form_problems(
    error: crate::app::error::ApiError,
    lang: minxin_report::Lang,
) -> Result<Vec<minxin_domain::Problem>, crate::app::error::PageError> {
    use crate::app::error::ApiError;
    match error {
        ApiError::Invalid { problems } => Ok(problems),
        ApiError::Conflict(text) | ApiError::Forbidden(text) | ApiError::NotFound(text) => {
            Ok(vec![minxin_domain::Problem::new("", text.zh, text.en)])
        }
        other => Err(crate::app::error::PageError(other, lang)),
    }
}

/// The routes of this area, each with its permission.
pub fn routes<S: Store>() -> Vec<RouteEntry<S>> {
    vec![
        RouteEntry::new(
            Method::GET,
            "/projects",
            READ_PUBLIC,
            get(pages::projects_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/projects/{code}",
            READ_PUBLIC,
            get(pages::project_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/projects.xlsx",
            EXPORT_PUBLIC,
            get(pages::register_workbook::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/projects.csv",
            EXPORT_PUBLIC,
            get(pages::register_csv::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/projects",
            READ_PUBLIC,
            get(api::projects_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/projects/{code}",
            READ_PUBLIC,
            get(api::project_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/projects/{code}/standing",
            PROJECT_INTERNAL,
            get(stage::standing_api::<S>),
        ),
        RouteEntry::new(
            Method::PUT,
            "/api/v1/projects/{code}/plan",
            CHANGE_PROJECT,
            put(stage::plan_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/projects/{code}/stage",
            CHANGE_PROJECT,
            post(stage::stage_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/projects/{code}/modifications",
            CHANGE_PROJECT,
            post(stage::propose_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/projects/{code}/modifications/{id}",
            CHANGE_PROJECT,
            post(stage::decide_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/plan",
            CHANGE_PROJECT.with_form(),
            post(stage_pages::plan_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/stage",
            CHANGE_PROJECT.with_form(),
            post(stage_pages::stage_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/modifications",
            CHANGE_PROJECT.with_form(),
            post(stage_pages::propose_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/modifications/{id}",
            CHANGE_PROJECT.with_form(),
            post(stage_pages::decide_form::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/projects/{code}/letters",
            PROJECT_INTERNAL,
            get(letters::letters_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/projects/{code}/letters",
            CHANGE_PROJECT,
            post(letters::create_api::<S>),
        ),
        RouteEntry::new(
            Method::PUT,
            "/api/v1/projects/{code}/letters/{year}",
            CHANGE_PROJECT,
            put(letters::write_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/projects/{code}/letters/{year}/issue",
            CHANGE_PROJECT,
            post(letters::issue_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/projects/{code}/letters/{year}/accept",
            CHANGE_PROJECT,
            post(letters::accept_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/projects/{code}/letters/{year}",
            PROJECT_INTERNAL,
            get(letter_pages::letter_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/projects/{code}/letters/{year}/workbook",
            EXPORT_PROJECT,
            get(letter_pages::workbook_download::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/letters",
            CHANGE_PROJECT.with_form(),
            post(letter_pages::create_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/letters/{year}/workbook",
            CHANGE_PROJECT.with_form(),
            post(letter_pages::upload_form::<S>).layer(DefaultBodyLimit::max(MAX_LETTER_BYTES)),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/letters/{year}/issue",
            CHANGE_PROJECT.with_form(),
            post(letter_pages::issue_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/letters/{year}/accept",
            CHANGE_PROJECT.with_form(),
            post(letter_pages::accept_form::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/projects/{code}/letters/{year}/progress",
            PROJECT_INTERNAL,
            get(progress_pages::progress_page::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/letters/{year}/progress",
            CHANGE_PROJECT.with_form(),
            post(progress_pages::submit_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/progress/{id}",
            CHANGE_PROJECT.with_form(),
            post(progress_pages::step_form::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/projects/{code}/letters/{year}/progress",
            PROJECT_INTERNAL,
            get(progress::progress_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/projects/{code}/progress",
            CHANGE_PROJECT,
            post(progress::submit_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/projects/{code}/progress/{id}",
            CHANGE_PROJECT,
            post(progress::step_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/districts/{district}/commitments",
            DISTRICT_INTERNAL,
            get(district::commitments_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/districts/{district}/commitments",
            DISTRICT_INTERNAL,
            get(district::commitments_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/supervision",
            OWN_PART_INTERNAL,
            get(supervision::board_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/supervision",
            OWN_PART_INTERNAL,
            get(supervision::board_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/supervision.xlsx",
            OWN_PART_EXPORT,
            get(supervision_export::board_workbook::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/supervision.csv",
            OWN_PART_EXPORT,
            get(supervision_export::board_csv::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/supervision/notices",
            OWN_PART_CHANGE.with_form(),
            post(notices::issue_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/supervision/notices/{id}/answer",
            OWN_PART_CHANGE.with_form(),
            post(notices::answer_form::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/supervision/notices/{id}/close",
            OWN_PART_CHANGE.with_form(),
            post(notices::close_form::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/notices",
            OWN_PART_INTERNAL,
            get(notices::notices_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/notices",
            OWN_PART_CHANGE,
            post(notices::issue_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/notices/{id}/answer",
            OWN_PART_CHANGE,
            post(notices::answer_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/notices/{id}/close",
            OWN_PART_CHANGE,
            post(notices::close_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/meetings",
            OWN_PART_INTERNAL,
            get(meeting_pages::meetings_page::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/meetings",
            OWN_PART_CHANGE.with_form(),
            post(meeting_pages::convene_form_post::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/meetings/{id}",
            OWN_PART_INTERNAL,
            get(meeting_pages::meeting_page::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/meetings/{id}/follow-up",
            OWN_PART_INTERNAL,
            get(meeting_follow_up::follow_up_page::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/meetings/{id}/minutes",
            OWN_PART_CHANGE.with_form(),
            post(meeting_pages::minutes_form_post::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/meetings/{id}/actions/{number}/complete",
            OWN_PART_CHANGE.with_form(),
            post(meeting_pages::complete_form_post::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/meetings",
            OWN_PART_INTERNAL,
            get(meetings::meetings_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/meetings",
            OWN_PART_CHANGE,
            post(meetings::convene_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/meetings/{id}",
            OWN_PART_INTERNAL,
            get(meetings::meeting_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/meetings/{id}/minutes",
            OWN_PART_CHANGE,
            post(meetings::minutes_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/meetings/{id}/actions/{number}/complete",
            OWN_PART_CHANGE,
            post(meetings::complete_api::<S>),
        ),
        RouteEntry::new(
            Method::GET,
            "/api/v1/projects/{code}/delivery",
            DELIVERY_AS_PUBLISHED,
            get(publication::delivery_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/api/v1/projects/{code}/publication",
            PUBLISH,
            post(publication::publication_api::<S>),
        ),
        RouteEntry::new(
            Method::POST,
            "/projects/{code}/publication",
            PUBLISH.with_form(),
            post(publication::publication_form::<S>),
        ),
        RouteEntry::new(
            Method::PUT,
            "/api/v1/register",
            CHANGE_INTERNAL,
            put(api::register_api::<S>).layer(DefaultBodyLimit::max(MAX_REGISTER_BYTES)),
        ),
    ]
}

/// The OpenAPI description of this area's operations, completed by [`crate::app::openapi`].
pub fn openapi() -> serde_json::Value {
    openapi_fragment::fragment()
}
