//! The project register: projects in the city's order with their leader and steering body,
//! the departments' parts with their duties (in `project_departments`), and the districts each
//! project is delivered in. A register is loaded whole in one transaction, each project that
//! changes audited with its entry before and after.

use std::collections::BTreeMap;

use minxin_domain::advancement::register::{
    Participant, Register, RegisterDepartment, RegisterLoad, RegisteredProject, Steering,
};
use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::organisation::{OrgUnit, UnitKind};
use minxin_domain::platform::{Attribution, RegisterStore, StoreError};
use minxin_domain::subject::Subject;

use super::{on_each_backend, port, WriteTransaction};
use crate::{database_error, plain_text};

/// A row of `projects`.
#[derive(sqlx::FromRow)]
struct ProjectRow {
    code: String,
    name_zh: String,
    name_en: String,
    summary_zh: String,
    summary_en: String,
    description_zh: String,
    description_en: String,
    leader_zh: String,
    leader_en: String,
    steering: String,
    steering_zh: String,
    steering_en: String,
    start_year: i64,
}

/// A department's part in a project, as the register reads it.
#[derive(sqlx::FromRow)]
struct PartRow {
    project: String,
    department: String,
    part: String,
    duty_zh: String,
    duty_en: String,
}

/// A unit that may be a department.
#[derive(sqlx::FromRow)]
struct DepartmentRow {
    code: String,
    kind: String,
    name_zh: String,
    name_en: String,
}

port!(RegisterStore {
    async fn register(&self) -> Result<Register, StoreError> {
        let mut transaction = self.reader.begin().await.map_err(database_error)?;
        let register = Self::register_in(&mut transaction).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(register)
    }

    async fn load_register(
        &self,
        register: &Register,
        by: &Attribution,
    ) -> Result<RegisterLoad, StoreError> {
        check_texts(register)?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let stored = Self::register_in(&mut transaction).await?;
        let units: Vec<DepartmentRow> =
            sqlx::query_as("SELECT code, kind, name_zh, name_en FROM org_units")
                .fetch_all(&mut *transaction)
                .await
                .map_err(database_error)?;
        let units: BTreeMap<String, DepartmentRow> =
            units.into_iter().map(|u| (u.code.clone(), u)).collect();
        for department in &register.departments {
            match units.get(&department.code) {
                Some(unit) if unit.kind != UnitKind::Department.code() => {
                    return Err(StoreError::Refused(format!(
                        "the register's department {:?} is a {} of the organisation, not a department",
                        department.code, unit.kind
                    )));
                }
                Some(unit) if unit.name_zh == department.zh && unit.name_en == department.en => {}
                before => {
                    let unit = OrgUnit {
                        code: department.code.clone(),
                        kind: UnitKind::Department,
                        name_zh: department.zh.clone(),
                        name_en: department.en.clone(),
                        parent: None,
                    };
                    sqlx::query(
                        "INSERT INTO org_units (code, kind, name_zh, name_en, parent) VALUES ($1, $2, $3, $4, NULL) \
                         ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en",
                    )
                    .bind(&unit.code)
                    .bind(unit.kind.code())
                    .bind(&unit.name_zh)
                    .bind(&unit.name_en)
                    .execute(&mut *transaction)
                    .await
                    .map_err(database_error)?;
                    let before = before.map(|b| {
                        serde_json::json!({"code": b.code, "kind": b.kind, "name_zh": b.name_zh, "name_en": b.name_en})
                            .to_string()
                    });
                    Self::append_audit_in(
                        &mut transaction,
                        NewAuditEntry::attributed(
                            by,
                            AuditAction::UnitPut,
                            &Subject::Unit(unit.code.clone()),
                            before,
                            Some(serde_json::to_string(&unit).expect("a unit serialises")),
                        ),
                    )
                    .await?;
                }
            }
        }
        let is_department = |code: &str| {
            register.departments.iter().any(|d| d.code == code)
                || units
                    .get(code)
                    .is_some_and(|u| u.kind == UnitKind::Department.code())
        };
        let positions: Vec<(String, i64)> = sqlx::query_as("SELECT code, position FROM projects")
            .fetch_all(&mut *transaction)
            .await
            .map_err(database_error)?;
        let positions: BTreeMap<String, i64> = positions.into_iter().collect();
        // A whole register sets the order; a part of one keeps the order of the projects it
        // does not list, and its new projects follow them.
        let whole = stored
            .projects
            .iter()
            .all(|p| register.project(&p.code).is_some());
        let mut next = positions.values().max().map_or(0, |last| last + 1);
        let mut load = RegisterLoad::default();
        for (index, project) in register.projects.iter().enumerate() {
            let was = positions.get(&project.code).copied();
            let position = match was {
                _ if whole => index as i64,
                Some(position) => position,
                None => {
                    next += 1;
                    next - 1
                }
            };
            let named = std::iter::once(project.lead_department.as_str())
                .chain(project.participants.iter().map(|p| p.department.as_str()));
            for department in named {
                if !is_department(department) {
                    return Err(StoreError::Refused(format!(
                        "project {:?} names {department:?}, which is not a department of the organisation",
                        project.code
                    )));
                }
            }
            let before = stored.project(&project.code);
            if before == Some(project) && was == Some(position) {
                load.unchanged.push(project.code.clone());
            } else {
                Self::put_project_in(&mut transaction, project, position).await?;
                Self::append_audit_in(
                    &mut transaction,
                    NewAuditEntry::attributed(
                        by,
                        AuditAction::ProjectRegister,
                        &Subject::Project(project.code.clone()),
                        before.zip(was).map(|(b, at)| audit_record(b, at)),
                        Some(audit_record(project, position)),
                    ),
                )
                .await?;
                match before {
                    Some(_) => load.changed.push(project.code.clone()),
                    None => load.added.push(project.code.clone()),
                }
            }
        }
        load.kept = stored
            .projects
            .iter()
            .filter(|p| register.project(&p.code).is_none())
            .map(|p| p.code.clone())
            .collect();
        transaction.commit().await.map_err(database_error)?;
        Ok(load)
    }
});

