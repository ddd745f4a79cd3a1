//! Every route through the permission matrix: the route table pairs each path and method with
//! a [`Rule`] (the action, the grade of the information, what the information is about), and
//! [`app`](crate::app) builds the router from that table only, each handler behind [`guard`].
//! A route cannot be added without a rule, and the matrix test walks the same table.
//!
//! The grade of a wave's information follows its state (unpublished figures are restricted
//! information):
//! - results (dashboard, report, rankings, downloads, robustness, comparison) are public once
//!   the coordination office has published them, and restricted before ("unpublished
//!   figures");
//! - one project's or one district's results are public once published and internal before:
//!   the project's lead and participating departments, and the district's officers, follow
//!   their own while the wave runs;
//! - a wave's record (name, period, counts) is public while it is open or once published, and
//!   internal otherwise (drafts, closed waves not yet published).
//!
//! More generally, a grade can follow the decision in force about the subject a path names
//! ([`GradeOf::Decided`]: publication today, disclosures and hearing records next). Every
//! path parameter a rule reads is named by the rule ([`Rule::path_parameters`]); the router
//! is not built when a path lacks one.

use axum::extract::{Query, RawPathParams, Request, State};
use axum::http::{HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use axum::Router;
use minxin_domain::access::{Action, Grade};
use minxin_domain::decision::DecisionKind;
use minxin_domain::organisation::{allows, Target};
use minxin_domain::platform::{Store, WaveStatus};
use minxin_domain::subject::SubjectKind;
use serde::Deserialize;

use crate::app::error::ApiError;
use crate::app::error::PageError;
use crate::app::session::{check_csrf_header, needs_csrf_header, Visitor};
use crate::app::state::AppState;
use crate::ui::i18n::{lang_of, LangQuery};

/// How the grade of a route's information is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeOf {
    /// Always this grade.
    Fixed(Grade),
    /// The results of the wave `{id}`: public once published, else restricted.
    WaveResults,
    /// One project's or one district's results in the wave `{id}`: public once published,
    /// else internal (for those whose scope covers the project or district).
    ScopedResults,
    /// The record of the wave `{id}`: public while open or once published, else internal.
    WaveRecord,
    /// The comparison of the waves `before` and `after` (query): public when both are
    /// published, else restricted.
    Comparison,
    /// Follows the decision in force about the subject the path names (publication today;
    /// disclosures and hearing records next).
    Decided(DecidedGrade),
}

/// A grade that follows the decision in force about a subject of the kind `subject`, named by
/// the value of the path parameter `parameter`. When the decision in force is of the kind
/// `decided`, the information has the grade `when_decided`; otherwise (no decision, or one
/// of another kind, such as a withdrawal) it has the grade `otherwise`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecidedGrade {
    /// The path parameter naming the subject (`id` in `/waves/{id}`).
    pub parameter: &'static str,
    /// The kind of subject the parameter names ([`SubjectKind::Wave`]: `3` is `wave/3`).
    pub subject: SubjectKind,
    /// The kind of decision that changes the grade.
    pub decided: DecisionKind,
    /// The grade while such a decision is in force.
    pub when_decided: Grade,
    /// The grade otherwise.
    pub otherwise: Grade,
}

