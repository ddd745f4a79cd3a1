//! The project register in JSON: the list, one project with the citizens' evaluation of it
//! in every wave the reader may see, and loading a whole register (TOML or XLSX, all or
//! nothing, every problem by field or by sheet, row and column).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::Json;
use minxin_domain::advancement::register::{
    Register, RegisterContext, RegisterLoad, RegisteredProject,
};
use minxin_domain::advancement::register_sheets::register_from_sheets;
use minxin_domain::organisation::UnitKind;
use minxin_domain::platform::Store;
use minxin_domain::Configuration;
use minxin_interchange::{read_sheets, InputFormat};
use serde::Serialize;

use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;
use crate::areas::results::analysis::{project_trend, TrendEntry};

/// A department as a project names it: its code and its names.
#[derive(Debug, Clone, Serialize)]
pub struct NamedDepartment {
    /// The unit code.
    pub code: String,
    /// The Chinese name.
    pub name_zh: String,
    /// The English name.
    pub name_en: String,
    /// Its duty in the project (empty for the lead department).
    pub duty_zh: String,
    /// Its duty, in English.
    pub duty_en: String,
}

/// A district as a project names it.
#[derive(Debug, Clone, Serialize)]
pub struct NamedDistrict {
    /// The district's code.
    pub code: String,
    /// The Chinese name.
    pub name_zh: String,
    /// The English name.
    pub name_en: String,
}

/// A registered project with its departments and districts named.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectEntry {
    /// The register's entry as stored.
    #[serde(flatten)]
    pub project: RegisteredProject,
    /// The lead department, named.
    pub lead: NamedDepartment,
    /// The participating departments, named, with their duties.
    pub participating: Vec<NamedDepartment>,
    /// The districts, named.
    pub districts_named: Vec<NamedDistrict>,
}

/// One project with the citizens' evaluation of it.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectDetail {
    /// The project.
    #[serde(flatten)]
    pub entry: ProjectEntry,
    /// The project in every wave that includes it whose figures the reader may see.
    pub evaluation: Vec<TrendEntry>,
}

/// The register's projects with their names resolved, in the city's order.
pub fn entries(register: &Register) -> Vec<ProjectEntry> {
    let configuration = Configuration::defaults();
    register
        .projects
        .iter()
        .map(|project| entry(register, project, &configuration))
        .collect()
}

/// One project of `register` with its departments' and districts' names resolved.
fn entry(
    register: &Register,
    project: &RegisteredProject,
    configuration: &Configuration,
) -> ProjectEntry {
    let department = |code: &str, duty_zh: &str, duty_en: &str| {
        let named = register.department(code);
        NamedDepartment {
            code: code.to_string(),
            name_zh: named.map_or(code, |d| d.zh.as_str()).to_string(),
            name_en: named.map_or(code, |d| d.en.as_str()).to_string(),
            duty_zh: duty_zh.to_string(),
            duty_en: duty_en.to_string(),
        }
    };
    ProjectEntry {
        lead: department(&project.lead_department, "", ""),
        participating: project
            .participants
            .iter()
            .map(|p| department(&p.department, &p.duty_zh, &p.duty_en))
            .collect(),
        districts_named: project
            .districts
            .iter()
            .map(|code| {
                let named = configuration
                    .districts
                    .entries()
                    .iter()
                    .find(|d| &d.code == code);
                NamedDistrict {
                    code: code.clone(),
                    name_zh: named.map_or(code, |d| &d.zh).clone(),
                    name_en: named.map_or(code, |d| &d.en).clone(),
                }
            })
            .collect(),
        project: project.clone(),
    }
}

/// The project `code` with the evaluation `visitor` may see, or not found.
pub async fn project_detail<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    code: &str,
) -> Result<ProjectDetail, ApiError> {
    let register = state.register();
    let entry = register
        .project(code)
        .map(|project| entry(&register, project, &Configuration::defaults()))
        .ok_or_else(|| {
            ApiError::not_found(
                "项目库中没有这个项目。",
                format!("the register has no project {code:?}"),
            )
        })?;
    Ok(ProjectDetail {
        evaluation: project_trend(state, visitor, code, None),
        entry,
    })
}

pub(super) async fn projects_api<S: Store>(
    State(state): State<AppState<S>>,
) -> Result<Json<Vec<ProjectEntry>>, ApiError> {
    Ok(Json(entries(&state.register())))
}

pub(super) async fn project_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Json<ProjectDetail>, ApiError> {
    Ok(Json(project_detail(&state, &visitor, &code).await?))
}

/// Reads a register from an uploaded file (an XLSX workbook, recognised by its first bytes,
/// or TOML text), checked against the city's districts and its departments.
pub async fn register_from_upload<S: Store>(
    state: &AppState<S>,
    bytes: Vec<u8>,
) -> Result<Register, ApiError> {
    let configuration = Configuration::defaults();
    let departments: Vec<String> = state
        .organisation()
        .units
        .iter()
        .filter(|u| u.kind == UnitKind::Department)
        .map(|u| u.code.clone())
        .collect();
    let context = RegisterContext {
        districts: configuration.districts.entries(),
        departments: &departments,
    };
    let read = match InputFormat::sniff(&bytes) {
        InputFormat::Xlsx => {
            let sheets = read_sheets(bytes)
                .map_err(|e| ApiError::invalid("file", "无法读取上传的工作簿。", e.to_string()))?;
            register_from_sheets(&sheets, context)
        }
        InputFormat::Csv => {
            let text = String::from_utf8(bytes).map_err(|_| {
                ApiError::invalid(
                    "file",
                    "上传的文件既不是 XLSX 工作簿，也不是 UTF-8 编码的 TOML 文本。",
                    "the file is neither an XLSX workbook nor UTF-8 TOML text",
                )
            })?;
            Register::from_toml(&text, context)
        }
    };
    read.map_err(|problems| ApiError::Invalid { problems })
}

/// Loads `bytes` as the register, attributed to `visitor`, and serves the new organisation.
pub async fn load_register<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    bytes: Vec<u8>,
) -> Result<RegisterLoad, ApiError> {
    let by = visitor.require_attribution()?;
    let register = register_from_upload(state, bytes).await?;
    let load = state.store.load_register(&register, &by).await?;
    state.reload_register().await?;
    Ok(load)
}

pub(super) async fn register_api<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    body: Bytes,
) -> Result<Json<RegisterLoad>, ApiError> {
    Ok(Json(load_register(&state, &visitor, body.to_vec()).await?))
}
