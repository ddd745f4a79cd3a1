//! The organisation (units, departments' parts in projects) and the roles held in it; every
//! change audited in its own transaction.

use minxin_domain::access::Role;
use minxin_domain::audit::{AuditAction, NewAuditEntry};
use minxin_domain::organisation::{
    Assignment, OrgUnit, Organisation, ProjectDepartment, ProjectPart, UnitKind,
};
use minxin_domain::platform::{Attribution, OrganisationStore, StoreError};
use minxin_domain::subject::Subject;

use super::accounts::assignment_from_row;
use super::port;
use crate::{database_error, plain_text};

/// A row of `org_units`.
#[derive(sqlx::FromRow)]
struct UnitRow {
    code: String,
    kind: String,
    name_zh: String,
    name_en: String,
    parent: Option<String>,
}

impl UnitRow {
    /// The unit; `None` for a kind this version does not know.
    fn into_unit(self) -> Option<OrgUnit> {
        Some(OrgUnit {
            kind: UnitKind::from_code(&self.kind)?,
            code: self.code,
            name_zh: self.name_zh,
            name_en: self.name_en,
            parent: self.parent,
        })
    }

    /// The row as the audit trail records a unit before a change.
    fn audit_summary(&self) -> String {
        serde_json::json!({
            "code": self.code, "kind": self.kind, "name_zh": self.name_zh,
            "name_en": self.name_en, "parent": self.parent,
        })
        .to_string()
    }
}

/// A row of `project_departments`.
#[derive(sqlx::FromRow)]
struct ProjectDepartmentRow {
    department: String,
    project: String,
    part: String,
}

/// A row of `role_assignments`.
#[derive(sqlx::FromRow)]
struct AssignmentRow {
    account: String,
    role: String,
    scope: String,
}

