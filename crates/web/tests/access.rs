//! The whole permission matrix, generated from the route table: every route × every role (and
//! a visitor not signed in, who holds the public role) × each grade the route's information can
//! have (waves in each state). The router is built from the same table only, so a new route
//! cannot escape this test, and a route cannot be added without a rule.
//!
//! What each route does with which information is specified here a second time
//! ([`SPECIFICATION`]), apart from the route table: a route missing from the specification, or
//! one whose rule differs, fails the test. What a visitor should be allowed is worked out from
//! that specification, `permits` and the scopes' meaning, not by asking the guard; the test
//! then checks that the guard let the request through or refused it accordingly, with the
//! refusal's status (sign in first, or not permitted).

mod common;

use axum::http::{Method, StatusCode};
use axum::Router;
use common::*;
use minxin_domain::access::{permits, Grade, Role};
use minxin_domain::decision::{DecisionKind, NewDecision};
use minxin_domain::organisation::{OrgUnit, ProjectDepartment, ProjectPart, UnitKind};
use minxin_domain::platform::{Attribution, NewWave, Store, WaveConfigTexts, WaveStatus};
use minxin_storage::SqliteStore;
use minxin_web::app::guard::{GradeOf, TargetOf};
use minxin_web::{application, route_table, AppState};

use minxin_domain::access::Action;
use GradeOf::{Comparison, Fixed, ScopedResults, WaveRecord, WaveResults};

const CITY: TargetOf = TargetOf::City;
const PROJECT: TargetOf = TargetOf::Project("code");
const DISTRICT: TargetOf = TargetOf::District("district");
const DELIVERY: TargetOf = TargetOf::Delivery("code");
const OWN_PART: TargetOf = TargetOf::OwnPart;