on_each_backend! {
    /// The register as stored, read inside `transaction`.
    async fn register_in(transaction: &mut WriteTransaction<Self>) -> Result<Register, StoreError> {
        let departments: Vec<DepartmentRow> = sqlx::query_as(
            "SELECT code, kind, name_zh, name_en FROM org_units WHERE kind = $1 ORDER BY code",
        )
        .bind(UnitKind::Department.code())
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let rows: Vec<ProjectRow> = sqlx::query_as(
            "SELECT code, name_zh, name_en, summary_zh, summary_en, description_zh, description_en, \
             leader_zh, leader_en, steering, steering_zh, steering_en, start_year \
             FROM projects ORDER BY position, code",
        )
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let parts: Vec<PartRow> = sqlx::query_as(
            "SELECT project, department, part, duty_zh, duty_en FROM project_departments \
             ORDER BY project, position, department",
        )
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let districts: Vec<(String, String)> = sqlx::query_as(
            "SELECT project, district FROM project_districts ORDER BY project, position",
        )
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let mut projects: Vec<RegisteredProject> = rows
            .into_iter()
            .filter_map(|row| {
                Some(RegisteredProject {
                    steering: Steering::from_code(&row.steering)?,
                    code: row.code,
                    name_zh: row.name_zh,
                    name_en: row.name_en,
                    summary_zh: row.summary_zh,
                    summary_en: row.summary_en,
                    description_zh: row.description_zh,
                    description_en: row.description_en,
                    leader_zh: row.leader_zh,
                    leader_en: row.leader_en,
                    steering_zh: row.steering_zh,
                    steering_en: row.steering_en,
                    lead_department: String::new(),
                    participants: Vec::new(),
                    districts: Vec::new(),
                    start_year: i32::try_from(row.start_year).unwrap_or_default(),
                })
            })
            .collect();
        let position: BTreeMap<String, usize> = projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.code.clone(), i))
            .collect();
        for part in parts {
            let Some(&i) = position.get(&part.project) else { continue };
            if part.part == "lead" {
                projects[i].lead_department = part.department;
            } else {
                projects[i].participants.push(Participant {
                    department: part.department,
                    duty_zh: part.duty_zh,
                    duty_en: part.duty_en,
                });
            }
        }
        for (project, district) in districts {
            if let Some(&i) = position.get(&project) {
                projects[i].districts.push(district);
            }
        }
        Ok(Register {
            departments: departments
                .into_iter()
                .map(|d| RegisterDepartment {
                    code: d.code,
                    zh: d.name_zh,
                    en: d.name_en,
                })
                .collect(),
            projects,
        })
    }

    /// Writes `project` at `position` of the register, replacing its departments' parts and
    /// its districts, inside `transaction`.
    async fn put_project_in(
        transaction: &mut WriteTransaction<Self>,
        project: &RegisteredProject,
        position: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO projects (code, position, name_zh, name_en, summary_zh, summary_en, \
             description_zh, description_en, leader_zh, leader_en, steering, steering_zh, steering_en, start_year) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (code) DO UPDATE SET position = excluded.position, name_zh = excluded.name_zh, \
             name_en = excluded.name_en, summary_zh = excluded.summary_zh, summary_en = excluded.summary_en, \
             description_zh = excluded.description_zh, description_en = excluded.description_en, \
             leader_zh = excluded.leader_zh, leader_en = excluded.leader_en, steering = excluded.steering, \
             steering_zh = excluded.steering_zh, steering_en = excluded.steering_en, start_year = excluded.start_year",
        )
        .bind(&project.code)
        .bind(position)
        .bind(&project.name_zh)
        .bind(&project.name_en)
        .bind(&project.summary_zh)
        .bind(&project.summary_en)
        .bind(&project.description_zh)
        .bind(&project.description_en)
        .bind(&project.leader_zh)
        .bind(&project.leader_en)
        .bind(project.steering.code())
        .bind(&project.steering_zh)
        .bind(&project.steering_en)
        .bind(i64::from(project.start_year))
        .execute(&mut **transaction)
        .await
        .map_err(database_error)?;
        for table in ["project_departments", "project_districts"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE project = $1"))
                .bind(&project.code)
                .execute(&mut **transaction)
                .await
                .map_err(database_error)?;
        }
        let lead = Participant {
            department: project.lead_department.clone(),
            duty_zh: String::new(),
            duty_en: String::new(),
        };
        let parts = std::iter::once(("lead", &lead))
            .chain(project.participants.iter().map(|p| ("participating", p)));
        for (position, (part, participant)) in parts.enumerate() {
            sqlx::query(
                "INSERT INTO project_departments (department, project, part, duty_zh, duty_en, position) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&participant.department)
            .bind(&project.code)
            .bind(part)
            .bind(&participant.duty_zh)
            .bind(&participant.duty_en)
            .bind(position as i64)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        }
        for (position, district) in project.districts.iter().enumerate() {
            sqlx::query(
                "INSERT INTO project_districts (project, district, position) VALUES ($1, $2, $3)",
            )
            .bind(&project.code)
            .bind(district)
            .bind(position as i64)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        }
        Ok(())
    }
}