port!(OrganisationStore {
    async fn organisation(&self) -> Result<Organisation, StoreError> {
        let units: Vec<UnitRow> = sqlx::query_as(
            "SELECT code, kind, name_zh, name_en, parent FROM org_units ORDER BY kind, code",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        let links: Vec<ProjectDepartmentRow> = sqlx::query_as(
            "SELECT department, project, part FROM project_departments ORDER BY project, department",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        let project_districts: Vec<(String, String)> = sqlx::query_as(
            "SELECT project, district FROM project_districts ORDER BY project, position",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        Ok(Organisation {
            project_districts,
            units: units.into_iter().filter_map(UnitRow::into_unit).collect(),
            project_departments: links
                .into_iter()
                .filter_map(|link| {
                    Some(ProjectDepartment {
                        part: ProjectPart::from_code(&link.part)?,
                        department: link.department,
                        project: link.project,
                    })
                })
                .collect(),
        })
    }

    async fn put_unit(&self, unit: &OrgUnit, by: &Attribution) -> Result<(), StoreError> {
        plain_text(&[
            ("code", &unit.code),
            ("name_zh", &unit.name_zh),
            ("name_en", &unit.name_en),
            ("parent", unit.parent.as_deref().unwrap_or("")),
        ])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before: Option<UnitRow> = sqlx::query_as(
            "SELECT code, kind, name_zh, name_en, parent FROM org_units WHERE code = $1",
        )
        .bind(&unit.code)
        .fetch_optional(&mut *transaction)
        .await
        .map_err(database_error)?;
        sqlx::query(
            "INSERT INTO org_units (code, kind, name_zh, name_en, parent) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en",
        )
        .bind(&unit.code)
        .bind(unit.kind.code())
        .bind(&unit.name_zh)
        .bind(&unit.name_en)
        .bind(&unit.parent)
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::UnitPut,
                &Subject::Unit(unit.code.clone()),
                before.as_ref().map(UnitRow::audit_summary),
                Some(serde_json::to_string(unit).expect("a unit serialises")),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)
    }

    async fn set_project_department(
        &self,
        link: &ProjectDepartment,
        by: &Attribution,
    ) -> Result<(), StoreError> {
        plain_text(&[("department", &link.department), ("project", &link.project)])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let before: Option<(String,)> = sqlx::query_as(
            "SELECT part FROM project_departments WHERE department = $1 AND project = $2",
        )
        .bind(&link.department)
        .bind(&link.project)
        .fetch_optional(&mut *transaction)
        .await
        .map_err(database_error)?;
        sqlx::query(
            "INSERT INTO project_departments (department, project, part) VALUES ($1, $2, $3) \
             ON CONFLICT (department, project) DO UPDATE SET part = excluded.part",
        )
        .bind(&link.department)
        .bind(&link.project)
        .bind(link.part.code())
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?;
        Self::append_audit_in(
            &mut transaction,
            NewAuditEntry::attributed(
                by,
                AuditAction::ProjectDepartmentSet,
                &Subject::ProjectDepartment {
                    project: link.project.clone(),
                    department: link.department.clone(),
                },
                before.map(|(part,)| serde_json::json!({"part": part}).to_string()),
                Some(serde_json::json!({"part": link.part.code()}).to_string()),
            ),
        )
        .await?;
        transaction.commit().await.map_err(database_error)
    }

    async fn assignments(&self) -> Result<Vec<(String, Assignment)>, StoreError> {
        let rows: Vec<AssignmentRow> = sqlx::query_as(
            "SELECT account, role, scope FROM role_assignments ORDER BY account, role, scope",
        )
        .fetch_all(&self.reader)
        .await
        .map_err(database_error)?;
        Ok(rows
            .into_iter()
            .filter_map(|row| Some((row.account, assignment_from_row(&row.role, &row.scope)?)))
            .collect())
    }

    async fn grant(
        &self,
        account: &str,
        assignment: &Assignment,
        by: &Attribution,
    ) -> Result<(), StoreError> {
        plain_text(&[("account", account), ("scope", assignment.scope.code())])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let inserted = sqlx::query(
            "INSERT INTO role_assignments (account, role, scope) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(account)
        .bind(assignment.role.to_string())
        .bind(assignment.scope.code())
        .execute(&mut *transaction)
        .await;
        let inserted = match inserted {
            Ok(done) => done.rows_affected(),
            Err(sqlx::Error::Database(error)) if error.is_foreign_key_violation() => {
                return Err(StoreError::NoSuchAccount(account.to_string()))
            }
            Err(error) => return Err(database_error(error)),
        };
        if inserted > 0 {
            Self::append_audit_in(
                &mut transaction,
                NewAuditEntry::attributed(
                    by,
                    AuditAction::RoleGrant,
                    &Subject::Account(account.to_string()),
                    None,
                    Some(assignment_summary(assignment)),
                ),
            )
            .await?;
        }
        transaction.commit().await.map_err(database_error)
    }

    async fn revoke(
        &self,
        account: &str,
        assignment: &Assignment,
        by: &Attribution,
    ) -> Result<bool, StoreError> {
        plain_text(&[("account", account), ("scope", assignment.scope.code())])?;
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let removed = sqlx::query(
            "DELETE FROM role_assignments WHERE account = $1 AND role = $2 AND scope = $3",
        )
        .bind(account)
        .bind(assignment.role.to_string())
        .bind(assignment.scope.code())
        .execute(&mut *transaction)
        .await
        .map_err(database_error)?
        .rows_affected();
        if removed > 0 {
            if assignment.role == Role::Administrator {
                Self::keep_an_administrator(&mut transaction).await?;
            }
            // Sessions carry the roles they began with: end them.
            Self::end_sessions_in(&mut transaction, account, by.at_ms).await?;
            Self::append_audit_in(
                &mut transaction,
                NewAuditEntry::attributed(
                    by,
                    AuditAction::RoleRevoke,
                    &Subject::Account(account.to_string()),
                    Some(assignment_summary(assignment)),
                    None,
                ),
            )
            .await?;
        }
        transaction.commit().await.map_err(database_error)?;
        Ok(removed > 0)
    }
});

/// A role assignment as the audit trail records it.
fn assignment_summary(assignment: &Assignment) -> String {
    serde_json::json!({"role": assignment.role, "scope": assignment.scope.to_string()}).to_string()
}