/// What a route's information is about, for scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetOf {
    /// The city as a whole.
    City,
    /// The project the named path parameter gives (`code` in `/projects/{code}`).
    Project(&'static str),
    /// The district the named path parameter gives.
    District(&'static str),
    /// The delivery of the project the named path parameter gives (its stage, letters and
    /// progress): its departments and the districts it is delivered in.
    Delivery(&'static str),
    /// A list each visitor sees their own part of (the handler narrows it to their scope).
    OwnPart,
}

/// The permission a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// What the request does.
    pub action: Action,
    /// The grade of the information.
    pub grade: GradeOf,
    /// What the information is about.
    pub target: TargetOf,
    /// The route takes an HTML form, whose handler checks the CSRF field.
    pub form: bool,
}

impl Rule {
    /// A rule for `action` on information of `grade` about the city.
    pub const fn new(action: Action, grade: GradeOf) -> Rule {
        Rule {
            action,
            grade,
            target: TargetOf::City,
            form: false,
        }
    }

    /// The same rule about the project that the path parameter `parameter` names.
    pub const fn about_project(self, parameter: &'static str) -> Rule {
        Rule {
            target: TargetOf::Project(parameter),
            ..self
        }
    }

    /// The same rule about the delivery of the project that the path parameter `parameter`
    /// names: its departments and the officers of the districts it is delivered in.
    pub const fn about_delivery(self, parameter: &'static str) -> Rule {
        Rule {
            target: TargetOf::Delivery(parameter),
            ..self
        }
    }

    /// The same rule about a list each visitor sees their own part of.
    pub const fn about_own_part(self) -> Rule {
        Rule {
            target: TargetOf::OwnPart,
            ..self
        }
    }

    /// The same rule about the district that the path parameter `parameter` names.
    pub const fn about_district(self, parameter: &'static str) -> Rule {
        Rule {
            target: TargetOf::District(parameter),
            ..self
        }
    }

    /// The path parameters the guard reads to grade and place a request under this rule.
    pub fn path_parameters(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        match self.grade {
            GradeOf::WaveResults | GradeOf::ScopedResults | GradeOf::WaveRecord => {
                names.push(WAVE_PARAMETER)
            }
            GradeOf::Decided(decided) => names.push(decided.parameter),
            GradeOf::Fixed(_) | GradeOf::Comparison => {}
        }
        match self.target {
            TargetOf::City | TargetOf::OwnPart => {}
            TargetOf::Project(name) | TargetOf::District(name) | TargetOf::Delivery(name) => {
                names.push(name)
            }
        }
        names
    }

    /// The same rule for a route that takes an HTML form.
    pub const fn with_form(self) -> Rule {
        Rule { form: true, ..self }
    }
}

/// The path parameter that names a wave for the wave-based grades.
pub const WAVE_PARAMETER: &str = "id";

/// Reading public information (open to everyone).
pub const PUBLIC_READ: Rule = Rule::new(Action::Read, GradeOf::Fixed(Grade::Public));

/// One entry of the route table.
pub struct RouteEntry<S: Store> {
    /// The HTTP method.
    pub method: Method,
    /// The path pattern (`/waves/{id}`).
    pub path: &'static str,
    /// The permission it needs.
    pub rule: Rule,
    /// The handler.
    pub handler: MethodRouter<AppState<S>>,
}

impl<S: Store> RouteEntry<S> {
    /// An entry of the table.
    pub fn new(
        method: Method,
        path: &'static str,
        rule: Rule,
        handler: MethodRouter<AppState<S>>,
    ) -> RouteEntry<S> {
        RouteEntry {
            method,
            path,
            rule,
            handler,
        }
    }
}

/// Marks a response the guard refused (for tests; invisible to clients).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessDenied;

/// The first path parameter `rule` reads that `path` does not have, if any.
pub fn missing_parameter(path: &str, rule: &Rule) -> Option<&'static str> {
    rule.path_parameters()
        .into_iter()
        .find(|name| !path.contains(&format!("{{{name}}}")))
}

/// The router of `entries`, each handler behind the guard with its rule.
///
/// # Panics
/// When a rule reads a path parameter its path lacks: a mistake in the route table, found
/// when the router is built (at start and by every test) rather than by grading a request
/// against an empty value.
pub fn router<S: Store>(state: &AppState<S>, entries: Vec<RouteEntry<S>>) -> Router<AppState<S>> {
    for entry in &entries {
        if let Some(name) = missing_parameter(entry.path, &entry.rule) {
            panic!(
                "the route {} {} has a rule that reads the path parameter {{{name}}}, which the path lacks",
                entry.method, entry.path
            );
        }
    }
    entries.into_iter().fold(Router::new(), |router, entry| {
        let handler = entry.handler.route_layer(middleware::from_fn_with_state(
            (state.clone(), entry.rule),
            guard::<S>,
        ));
        router.route(entry.path, handler)
    })
}

/// The waves a comparison is about, read from the request's query exactly once, by the guard,
/// with the same decoding as every other query parameter (percent-encoding, `+`, repeated
/// keys refused). The guard grades the request from these values and hands them to the
/// handler as a request extension, so the handler cannot compare other waves than the ones
/// the guard graded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct ComparedWaves {
    /// The earlier wave, when the request names one.
    pub before: Option<i64>,
    /// The later wave, when the request names one.
    pub after: Option<i64>,
}