/// A project's entry as the audit trail records it: the entry and its place in the register.
fn audit_record(project: &RegisteredProject, position: i64) -> String {
    let mut value = serde_json::to_value(project).expect("a project serialises");
    value["position"] = position.into();
    value.to_string()
}

/// Refuses a register holding a NUL character in any text, naming the field.
fn check_texts(register: &Register) -> Result<(), StoreError> {
    for department in &register.departments {
        plain_text(&[
            ("department.code", &department.code),
            ("department.zh", &department.zh),
            ("department.en", &department.en),
        ])?;
    }
    for project in &register.projects {
        plain_text(&[
            ("project.code", &project.code),
            ("project.name_zh", &project.name_zh),
            ("project.name_en", &project.name_en),
            ("project.summary_zh", &project.summary_zh),
            ("project.summary_en", &project.summary_en),
            ("project.description_zh", &project.description_zh),
            ("project.description_en", &project.description_en),
            ("project.leader_zh", &project.leader_zh),
            ("project.leader_en", &project.leader_en),
            ("project.steering_zh", &project.steering_zh),
            ("project.steering_en", &project.steering_en),
            ("project.lead_department", &project.lead_department),
        ])?;
        for participant in &project.participants {
            plain_text(&[
                ("participant.department", &participant.department),
                ("participant.duty_zh", &participant.duty_zh),
                ("participant.duty_en", &participant.duty_en),
            ])?;
        }
        for district in &project.districts {
            plain_text(&[("project.districts", district)])?;
        }
    }
    Ok(())
}