/// Who may do what on each route: method, path, action, grade of the information, what it is
/// about (the city, the project or the district in the path). Reads of published results are public; unpublished
/// rankings are restricted; a project's own unpublished figures are internal to its
/// departments; changing waves and importing are internal to the city's staff; publishing is
/// the coordination office's; the audit trail and microdata are restricted.
const SPECIFICATION: &[(&str, &str, Action, GradeOf, TargetOf)] = &[
    ("GET", "/", Action::Read, Fixed(Grade::Public), CITY),
    (
        "GET",
        "/api/openapi.json",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/assets/minxin.css",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/api/v1/waves",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "POST",
        "/api/v1/waves",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    ("GET", "/api/v1/waves/{id}", Action::Read, WaveRecord, CITY),
    (
        "PUT",
        "/api/v1/waves/{id}",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    // The office's wave pages: the same changes as the API, confirmed first.
    (
        "GET",
        "/waves/new",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/waves/new",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "GET",
        "/waves/{id}/manage",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "GET",
        "/waves/{id}/edit",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/waves/{id}/edit",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "GET",
        "/waves/{id}/status",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/waves/{id}/status",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/api/v1/waves/{id}/open",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/api/v1/waves/{id}/close",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/api/v1/waves/{id}/responses",
        Action::Respond,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/api/v1/waves/{id}/evaluation",
        Action::Read,
        WaveResults,
        CITY,
    ),
    (
        "GET",
        "/api/v1/waves/{id}/projects/{code}",
        Action::Read,
        ScopedResults,
        PROJECT,
    ),
    ("GET", "/api/v1/compare", Action::Read, Comparison, CITY),
    (
        "GET",
        "/api/v1/waves/{id}/robustness",
        Action::Read,
        WaveResults,
        CITY,
    ),
    (
        "GET",
        "/api/v1/waves/{id}/aggregates.{format}",
        Action::Export,
        WaveResults,
        CITY,
    ),
    (
        "POST",
        "/api/v1/waves/{id}/import",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    ("GET", "/waves/{id}", Action::Read, WaveResults, CITY),
    (
        "GET",
        "/waves/{id}/projects/{code}",
        Action::Read,
        ScopedResults,
        PROJECT,
    ),
    ("GET", "/waves/{id}/report", Action::Read, WaveResults, CITY),
    (
        "GET",
        "/waves/{id}/districts/{district}",
        Action::Read,
        ScopedResults,
        DISTRICT,
    ),
    (
        "GET",
        "/api/v1/waves/{id}/districts/{district}",
        Action::Read,
        ScopedResults,
        DISTRICT,
    ),
    (
        "GET",
        "/waves/{id}/robustness",
        Action::Read,
        WaveResults,
        CITY,
    ),
    ("GET", "/compare", Action::Read, Comparison, CITY),
    (
        "GET",
        "/waves/{id}/import",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/waves/{id}/import",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "GET",
        "/waves/{id}/survey",
        Action::Respond,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "POST",
        "/waves/{id}/survey",
        Action::Respond,
        Fixed(Grade::Public),
        CITY,
    ),
    ("GET", "/sign-in", Action::Read, Fixed(Grade::Public), CITY),
    ("POST", "/sign-in", Action::Read, Fixed(Grade::Public), CITY),
    (
        "POST",
        "/sign-out",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "POST",
        "/api/v1/sessions",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/api/v1/sessions/current",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "DELETE",
        "/api/v1/sessions/current",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/waves/{id}/publication",
        Action::Publish,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/waves/{id}/publication",
        Action::Publish,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/api/v1/waves/{id}/publication",
        Action::Publish,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "GET",
        "/api/v1/decisions",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/audit",
        Action::Oversee,
        Fixed(Grade::Restricted),
        CITY,
    ),
    (
        "GET",
        "/api/v1/audit",
        Action::Oversee,
        Fixed(Grade::Restricted),
        CITY,
    ),
    (
        "POST",
        "/organisation/roles",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/api/v1/roles",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "GET",
        "/api/v1/audit/head",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/api/v1/audit.csv",
        Action::Oversee,
        Fixed(Grade::Restricted),
        CITY,
    ),
    (
        "GET",
        "/api/v1/waves/{id}/responses.csv",
        Action::Export,
        Fixed(Grade::Restricted),
        CITY,
    ),
    (
        "GET",
        "/organisation",
        Action::Oversee,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "GET",
        "/api/v1/organisation",
        Action::Oversee,
        Fixed(Grade::Internal),
        CITY,
    ),
    ("GET", "/projects", Action::Read, Fixed(Grade::Public), CITY),
    (
        "GET",
        "/projects/{code}",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/projects.xlsx",
        Action::Export,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/projects.csv",
        Action::Export,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/api/v1/projects",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "GET",
        "/api/v1/projects/{code}",
        Action::Read,
        Fixed(Grade::Public),
        CITY,
    ),
    (
        "PUT",
        "/api/v1/register",
        Action::Change,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "GET",
        "/api/v1/projects/{code}/delivery",
        Action::Read,
        GradeOf::Decided(minxin_web::app::guard::DecidedGrade {
            parameter: "code",
            subject: minxin_domain::subject::SubjectKind::Project,
            decided: DecisionKind::PublishResults,
            when_decided: Grade::Public,
            otherwise: Grade::Internal,
        }),
        DELIVERY,
    ),
    (
        "POST",
        "/api/v1/projects/{code}/publication",
        Action::Publish,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "POST",
        "/projects/{code}/publication",
        Action::Publish,
        Fixed(Grade::Internal),
        CITY,
    ),
    (
        "GET",
        "/api/v1/projects/{code}/standing",
        Action::Read,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "PUT",
        "/api/v1/projects/{code}/plan",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/api/v1/projects/{code}/stage",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/api/v1/projects/{code}/modifications",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/api/v1/projects/{code}/modifications/{id}",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/plan",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/stage",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/modifications",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/modifications/{id}",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "GET",
        "/api/v1/projects/{code}/letters",
        Action::Read,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/api/v1/projects/{code}/letters",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "PUT",
        "/api/v1/projects/{code}/letters/{year}",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/api/v1/projects/{code}/letters/{year}/issue",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/api/v1/projects/{code}/letters/{year}/accept",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "GET",
        "/projects/{code}/letters/{year}",
        Action::Read,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "GET",
        "/projects/{code}/letters/{year}/workbook",
        Action::Export,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/letters",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/letters/{year}/workbook",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/letters/{year}/issue",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/letters/{year}/accept",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "GET",
        "/projects/{code}/letters/{year}/progress",
        Action::Read,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/letters/{year}/progress",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/projects/{code}/progress/{id}",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "GET",
        "/api/v1/projects/{code}/letters/{year}/progress",
        Action::Read,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/api/v1/projects/{code}/progress",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "POST",
        "/api/v1/projects/{code}/progress/{id}",
        Action::Change,
        Fixed(Grade::Internal),
        DELIVERY,
    ),
    (
        "GET",
        "/districts/{district}/commitments",
        Action::Read,
        Fixed(Grade::Internal),
        DISTRICT,
    ),
    (
        "GET",
        "/api/v1/districts/{district}/commitments",
        Action::Read,
        Fixed(Grade::Internal),
        DISTRICT,
    ),
    (
        "GET",
        "/supervision",
        Action::Read,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "GET",
        "/api/v1/supervision",
        Action::Read,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "GET",
        "/supervision.xlsx",
        Action::Export,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "GET",
        "/supervision.csv",
        Action::Export,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/supervision/notices",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/supervision/notices/{id}/answer",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/supervision/notices/{id}/close",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "GET",
        "/api/v1/notices",
        Action::Read,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/api/v1/notices",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/api/v1/notices/{id}/answer",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/api/v1/notices/{id}/close",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "GET",
        "/meetings",
        Action::Read,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/meetings",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "GET",
        "/meetings/{id}",
        Action::Read,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "GET",
        "/meetings/{id}/follow-up",
        Action::Read,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/meetings/{id}/minutes",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/meetings/{id}/actions/{number}/complete",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "GET",
        "/api/v1/meetings",
        Action::Read,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/api/v1/meetings",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "GET",
        "/api/v1/meetings/{id}",
        Action::Read,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/api/v1/meetings/{id}/minutes",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
    (
        "POST",
        "/api/v1/meetings/{id}/actions/{number}/complete",
        Action::Change,
        Fixed(Grade::Internal),
        OWN_PART,
    ),
];

/// The specified rule of a route: action, grade, what it is about.
fn specified(method: &Method, path: &str) -> Option<(Action, GradeOf, TargetOf)> {
    SPECIFICATION
        .iter()
        .find(|(m, p, ..)| *m == method.as_str() && *p == path)
        .map(|(_, _, action, grade, target)| (*action, *grade, *target))
}

/// The states a wave can be in, as far as grades go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WaveState {
    Draft,
    Open,
    Closed,
    Published,
}

const STATES: [WaveState; 4] = [
    WaveState::Draft,
    WaveState::Open,
    WaveState::Closed,
    WaveState::Published,
];

/// A visitor of the matrix: their role (none: not signed in) and whether their scope covers
/// the project the project routes are about (`parking`) and the district of the district
/// routes (`310104`).
#[derive(Debug, Clone)]
struct Visitor {
    label: &'static str,
    role: Option<Role>,
    covers_parking: bool,
    covers_xuhui: bool,
    /// Follows the parking project's delivery: its departments, and Xuhui, where it is
    /// delivered.
    follows_delivery: bool,
    router: Router,
}

fn by() -> Attribution {
    Attribution {
        actor: "test".into(),
        at_ms: 1,
    }
}

async fn wave_in<S: Store>(state: &AppState<S>, wanted: WaveState, name: &str) -> i64 {
    let wave = state
        .create_wave(
            NewWave {
                name: name.into(),
                period_start: None,
                period_end: None,
                quotas: Default::default(),
                config: WaveConfigTexts::defaults(),
                tokens_required: false,
                cut_points: "median".into(),
            },
            &by(),
        )
        .await
        .unwrap();
    let id = wave.id();
    if wanted != WaveState::Draft {
        state.set_status(id, WaveStatus::Open, &by()).await.unwrap();
    }
    if matches!(wanted, WaveState::Closed | WaveState::Published) {
        state
            .set_status(id, WaveStatus::Closed, &by())
            .await
            .unwrap();
    }
    if wanted == WaveState::Published {
        state
            .record_decision(&NewDecision {
                kind: DecisionKind::PublishResults,
                subject: minxin_domain::subject::Subject::Wave(id),
                decided_by: "office".into(),
                decided_by_name: "Office".into(),
                decided_at_ms: 2,
                statement: "published for the test".into(),
                supersedes: None,
            })
            .await
            .unwrap();
    }
    id
}

/// The grade the test expects a route's information to have, from the rule's kind and the
/// waves' states (written out here, not taken from the guard).
fn expected_grade(grade: GradeOf, states: &[WaveState]) -> Grade {
    let published = states.iter().all(|s| *s == WaveState::Published);
    match grade {
        GradeOf::Fixed(grade) => grade,
        GradeOf::WaveResults | GradeOf::Comparison if published => Grade::Public,
        GradeOf::WaveResults | GradeOf::Comparison => Grade::Restricted,
        GradeOf::ScopedResults if published => Grade::Public,
        GradeOf::ScopedResults => Grade::Internal,
        GradeOf::WaveRecord if published || states == [WaveState::Open] => Grade::Public,
        GradeOf::WaveRecord => Grade::Internal,
        // A wave's grade that follows the decision in force: publication is the only such
        // decision the waves of this test can have.
        // The matrix never publishes the parking project's delivery (its publication routes
        // get a body they refuse), so a grade that follows that decision is the one before.
        GradeOf::Decided(decided)
            if decided.subject == minxin_domain::subject::SubjectKind::Project =>
        {
            decided.otherwise
        }
        GradeOf::Decided(decided) => {
            assert_eq!(
                (decided.subject, decided.decided),
                (
                    minxin_domain::subject::SubjectKind::Wave,
                    DecisionKind::PublishResults
                )
            );
            if published {
                decided.when_decided
            } else {
                decided.otherwise
            }
        }
    }
}

fn expected_allowed(action: Action, target: TargetOf, visitor: &Visitor, grade: Grade) -> bool {
    if permits(Role::Public, action, grade) {
        return true;
    }
    let Some(role) = visitor.role else {
        return false;
    };
    let city_wide = matches!(
        role,
        Role::Administrator | Role::CoordinationOffice | Role::Evaluator | Role::Auditor
    );
    // The administrator reads no project's or district's unpublished figures.
    let reads_figures = matches!(
        role,
        Role::CoordinationOffice | Role::Evaluator | Role::Auditor
    );
    let covered = match target {
        TargetOf::City => city_wide,
        TargetOf::Project(_) => reads_figures || visitor.covers_parking,
        TargetOf::District(_) => reads_figures || visitor.covers_xuhui,
        TargetOf::Delivery(_) => reads_figures || visitor.follows_delivery,
        // Every role held covers its own part of the list (the handler narrows it).
        TargetOf::OwnPart => true,
    };
    permits(role, action, grade) && (grade == Grade::Public || covered)
}

/// The request a route gets in the matrix: its path with the fixture's values, and a body its
/// handler refuses when the guard lets it through (so that nothing changes but what is meant).
fn request_for(path: &str, waves: &[i64]) -> String {
    let uri = path
        .replace("{id}", &waves[0].to_string())
        .replace("{code}", "parking")
        .replace("{district}", "310104")
        .replace("{format}", "csv")
        .replace("{year}", "2021")
        .replace("{number}", "1");
    if path == "/compare" || path == "/api/v1/compare" {
        format!("{uri}?before={}&after={}", waves[0], waves[1])
    } else {
        uri
    }
}

async fn visitors<S: Store>(store: &S, router: &Router) -> Vec<Visitor> {
    let mut out = vec![Visitor {
        label: "not signed in",
        role: None,
        covers_parking: false,
        covers_xuhui: false,
        follows_delivery: false,
        router: router.clone(),
    }];
    let staff: [(&'static str, Role, &str, bool); 8] = [
        ("administrator", Role::Administrator, "", false),
        ("office", Role::CoordinationOffice, "", false),
        ("evaluator", Role::Evaluator, "", false),
        ("auditor", Role::Auditor, "", false),
        ("commerce", Role::LeadDepartment, "commerce", true),
        ("transport", Role::LeadDepartment, "transport", false),
        ("planning", Role::ParticipatingDepartment, "planning", true),
        ("xuhui", Role::DistrictOfficer, "310104", false),
    ];
    for (label, role, scope, covers_parking) in staff {
        let token = staff_token(store, label, role, scope).await;
        out.push(Visitor {
            label,
            role: Some(role),
            covers_parking,
            covers_xuhui: label == "xuhui",
            follows_delivery: covers_parking || label == "xuhui",
            router: with_bearer(router, &token),
        });
    }
    out
}

async fn organise<S: Store>(store: &S) {
    for (code, kind) in [
        ("commerce", UnitKind::Department),
        ("transport", UnitKind::Department),
        ("planning", UnitKind::Department),
        ("310104", UnitKind::District),
    ] {
        let unit = OrgUnit {
            code: code.into(),
            kind,
            name_zh: code.into(),
            name_en: code.into(),
            parent: None,
        };
        store.put_unit(&unit, &by()).await.unwrap();
    }
    for (department, project, part) in [
        ("commerce", "parking", ProjectPart::Lead),
        ("transport", "medical", ProjectPart::Lead),
        ("planning", "parking", ProjectPart::Participating),
    ] {
        let link = ProjectDepartment {
            department: department.into(),
            project: project.into(),
            part,
        };
        store.set_project_department(&link, &by()).await.unwrap();
    }
    // The register, with the parking project led and joined as above and delivered in Xuhui
    // only.
    let mut register = minxin_domain::advancement::register::Register::shanghai();
    let parking = register
        .projects
        .iter_mut()
        .find(|p| p.code == "parking")
        .unwrap();
    parking.lead_department = "commerce".into();
    parking.participants.retain(|p| p.department == "planning");
    parking.districts = vec!["310104".into()];
    store.load_register(&register, &by()).await.unwrap();
}

/// Whether the route changes something when its handler runs with the matrix's request (it
/// then gets fresh waves for each visitor, so the fixture's waves stay as they are).
fn changes_state(path: &str, method: &Method) -> bool {
    *method == Method::DELETE || path.ends_with("/open") || path.ends_with("/close")
}

#[tokio::test]
async fn every_route_is_held_to_the_permission_matrix_for_every_role_and_grade() {
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("minxin.db"))
        .await
        .unwrap();
    organise(&store).await;
    let state = start_state(&store).await;
    let router = application(state.clone());
    let visitors = visitors(&store, &router).await;
    let mut fixture = Vec::new();
    for (k, wave_state) in STATES.iter().enumerate() {
        fixture.push((
            *wave_state,
            wave_in(&state, *wave_state, &format!("fixture {k}")).await,
        ));
    }
    let published = fixture[3].1;

    let table = route_table::<SqliteStore>();
    // The specification and the table list the same routes.
    assert_eq!(
        table.len(),
        SPECIFICATION.len(),
        "every route of the table is specified, and every specified route is in the table"
    );
    let mut checked = 0;
    let mut fresh = 0;
    for entry in &table {
        let Some((action, grade_of, target)) = specified(&entry.method, entry.path) else {
            panic!(
                "{} {} has no entry in the specification of this test",
                entry.method, entry.path
            );
        };
        assert_eq!(
            (entry.rule.action, entry.rule.grade, entry.rule.target),
            (action, grade_of, target),
            "{} {}: the route table's rule differs from the specification",
            entry.method,
            entry.path
        );
        // The cases: no wave, one wave in each state, or two waves (the comparison).
        let cases: Vec<Vec<(WaveState, i64)>> = if entry.path.contains("{id}") {
            fixture.iter().map(|w| vec![*w]).collect()
        } else if grade_of == GradeOf::Comparison {
            fixture
                .iter()
                .map(|w| vec![(WaveState::Published, published), *w])
                .collect()
        } else {
            vec![vec![
                (WaveState::Published, published),
                (WaveState::Published, published),
            ]]
        };
        for case in cases {
            let states: Vec<WaveState> = case.iter().map(|(s, _)| *s).collect();
            let grade = expected_grade(grade_of, &states);
            for visitor in &visitors {
                let mut waves: Vec<i64> = case.iter().map(|(_, id)| *id).collect();
                let mut router = visitor.router.clone();
                if changes_state(entry.path, &entry.method) {
                    fresh += 1;
                    waves = vec![wave_in(&state, states[0], &format!("fresh {fresh}")).await];
                    if let (true, Some(role)) = (entry.method == Method::DELETE, visitor.role) {
                        let scope = match visitor.label {
                            "commerce" | "transport" | "planning" => visitor.label,
                            "xuhui" => "310104",
                            _ => "",
                        };
                        let token = staff_token(&store, visitor.label, role, scope).await;
                        router = with_bearer(&application(state.clone()), &token);
                    }
                }
                let uri = request_for(entry.path, &waves);
                let method = entry.method.as_str();
                let response = if entry.rule.form {
                    // A form without its CSRF token: refused by the handler, never by the guard.
                    call(
                        &router,
                        method,
                        &uri,
                        Some(("application/x-www-form-urlencoded", "x=1".into())),
                        &[],
                    )
                    .await
                } else if entry.method == Method::POST {
                    call(
                        &router,
                        method,
                        &uri,
                        Some(("application/json", "{}".into())),
                        &[],
                    )
                    .await
                } else {
                    call(&router, method, &uri, None, &[]).await
                };
                let allowed = expected_allowed(action, target, visitor, grade);
                assert_eq!(
                    response.denied,
                    !allowed,
                    "{method} {} as {} with waves {states:?} (grade {grade}): status {}, {}",
                    entry.path,
                    visitor.label,
                    response.status,
                    response.body.chars().take(200).collect::<String>()
                );
                if response.denied {
                    let expected = match (visitor.role, entry.path.starts_with("/api/")) {
                        (None, true) => StatusCode::UNAUTHORIZED,
                        (None, false) => StatusCode::SEE_OTHER,
                        (Some(_), _) => StatusCode::FORBIDDEN,
                    };
                    assert_eq!(
                        response.status, expected,
                        "{method} {uri} as {}",
                        visitor.label
                    );
                } else {
                    assert_eq!(
                        response
                            .headers
                            .get("x-information-grade")
                            .and_then(|v| v.to_str().ok()),
                        Some(grade.to_string().as_str()),
                        "{method} {uri} as {}: the answer is labelled with its grade",
                        visitor.label
                    );
                    assert_ne!(
                        response.status,
                        StatusCode::METHOD_NOT_ALLOWED,
                        "{method} {uri}: the table's method is not the handler's"
                    );
                    assert_ne!(
                        response.status,
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "{method} {uri} as {}: {}",
                        visitor.label,
                        response.body
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked} cases");
    // A path outside the table is not served: the not-found page, for everyone.
    let unknown = get(&visitors[2].router, "/admin/secret").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(!unknown.body.contains("panicked") && !unknown.body.contains("sqlx"));
}

#[tokio::test]
async fn every_form_route_refuses_a_form_without_its_token() {
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("minxin.db"))
        .await
        .unwrap();
    let state = start_state(&store).await;
    let router = application(state.clone());
    let office = as_office(&store, &router).await;
    let wave = wave_in(&state, WaveState::Closed, "forms").await;
    let forms: Vec<_> = route_table::<SqliteStore>()
        .into_iter()
        .filter(|entry| entry.rule.form)
        .collect();
    assert!(
        forms.len() >= 5,
        "sign-in, sign-out, survey, import, publication"
    );
    for entry in forms {
        let uri = request_for(entry.path, &[wave, wave]);
        for (label, visitor) in [("not signed in", &router), ("office", &office)] {
            let boundary = "forged-boundary";
            let uploads = entry.path.ends_with("/import") || entry.path.ends_with("/workbook");
            let (content_type, body) = if uploads {
                (
                    format!("multipart/form-data; boundary={boundary}"),
                    format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nforged\r\n\
                         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nx\r\n--{boundary}--\r\n"
                    ),
                )
            } else {
                (
                    "application/x-www-form-urlencoded".to_string(),
                    "csrf=forged&name=office&password=x&statement=s&action=publish".to_string(),
                )
            };
            let response = call(visitor, "POST", &uri, Some((&content_type, body)), &[]).await;
            if response.denied {
                continue;
            }
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "POST {uri} as {label} with a forged token: {}",
                response.body
            );
        }
    }
    assert!(
        state.publication(wave).is_none(),
        "nothing was decided by a forged form"
    );
}

#[test]
fn every_api_route_is_in_the_openapi_document() {
    let document = minxin_web::areas::described_api();
    for entry in route_table::<SqliteStore>() {
        let Some(path) = entry.path.strip_prefix("/api/v1") else {
            continue;
        };
        let operation = &document["paths"][format!("/api/v1{path}")]
            [entry.method.as_str().to_ascii_lowercase()];
        assert!(
            operation.is_object(),
            "{} {} is not in the OpenAPI document",
            entry.method,
            entry.path
        );
    }
}

#[tokio::test]
async fn a_grade_can_follow_the_decision_in_force_about_the_subject_in_the_path() {
    use minxin_web::app::guard::{router, DecidedGrade, RouteEntry, Rule, GRADE_HEADER};
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("m.db"))
        .await
        .unwrap();
    // The account that signs the publication.
    staff_token(&store, "office", Role::CoordinationOffice, "").await;
    let state = start_state(&store).await;
    let rule = Rule::new(
        Action::Read,
        GradeOf::Decided(DecidedGrade {
            parameter: "wave",
            subject: minxin_domain::subject::SubjectKind::Wave,
            decided: DecisionKind::PublishResults,
            when_decided: Grade::Public,
            otherwise: Grade::Internal,
        }),
    );
    let entry = RouteEntry::new(
        Method::GET,
        "/records/{wave}",
        rule,
        axum::routing::get(|| async { "the record" }),
    );
    let app: Router = router(&state, vec![entry])
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            minxin_web::app::session::identify::<SqliteStore>,
        ))
        .with_state(state.clone());
    let closed = wave_in(&state, WaveState::Closed, "closed").await;
    let published = wave_in(&state, WaveState::Published, "published").await;
    let before = get(&app, &format!("/records/{closed}")).await;
    assert_eq!(
        before.status,
        StatusCode::SEE_OTHER,
        "sign in first: {}",
        before.body
    );
    let after = get(&app, &format!("/records/{published}")).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(after.body, "the record");
    assert_eq!(after.headers.get(GRADE_HEADER).unwrap(), "public");
}

#[test]
#[should_panic(expected = "reads the path parameter {code}, which the path lacks")]
fn a_rule_reading_a_parameter_its_path_lacks_stops_the_router_being_built() {
    use minxin_web::app::guard::{router, RouteEntry, Rule};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let folder = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&folder.path().join("m.db"))
            .await
            .unwrap();
        let state = start_state(&store).await;
        let entry = RouteEntry::new(
            Method::GET,
            "/waves/{id}/projects",
            Rule::new(Action::Read, ScopedResults).about_project("code"),
            axum::routing::get(|| async { "never" }),
        );
        let _ = router(&state, vec![entry]);
    });
}