impl ComparedWaves {
    /// The waves named by `uri`'s query; an error naming the parameter when they cannot be
    /// worked out (a value that is no wave number, a key given twice).
    pub fn from_uri(uri: &axum::http::Uri) -> Result<ComparedWaves, ApiError> {
        Query::<ComparedWaves>::try_from_uri(uri)
            .map(|Query(waves)| waves)
            .map_err(|rejection| {
                ApiError::invalid(
                    "before, after",
                    "请各选择一轮要对比的评价。",
                    format!(
                        "the waves to compare must each be given once, as a wave number: {}",
                        rejection.body_text()
                    ),
                )
            })
    }

    fn named(&self) -> impl Iterator<Item = i64> {
        self.before.into_iter().chain(self.after)
    }
}

/// The grade of the information a request reaches, by its rule and the waves' state. The
/// request's subject (the wave in the path, the waves of a comparison) is read as the handler
/// reads it; a subject that cannot be worked out is refused, never graded as public.
pub fn grade_of<S: Store>(
    state: &AppState<S>,
    rule: &Rule,
    path: &RawPathParams,
    uri: &axum::http::Uri,
) -> Result<(Grade, Option<ComparedWaves>), ApiError> {
    let wave_in_path = || -> Result<i64, ApiError> {
        let id = parameter(path, WAVE_PARAMETER)?;
        id.parse().map_err(|_| {
            ApiError::not_found(
                format!("找不到编号为 {id} 的调查。"),
                format!("no wave with id {id:?}"),
            )
        })
    };
    Ok(match rule.grade {
        GradeOf::Fixed(grade) => (grade, None),
        GradeOf::WaveResults | GradeOf::ScopedResults | GradeOf::WaveRecord => {
            let id = wave_in_path()?;
            state.wave(id)?;
            (wave_grade(state, rule.grade, id), None)
        }
        GradeOf::Comparison => {
            let waves = ComparedWaves::from_uri(uri)?;
            // Each wave named must be published for the comparison to be public; a page
            // that names none only offers the choice (of the waves the visitor may read).
            let grade = if waves.named().all(|id| state.is_published(id)) {
                Grade::Public
            } else {
                Grade::Restricted
            };
            (grade, Some(waves))
        }
        GradeOf::Decided(decided) => (
            decided_grade(state, &decided, parameter(path, decided.parameter)?),
            None,
        ),
    })
}

/// The grade `decided` gives the subject of its kind that `value` names, by the decision in
/// force about it (a value that names no subject has none).
fn decided_grade<S: Store>(state: &AppState<S>, decided: &DecidedGrade, value: &str) -> Grade {
    let in_force = decided
        .subject
        .subject(value)
        .and_then(|subject| state.decision_in_force(&subject));
    if in_force.is_some_and(|d| d.decision.kind == decided.decided) {
        decided.when_decided
    } else {
        decided.otherwise
    }
}

/// The value of the path parameter `name` (the router is built only when every rule's
/// parameters are in its path, so a missing one is an internal error, never an empty value).
fn parameter<'p>(path: &'p RawPathParams, name: &str) -> Result<&'p str, ApiError> {
    path.iter()
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value)
        .ok_or_else(|| ApiError::Internal(format!("the path has no parameter {{{name}}}")))
}

/// The grade of wave `id`'s information of the kind `grade_of` names (for a wave that exists;
/// a grade that follows a decision, for the subject `id` names).
fn wave_grade<S: Store>(state: &AppState<S>, grade_of: GradeOf, id: i64) -> Grade {
    let published = state.is_published(id);
    match grade_of {
        GradeOf::Fixed(grade) => grade,
        GradeOf::Decided(decided) => decided_grade(state, &decided, &id.to_string()),
        _ if published => Grade::Public,
        GradeOf::WaveResults | GradeOf::Comparison => Grade::Restricted,
        GradeOf::ScopedResults => Grade::Internal,
        GradeOf::WaveRecord => match state.wave(id).map(|wave| wave.status()) {
            Ok(WaveStatus::Open) => Grade::Public,
            _ => Grade::Internal,
        },
    }
}

/// Whether `visitor` may read wave `wave`'s information of the kind `grade_of` names, about
/// `target`: for lists, links and trends, which show each visitor what they may read.
pub fn may_read<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    grade_of: GradeOf,
    wave: i64,
    target: &Target,
) -> bool {
    let grade = wave_grade(state, grade_of, wave);
    allows(
        &state.organisation(),
        visitor.assignments(),
        Action::Read,
        grade,
        target,
    )
}

/// Whether `visitor` may do `action` with information of `grade` about the city as a whole
/// (what a page offers: links, forms, the unpublished form of its figures).
pub fn city_allows<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    action: Action,
    grade: Grade,
) -> bool {
    allows(
        &state.organisation(),
        visitor.assignments(),
        action,
        grade,
        &Target::City,
    )
}

fn target_of(rule: &Rule, path: &RawPathParams) -> Result<Target, ApiError> {
    Ok(match rule.target {
        TargetOf::City => Target::City,
        TargetOf::Project(name) => Target::Project(parameter(path, name)?.to_string()),
        TargetOf::District(name) => Target::District(parameter(path, name)?.to_string()),
        TargetOf::Delivery(name) => Target::Delivery(parameter(path, name)?.to_string()),
        TargetOf::OwnPart => Target::OwnPart,
    })
}

/// Middleware in front of every handler: lets the request through only when the visitor's
/// roles allow the route's rule for the grade and target it reaches.
pub async fn guard<S: Store>(
    State((state, rule)): State<(AppState<S>, Rule)>,
    path: RawPathParams,
    request: Request,
    next: Next,
) -> Response {
    let visitor = request
        .extensions()
        .get::<Visitor>()
        .cloned()
        .unwrap_or_else(Visitor::anonymous);
    let api = request.uri().path().starts_with("/api/");
    let (grade, compared) = match grade_of(&state, &rule, &path, request.uri()) {
        Ok(graded) => graded,
        Err(error) => return error.into_response(),
    };
    let target = match target_of(&rule, &path) {
        Ok(target) => target,
        Err(error) => return error.into_response(),
    };
    let permitted = allows(
        &state.organisation(),
        visitor.assignments(),
        rule.action,
        grade,
        &target,
    );
    if !permitted {
        return denied(&visitor, api, request.uri());
    }
    if needs_csrf_header(request.method(), &visitor, rule.form) {
        if let Err(error) = check_csrf_header(request.headers(), &visitor) {
            return error.into_response();
        }
    }
    let mut request = request;
    if let Some(compared) = compared {
        request.extensions_mut().insert(compared);
    }
    let mut response = next.run(request).await;
    if grade != Grade::Public {
        // Internal and restricted information is kept by no cache, the browser's included.
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        );
    }
    // Every answer says the grade of the information it carries, exports included.
    response.headers_mut().insert(
        GRADE_HEADER,
        HeaderValue::from_static(match grade {
            Grade::Public => "public",
            Grade::Internal => "internal",
            Grade::Restricted => "restricted",
        }),
    );
    response
}

/// The response header naming the information grade of what a route returned.
pub const GRADE_HEADER: &str = "x-information-grade";

/// The answer to a refused request: sign in first (pages redirect to the sign-in page), or
/// not permitted.
fn denied(visitor: &Visitor, api: bool, uri: &axum::http::Uri) -> Response {
    let mut response = match (&visitor.signed_in, api) {
        (None, true) => ApiError::unauthenticated(
            "请先登录：POST /api/v1/sessions，再以 bearer 令牌发送。",
            "sign in first: POST /api/v1/sessions, then send the token as a bearer token",
        )
        .into_response(),
        (None, false) => {
            let next = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
            Redirect::to(&format!(
                "/sign-in?next={}",
                crate::ui::html::url_encode(&next)
            ))
            .into_response()
        }
        (Some(_), true) => {
            ApiError::forbidden("您的角色无权进行此操作。", "your roles do not permit this")
                .into_response()
        }
        (Some(_), false) => PageError(
            ApiError::forbidden(
                "您的角色无权查看此页面。",
                "Your roles do not permit this page.",
            ),
            lang_of(
                Query::<LangQuery>::try_from_uri(uri)
                    .ok()
                    .and_then(|Query(query)| query.lang)
                    .as_deref(),
            ),
        )
        .into_response(),
    };
    response.extensions_mut().insert(AccessDenied);
    response
}
