//! The SQL both backends share (one macro instantiated per backend), and the choice of
//! backend from a URL.

use std::fmt;

use minxin_domain::audit::{AuditEntry, AuditHead, NewAuditEntry};
use minxin_domain::decision::{Decision, NewDecision};
use minxin_domain::organisation::{Assignment, OrgUnit, Organisation, ProjectDepartment};
use minxin_domain::platform::{
    Account, Attribution, NewWave, ResponseCursor, ResponsePage, Session, Store, StoreError,
    StoredResponse, SubmitOutcome, WaveRecord, WaveStatus,
};

use crate::{PostgresStore, SqliteStore};

/// Implements [`Store`] for a backend type with fields `reader` and `writer` (pools). The
/// SQL of waves is standard enough to serve SQLite and PostgreSQL alike (`$n` placeholders,
/// `RETURNING`); storing and paging responses differ (each backend has its own way of finding
/// a respondent's earlier response), so the type provides them as inherent methods
/// `store_batch`, `prepare_to_store` and `page_of_responses`.
macro_rules! impl_store {
    ($store:ty, $db:ty) => {
        impl minxin_domain::platform::Store for $store {
            async fn create_wave(
                &self,
                wave: &minxin_domain::platform::NewWave,
                by: &minxin_domain::platform::Attribution,
            ) -> Result<minxin_domain::platform::WaveRecord, minxin_domain::platform::StoreError> {
                $crate::plain_text(&[
                    ("name", &wave.name),
                    ("period_start", wave.period_start.as_deref().unwrap_or("")),
                    ("period_end", wave.period_end.as_deref().unwrap_or("")),
                    ("cut_points", &wave.cut_points),
                    ("config", &wave.config.instrument),
                    ("config", &wave.config.catalogue),
                    ("config", &wave.config.districts),
                    ("config", &wave.config.profile),
                ])?;
                let quotas = serde_json::to_string(&wave.quotas).expect("quotas serialise");
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let result = sqlx::query_as::<_, $crate::WaveRow>(&format!(
                    "INSERT INTO waves (name, status, period_start, period_end, quotas, instrument, catalogue, \
                     districts, profile, tokens_required, cut_points, created_at_ms) \
                     VALUES ($1, 'draft', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     RETURNING {}",
                    $crate::WAVE_COLUMNS
                ))
                .bind(&wave.name)
                .bind(&wave.period_start)
                .bind(&wave.period_end)
                .bind(quotas)
                .bind(&wave.config.instrument)
                .bind(&wave.config.catalogue)
                .bind(&wave.config.districts)
                .bind(&wave.config.profile)
                .bind(wave.tokens_required)
                .bind(&wave.cut_points)
                .bind(by.at_ms)
                .fetch_one(&mut *transaction)
                .await;
                let record = match result {
                    Ok(row) => $crate::wave_from_row(row)?,
                    Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                        return Err(minxin_domain::platform::StoreError::DuplicateWaveName(wave.name.clone()))
                    }
                    Err(error) => return Err($crate::database_error(error)),
                };
                Self::append_audit_in(
                    &mut transaction,
                    minxin_domain::audit::NewAuditEntry::attributed(
                        by,
                        "wave.create",
                        format!("wave/{}", record.id),
                        None,
                        Some($crate::wave_summary(&record)),
                    ),
                )
                .await?;
                transaction.commit().await.map_err($crate::database_error)?;
                Ok(record)
            }

            async fn waves(&self) -> Result<Vec<minxin_domain::platform::WaveRecord>, minxin_domain::platform::StoreError> {
                let rows = sqlx::query_as::<_, $crate::WaveRow>(&format!(
                    "SELECT {} FROM waves ORDER BY id DESC",
                    $crate::WAVE_COLUMNS
                ))
                .fetch_all(&self.reader)
                .await
                .map_err($crate::database_error)?;
                rows.into_iter().map($crate::wave_from_row).collect()
            }

            async fn wave(&self, id: i64) -> Result<minxin_domain::platform::WaveRecord, minxin_domain::platform::StoreError> {
                let row = sqlx::query_as::<_, $crate::WaveRow>(&format!(
                    "SELECT {} FROM waves WHERE id = $1",
                    $crate::WAVE_COLUMNS
                ))
                .bind(id)
                .fetch_optional(&self.reader)
                .await
                .map_err($crate::database_error)?;
                row.map($crate::wave_from_row)
                    .unwrap_or(Err(minxin_domain::platform::StoreError::NoSuchWave(id)))
            }

            async fn set_wave_status(
                &self,
                id: i64,
                status: minxin_domain::platform::WaveStatus,
                by: &minxin_domain::platform::Attribution,
            ) -> Result<minxin_domain::platform::WaveRecord, minxin_domain::platform::StoreError> {
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let before: Option<(String,)> = sqlx::query_as("SELECT status FROM waves WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *transaction)
                    .await
                    .map_err($crate::database_error)?;
                let Some((before,)) = before else {
                    return Err(minxin_domain::platform::StoreError::NoSuchWave(id));
                };
                let row = sqlx::query_as::<_, $crate::WaveRow>(&format!(
                    "UPDATE waves SET status = $1 WHERE id = $2 RETURNING {}",
                    $crate::WAVE_COLUMNS
                ))
                .bind(status.code())
                .bind(id)
                .fetch_one(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                let record = $crate::wave_from_row(row)?;
                Self::append_audit_in(
                    &mut transaction,
                    minxin_domain::audit::NewAuditEntry::attributed(
                        by,
                        match status {
                            minxin_domain::platform::WaveStatus::Open => "wave.open",
                            minxin_domain::platform::WaveStatus::Closed => "wave.close",
                            minxin_domain::platform::WaveStatus::Draft => "wave.draft",
                        },
                        format!("wave/{id}"),
                        Some(serde_json::json!({"status": before}).to_string()),
                        Some(serde_json::json!({"status": status.code()}).to_string()),
                    ),
                )
                .await?;
                transaction.commit().await.map_err($crate::database_error)?;
                Ok(record)
            }

            async fn submit_batch(
                &self,
                wave: i64,
                responses: &[minxin_domain::platform::StoredResponse],
            ) -> Result<Vec<minxin_domain::platform::SubmitOutcome>, minxin_domain::platform::StoreError> {
                self.store_batch(wave, responses).await
            }

            async fn create_account(
                &self,
                account: &minxin_domain::platform::Account,
                by: &minxin_domain::platform::Attribution,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                $crate::plain_text(&[
                    ("name", &account.name),
                    ("display_name", &account.display_name),
                ])?;
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let result = sqlx::query(
                    "INSERT INTO accounts (name, display_name, password_hash, disabled, created_at_ms) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&account.name)
                .bind(&account.display_name)
                .bind(&account.password_hash)
                .bind(account.disabled)
                .bind(account.created_at_ms)
                .execute(&mut *transaction)
                .await;
                match result {
                    Ok(_) => {}
                    Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                        return Err(minxin_domain::platform::StoreError::DuplicateAccount(
                            account.name.clone(),
                        ))
                    }
                    Err(error) => return Err($crate::database_error(error)),
                }
                Self::append_audit_in(
                    &mut transaction,
                    minxin_domain::audit::NewAuditEntry::attributed(
                        by,
                        "account.create",
                        format!("account/{}", account.name),
                        None,
                        Some(account.audit_summary()),
                    ),
                )
                .await?;
                transaction.commit().await.map_err($crate::database_error)
            }

            async fn count_accounts(&self) -> Result<u64, minxin_domain::platform::StoreError> {
                let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
                    .fetch_one(&self.writer)
                    .await
                    .map_err($crate::database_error)?;
                Ok(u64::try_from(count).unwrap_or(0))
            }

            async fn account(
                &self,
                name: &str,
            ) -> Result<Option<minxin_domain::platform::Account>, minxin_domain::platform::StoreError> {
                if $crate::holds_nul(name) {
                    return Ok(None);
                }
                let row: Option<$crate::AccountRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM accounts WHERE name = $1",
                    $crate::ACCOUNT_COLUMNS
                ))
                .bind(name)
                .fetch_optional(&self.writer)
                .await
                .map_err($crate::database_error)?;
                Ok(row.map($crate::account_from_row))
            }

            async fn update_account(
                &self,
                name: &str,
                password_hash: &str,
                disabled: bool,
                by: &minxin_domain::platform::Attribution,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                $crate::plain_text(&[("name", name)])?;
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let before: Option<$crate::AccountRow> = sqlx::query_as(&format!(
                    "SELECT {} FROM accounts WHERE name = $1",
                    $crate::ACCOUNT_COLUMNS
                ))
                .bind(name)
                .fetch_optional(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                let Some(before) = before.map($crate::account_from_row) else {
                    return Err(minxin_domain::platform::StoreError::NoSuchAccount(name.to_string()));
                };
                sqlx::query("UPDATE accounts SET password_hash = $1, disabled = $2 WHERE name = $3")
                    .bind(password_hash)
                    .bind(disabled)
                    .bind(name)
                    .execute(&mut *transaction)
                    .await
                    .map_err($crate::database_error)?;
                if disabled && !before.disabled {
                    let (administrator,): (i64,) = sqlx::query_as(
                        "SELECT COUNT(*) FROM role_assignments WHERE account = $1 AND role = 'administrator'",
                    )
                    .bind(name)
                    .fetch_one(&mut *transaction)
                    .await
                    .map_err($crate::database_error)?;
                    if administrator > 0 {
                        Self::keep_an_administrator(&mut transaction).await?;
                    }
                }
                if disabled || before.password_hash != password_hash {
                    // A disabled or reset account keeps no session: a stolen token dies with it.
                    Self::end_sessions_in(&mut transaction, name, by.at_ms).await?;
                }
                let after = minxin_domain::platform::Account {
                    password_hash: password_hash.to_string(),
                    disabled,
                    ..before.clone()
                };
                let action = if disabled {
                    "account.disable"
                } else if before.password_hash != password_hash {
                    "account.reset"
                } else {
                    "account.enable"
                };
                Self::append_audit_in(
                    &mut transaction,
                    minxin_domain::audit::NewAuditEntry::attributed(
                        by,
                        action,
                        format!("account/{name}"),
                        Some(before.audit_summary()),
                        Some(after.audit_summary()),
                    ),
                )
                .await?;
                transaction.commit().await.map_err($crate::database_error)
            }

            async fn append_audit(
                &self,
                change: minxin_domain::audit::NewAuditEntry,
            ) -> Result<minxin_domain::audit::AuditEntry, minxin_domain::platform::StoreError> {
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let entry = Self::append_audit_in(&mut transaction, change).await?;
                transaction.commit().await.map_err($crate::database_error)?;
                Ok(entry)
            }

            async fn audit_log(
                &self,
            ) -> Result<
                (Vec<minxin_domain::audit::AuditEntry>, Option<minxin_domain::audit::AuditHead>),
                minxin_domain::platform::StoreError,
            > {
                use minxin_domain::audit::{hash_from_bytes, AuditEntry, NewAuditEntry};
                type Row = (i64, i64, String, String, String, Option<String>, Option<String>, Vec<u8>, Vec<u8>);
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT sequence, at_ms, actor, action, subject, before_value, after_value, \
                     previous_hash, hash FROM audit_log ORDER BY sequence",
                )
                .fetch_all(&self.reader)
                .await
                .map_err($crate::database_error)?;
                let entries = rows
                    .into_iter()
                    .map(|(sequence, at_ms, actor, action, subject, before, after, previous, hash)| AuditEntry {
                        sequence: u64::try_from(sequence).unwrap_or(0),
                        change: NewAuditEntry { at_ms, actor, action, subject, before, after },
                        previous_hash: hash_from_bytes(&previous),
                        hash: hash_from_bytes(&hash),
                    })
                    .collect();
                let head = minxin_domain::platform::Store::audit_head(self).await?;
                Ok((entries, head))
            }

            async fn record_sign_in(
                &self,
                name: &str,
                failed_sign_ins: u32,
                locked_until_ms: i64,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                if $crate::holds_nul(name) {
                    return Ok(());
                }
                sqlx::query("UPDATE accounts SET failed_sign_ins = $1, locked_until_ms = $2 WHERE name = $3")
                    .bind(i64::from(failed_sign_ins))
                    .bind(locked_until_ms)
                    .bind(name)
                    .execute(&self.writer)
                    .await
                    .map_err($crate::database_error)?;
                Ok(())
            }

            async fn record_failed_sign_in(
                &self,
                name: &str,
                now_ms: i64,
            ) -> Result<Option<(u32, i64)>, minxin_domain::platform::StoreError> {
                if $crate::holds_nul(name) {
                    return Ok(None);
                }
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let counted: Option<(i64,)> = sqlx::query_as(
                    "UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1 WHERE name = $1 \
                     RETURNING CAST(failed_sign_ins AS BIGINT)",
                )
                .bind(name)
                .fetch_optional(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                let Some((failures,)) = counted else {
                    return Ok(None);
                };
                let failures = u32::try_from(failures).unwrap_or(u32::MAX);
                let delay = minxin_domain::platform::sign_in_delay_ms(failures);
                let until = if delay > 0 { now_ms + delay } else { 0 };
                // A wait in force is never shortened by a parallel failure counted earlier.
                let (until,): (i64,) = sqlx::query_as(
                    "UPDATE accounts SET locked_until_ms = \
                     CASE WHEN locked_until_ms > $1 THEN locked_until_ms ELSE $1 END \
                     WHERE name = $2 RETURNING locked_until_ms",
                )
                .bind(until)
                .bind(name)
                .fetch_one(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                if failures == minxin_domain::platform::SIGN_IN_DELAY_AFTER {
                    Self::append_audit_in(
                        &mut transaction,
                        minxin_domain::audit::NewAuditEntry {
                            at_ms: now_ms,
                            actor: "system:sign-in".into(),
                            action: "account.lock".into(),
                            subject: format!("account/{name}"),
                            before: None,
                            after: Some(
                                serde_json::json!({"locked_until_ms": until, "failed_sign_ins": failures})
                                    .to_string(),
                            ),
                        },
                    )
                    .await?;
                }
                transaction.commit().await.map_err($crate::database_error)?;
                Ok(Some((failures, until)))
            }

            async fn create_session(
                &self,
                session: &minxin_domain::platform::Session,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                sqlx::query(
                    "INSERT INTO sessions (token_hash, account, created_at_ms, expires_at_ms) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(&session.token_hash)
                .bind(&session.account)
                .bind(session.created_at_ms)
                .bind(session.expires_at_ms)
                .execute(&self.writer)
                .await
                .map_err($crate::database_error)?;
                // Sessions are kept a while after they end, as a record of who was signed in
                // when; beyond that they are dropped as new ones begin.
                sqlx::query("DELETE FROM sessions WHERE expires_at_ms < $1")
                    .bind(session.created_at_ms - $crate::SESSIONS_KEPT_MS)
                    .execute(&self.writer)
                    .await
                    .map_err($crate::database_error)?;
                Ok(())
            }

            async fn session(
                &self,
                token_hash: &[u8],
                now_ms: i64,
            ) -> Result<
                Option<(
                    minxin_domain::platform::Session,
                    minxin_domain::platform::Account,
                    Vec<minxin_domain::organisation::Assignment>,
                )>,
                minxin_domain::platform::StoreError,
            > {
                // One query (a request of a signed-in user waits for it): the session, its
                // account and one row per role held (none: a row with NULL role).
                type Row = (i64, i64, String, String, String, bool, i64, i32, i64, Option<String>, Option<String>);
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT s.created_at_ms, s.expires_at_ms, a.name, a.display_name, a.password_hash, \
                     a.disabled, a.created_at_ms, a.failed_sign_ins, a.locked_until_ms, r.role, r.scope \
                     FROM sessions s JOIN accounts a ON a.name = s.account \
                     LEFT JOIN role_assignments r ON r.account = a.name \
                     WHERE s.token_hash = $1 AND s.ended_at_ms IS NULL AND s.expires_at_ms > $2 \
                     AND a.disabled = $3 ORDER BY r.role, r.scope",
                )
                .bind(token_hash)
                .bind(now_ms)
                .bind(false)
                .fetch_all(&self.reader)
                .await
                .map_err($crate::database_error)?;
                let Some(first) = rows.first() else {
                    return Ok(None);
                };
                let (created_at_ms, expires_at_ms) = (first.0, first.1);
                let account = $crate::account_from_row((
                    first.2.clone(),
                    first.3.clone(),
                    first.4.clone(),
                    first.5,
                    first.6,
                    first.7,
                    first.8,
                ));
                let assignments = rows
                    .iter()
                    .filter_map(|row| match (&row.9, &row.10) {
                        (Some(role), Some(scope)) => $crate::assignment_from_row(role, scope),
                        _ => None,
                    })
                    .collect();
                Ok(Some((
                    minxin_domain::platform::Session {
                        token_hash: token_hash.to_vec(),
                        account: account.name.clone(),
                        created_at_ms,
                        expires_at_ms,
                    },
                    account,
                    assignments,
                )))
            }

            async fn end_session(
                &self,
                token_hash: &[u8],
                at_ms: i64,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                sqlx::query("UPDATE sessions SET ended_at_ms = $1 WHERE token_hash = $2 AND ended_at_ms IS NULL")
                    .bind(at_ms)
                    .bind(token_hash)
                    .execute(&self.writer)
                    .await
                    .map_err($crate::database_error)?;
                Ok(())
            }

            async fn organisation(
                &self,
            ) -> Result<minxin_domain::organisation::Organisation, minxin_domain::platform::StoreError> {
                use minxin_domain::organisation::{OrgUnit, Organisation, ProjectDepartment, ProjectPart, UnitKind};
                let units: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
                    "SELECT code, kind, name_zh, name_en, parent FROM org_units ORDER BY kind, code",
                )
                .fetch_all(&self.reader)
                .await
                .map_err($crate::database_error)?;
                let links: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT department, project, part FROM project_departments ORDER BY project, department",
                )
                .fetch_all(&self.reader)
                .await
                .map_err($crate::database_error)?;
                Ok(Organisation {
                    units: units
                        .into_iter()
                        .filter_map(|(code, kind, name_zh, name_en, parent)| {
                            Some(OrgUnit { code, kind: UnitKind::from_code(&kind)?, name_zh, name_en, parent })
                        })
                        .collect(),
                    project_departments: links
                        .into_iter()
                        .filter_map(|(department, project, part)| {
                            Some(ProjectDepartment { department, project, part: ProjectPart::from_code(&part)? })
                        })
                        .collect(),
                })
            }

            async fn put_unit(
                &self,
                unit: &minxin_domain::organisation::OrgUnit,
                by: &minxin_domain::platform::Attribution,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                $crate::plain_text(&[
                    ("code", &unit.code),
                    ("name_zh", &unit.name_zh),
                    ("name_en", &unit.name_en),
                    ("parent", unit.parent.as_deref().unwrap_or("")),
                ])?;
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let before: Option<(String, String, String, String, Option<String>)> = sqlx::query_as(
                    "SELECT code, kind, name_zh, name_en, parent FROM org_units WHERE code = $1",
                )
                .bind(&unit.code)
                .fetch_optional(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                let before = before.map(|(code, kind, name_zh, name_en, parent)| {
                    serde_json::json!({"code": code, "kind": kind, "name_zh": name_zh, "name_en": name_en, "parent": parent}).to_string()
                });
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
                .map_err($crate::database_error)?;
                Self::append_audit_in(
                    &mut transaction,
                    minxin_domain::audit::NewAuditEntry::attributed(
                        by,
                        "unit.put",
                        format!("unit/{}", unit.code),
                        before,
                        Some(serde_json::to_string(unit).expect("a unit serialises")),
                    ),
                )
                .await?;
                transaction.commit().await.map_err($crate::database_error)
            }

            async fn set_project_department(
                &self,
                link: &minxin_domain::organisation::ProjectDepartment,
                by: &minxin_domain::platform::Attribution,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                $crate::plain_text(&[("department", &link.department), ("project", &link.project)])?;
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let before: Option<(String,)> = sqlx::query_as(
                    "SELECT part FROM project_departments WHERE department = $1 AND project = $2",
                )
                .bind(&link.department)
                .bind(&link.project)
                .fetch_optional(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                sqlx::query(
                    "INSERT INTO project_departments (department, project, part) VALUES ($1, $2, $3) \
                     ON CONFLICT (department, project) DO UPDATE SET part = excluded.part",
                )
                .bind(&link.department)
                .bind(&link.project)
                .bind(link.part.code())
                .execute(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                Self::append_audit_in(
                    &mut transaction,
                    minxin_domain::audit::NewAuditEntry::attributed(
                        by,
                        "project_department.set",
                        format!("project/{}/department/{}", link.project, link.department),
                        before.map(|(part,)| serde_json::json!({"part": part}).to_string()),
                        Some(serde_json::json!({"part": link.part.code()}).to_string()),
                    ),
                )
                .await?;
                transaction.commit().await.map_err($crate::database_error)
            }

            async fn assignments(
                &self,
            ) -> Result<Vec<(String, minxin_domain::organisation::Assignment)>, minxin_domain::platform::StoreError> {
                let rows: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT account, role, scope FROM role_assignments ORDER BY account, role, scope",
                )
                .fetch_all(&self.reader)
                .await
                .map_err($crate::database_error)?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(account, role, scope)| Some((account, $crate::assignment_from_row(&role, &scope)?)))
                    .collect())
            }

            async fn grant(
                &self,
                account: &str,
                assignment: &minxin_domain::organisation::Assignment,
                by: &minxin_domain::platform::Attribution,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                $crate::plain_text(&[("account", account), ("scope", assignment.scope.code())])?;
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
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
                        return Err(minxin_domain::platform::StoreError::NoSuchAccount(account.to_string()))
                    }
                    Err(error) => return Err($crate::database_error(error)),
                };
                if inserted > 0 {
                    Self::append_audit_in(
                        &mut transaction,
                        minxin_domain::audit::NewAuditEntry::attributed(
                            by,
                            "role.grant",
                            format!("account/{account}"),
                            None,
                            Some(serde_json::json!({"role": assignment.role, "scope": assignment.scope.to_string()}).to_string()),
                        ),
                    )
                    .await?;
                }
                transaction.commit().await.map_err($crate::database_error)
            }

            async fn revoke(
                &self,
                account: &str,
                assignment: &minxin_domain::organisation::Assignment,
                by: &minxin_domain::platform::Attribution,
            ) -> Result<bool, minxin_domain::platform::StoreError> {
                $crate::plain_text(&[("account", account), ("scope", assignment.scope.code())])?;
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let removed = sqlx::query(
                    "DELETE FROM role_assignments WHERE account = $1 AND role = $2 AND scope = $3",
                )
                .bind(account)
                .bind(assignment.role.to_string())
                .bind(assignment.scope.code())
                .execute(&mut *transaction)
                .await
                .map_err($crate::database_error)?
                .rows_affected();
                if removed > 0 {
                    if assignment.role == minxin_domain::access::Role::Administrator {
                        Self::keep_an_administrator(&mut transaction).await?;
                    }
                    // Sessions carry the roles they began with: end them.
                    Self::end_sessions_in(&mut transaction, account, by.at_ms).await?;
                    Self::append_audit_in(
                        &mut transaction,
                        minxin_domain::audit::NewAuditEntry::attributed(
                            by,
                            "role.revoke",
                            format!("account/{account}"),
                            Some(serde_json::json!({"role": assignment.role, "scope": assignment.scope.to_string()}).to_string()),
                            None,
                        ),
                    )
                    .await?;
                }
                transaction.commit().await.map_err($crate::database_error)?;
                Ok(removed > 0)
            }

            async fn record_decision(
                &self,
                decision: &minxin_domain::decision::NewDecision,
            ) -> Result<minxin_domain::decision::Decision, minxin_domain::platform::StoreError> {
                $crate::plain_text(&[
                    ("subject", &decision.subject),
                    ("decided_by", &decision.decided_by),
                    ("statement", &decision.statement),
                ])?;
                let mut transaction = self.writer.begin().await.map_err($crate::database_error)?;
                let about: Vec<(i64, Option<i64>)> = sqlx::query_as(
                    "SELECT id, supersedes FROM decisions WHERE subject = $1 ORDER BY id",
                )
                .bind(&decision.subject)
                .fetch_all(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                let in_force = about
                    .iter()
                    .rev()
                    .map(|(id, _)| *id)
                    .find(|id| !about.iter().any(|(_, s)| *s == Some(*id)));
                if decision.supersedes != in_force {
                    return Err(minxin_domain::platform::StoreError::Refused(match in_force {
                        Some(id) => format!(
                            "the decision in force about {} is {id}; a new decision must supersede it",
                            decision.subject
                        ),
                        None => format!("there is no decision about {} to supersede", decision.subject),
                    }));
                }
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO decisions (kind, subject, decided_by, decided_by_name, decided_at_ms, statement, supersedes) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(decision.kind.code())
                .bind(&decision.subject)
                .bind(&decision.decided_by)
                .bind(&decision.decided_by_name)
                .bind(decision.decided_at_ms)
                .bind(&decision.statement)
                .bind(decision.supersedes)
                .fetch_one(&mut *transaction)
                .await
                .map_err($crate::database_error)?;
                let recorded = minxin_domain::decision::Decision { id, decision: decision.clone() };
                Self::append_audit_in(
                    &mut transaction,
                    minxin_domain::audit::NewAuditEntry::attributed(
                        &minxin_domain::platform::Attribution {
                            actor: decision.decided_by.clone(),
                            at_ms: decision.decided_at_ms,
                        },
                        &format!("decision.{}", decision.kind.code()),
                        decision.subject.clone(),
                        decision.supersedes.map(|s| serde_json::json!({"decision": s}).to_string()),
                        Some(serde_json::to_string(&recorded).expect("a decision serialises")),
                    ),
                )
                .await?;
                transaction.commit().await.map_err($crate::database_error)?;
                Ok(recorded)
            }

            async fn decisions(
                &self,
            ) -> Result<Vec<minxin_domain::decision::Decision>, minxin_domain::platform::StoreError> {
                use minxin_domain::decision::{Decision, DecisionKind, NewDecision};
                type Row = (i64, String, String, String, String, i64, String, Option<i64>);
                let rows: Vec<Row> = sqlx::query_as(
                    "SELECT id, kind, subject, decided_by, decided_by_name, decided_at_ms, statement, supersedes \
                     FROM decisions ORDER BY id",
                )
                .fetch_all(&self.reader)
                .await
                .map_err($crate::database_error)?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(id, kind, subject, decided_by, decided_by_name, decided_at_ms, statement, supersedes)| {
                        Some(Decision {
                            id,
                            decision: NewDecision {
                                kind: DecisionKind::from_code(&kind)?,
                                subject,
                                decided_by,
                                decided_by_name,
                                decided_at_ms,
                                statement,
                                supersedes,
                            },
                        })
                    })
                    .collect())
            }

            async fn audit_head(
                &self,
            ) -> Result<Option<minxin_domain::audit::AuditHead>, minxin_domain::platform::StoreError> {
                let head: Option<(i64, Vec<u8>)> =
                    sqlx::query_as("SELECT count, hash FROM audit_head WHERE id = 1")
                        .fetch_optional(&self.reader)
                        .await
                        .map_err($crate::database_error)?;
                Ok(head.map($crate::head_from_row))
            }

            async fn prepare_intake(&self, wave: i64) -> Result<(), minxin_domain::platform::StoreError> {
                self.prepare_to_store(wave).await
            }

            async fn responses(
                &self,
                wave: i64,
                from: Option<&minxin_domain::platform::ResponseCursor>,
                limit: usize,
            ) -> Result<minxin_domain::platform::ResponsePage, minxin_domain::platform::StoreError> {
                self.page_of_responses(wave, from, limit).await
            }
        }
        impl $store {
            /// Refuses (and so rolls back) a change that would leave the city without an
            /// enabled account holding the administrator's role.
            async fn keep_an_administrator(
                transaction: &mut sqlx::Transaction<'static, $db>,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                let (left,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM role_assignments r JOIN accounts a ON a.name = r.account \
                     WHERE r.role = 'administrator' AND a.disabled = FALSE",
                )
                .fetch_one(&mut **transaction)
                .await
                .map_err($crate::database_error)?;
                if left == 0 {
                    return Err(minxin_domain::platform::StoreError::Refused(
                        "this would leave the city without an administrator; make another one first".into(),
                    ));
                }
                Ok(())
            }

            /// Ends every open session of `account` at `at_ms`, inside `transaction`.
            async fn end_sessions_in(
                transaction: &mut sqlx::Transaction<'static, $db>,
                account: &str,
                at_ms: i64,
            ) -> Result<(), minxin_domain::platform::StoreError> {
                sqlx::query("UPDATE sessions SET ended_at_ms = $1 WHERE account = $2 AND ended_at_ms IS NULL")
                    .bind(at_ms)
                    .bind(account)
                    .execute(&mut **transaction)
                    .await
                    .map_err($crate::database_error)?;
                Ok(())
            }

            /// Appends `change` to the audit trail inside `transaction`, chained to the last
            /// entry, and moves the recorded head: a change and its entry commit together.
            async fn append_audit_in(
                transaction: &mut sqlx::Transaction<'static, $db>,
                change: minxin_domain::audit::NewAuditEntry,
            ) -> Result<minxin_domain::audit::AuditEntry, minxin_domain::platform::StoreError> {
                $crate::plain_text(&[
                    ("actor", &change.actor),
                    ("action", &change.action),
                    ("subject", &change.subject),
                    ("before", change.before.as_deref().unwrap_or("")),
                    ("after", change.after.as_deref().unwrap_or("")),
                ])?;
                let head: Option<(i64, Vec<u8>)> =
                    sqlx::query_as("SELECT count, hash FROM audit_head WHERE id = 1")
                        .fetch_optional(&mut **transaction)
                        .await
                        .map_err($crate::database_error)?;
                let head = head.map($crate::head_from_row);
                let entry = change.seal_after(head);
                let sequence = i64::try_from(entry.sequence)
                    .map_err(|_| minxin_domain::platform::StoreError::Database("the audit log is full".into()))?;
                sqlx::query(
                    "INSERT INTO audit_log (sequence, at_ms, actor, action, subject, before_value, \
                     after_value, previous_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(sequence)
                .bind(entry.change.at_ms)
                .bind(&entry.change.actor)
                .bind(&entry.change.action)
                .bind(&entry.change.subject)
                .bind(&entry.change.before)
                .bind(&entry.change.after)
                .bind(entry.previous_hash.as_slice())
                .bind(entry.hash.as_slice())
                .execute(&mut **transaction)
                .await
                .map_err($crate::database_error)?;
                sqlx::query(
                    "INSERT INTO audit_head (id, count, hash) VALUES (1, $1, $2) \
                     ON CONFLICT (id) DO UPDATE SET count = excluded.count, hash = excluded.hash",
                )
                .bind(sequence)
                .bind(entry.hash.as_slice())
                .execute(&mut **transaction)
                .await
                .map_err($crate::database_error)?;
                Ok(entry)
            }
        }
    };
}

pub(crate) use impl_store;

/// A database location: an embedded SQLite file, or a PostgreSQL server.
#[derive(Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// A SQLite file path (from `sqlite://PATH`, `sqlite:PATH`, or a bare path).
    Sqlite(String),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl StoreUrl {
    /// Interprets a `--db` value.
    pub fn parse(text: &str) -> StoreUrl {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            StoreUrl::Postgres(text.to_string())
        } else {
            let path = text
                .strip_prefix("sqlite://")
                .or_else(|| text.strip_prefix("sqlite:"))
                .unwrap_or(text);
            StoreUrl::Sqlite(path.to_string())
        }
    }
}

/// Shows the URL without its password.
impl fmt::Debug for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreUrl::Sqlite(path) => write!(f, "sqlite://{path}"),
            StoreUrl::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Display for StoreUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub(crate) fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// Either backend, chosen at run time from the URL.
#[derive(Clone)]
pub enum AnyStore {
    /// Embedded SQLite.
    Sqlite(SqliteStore),
    /// PostgreSQL.
    Postgres(PostgresStore),
}

impl fmt::Debug for AnyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnyStore::Sqlite(_) => f.write_str("AnyStore::Sqlite"),
            AnyStore::Postgres(_) => f.write_str("AnyStore::Postgres"),
        }
    }
}

impl AnyStore {
    /// Connects (creating a SQLite file if needed) and applies pending migrations.
    pub async fn open(url: &StoreUrl) -> Result<AnyStore, StoreError> {
        Ok(match url {
            StoreUrl::Sqlite(path) => {
                AnyStore::Sqlite(SqliteStore::open(std::path::Path::new(path)).await?)
            }
            StoreUrl::Postgres(url) => AnyStore::Postgres(PostgresStore::open(url).await?),
        })
    }
}

macro_rules! delegate {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            AnyStore::Sqlite($store) => $call.await,
            AnyStore::Postgres($store) => $call.await,
        }
    };
}

impl Store for AnyStore {
    async fn create_wave(
        &self,
        wave: &NewWave,
        by: &Attribution,
    ) -> Result<WaveRecord, StoreError> {
        delegate!(self, store => store.create_wave(wave, by))
    }
    async fn waves(&self) -> Result<Vec<WaveRecord>, StoreError> {
        delegate!(self, store => store.waves())
    }
    async fn wave(&self, id: i64) -> Result<WaveRecord, StoreError> {
        delegate!(self, store => store.wave(id))
    }
    async fn set_wave_status(
        &self,
        id: i64,
        status: WaveStatus,
        by: &Attribution,
    ) -> Result<WaveRecord, StoreError> {
        delegate!(self, store => store.set_wave_status(id, status, by))
    }
    async fn submit_batch(
        &self,
        wave: i64,
        responses: &[StoredResponse],
    ) -> Result<Vec<SubmitOutcome>, StoreError> {
        delegate!(self, store => store.submit_batch(wave, responses))
    }
    async fn create_account(&self, account: &Account, by: &Attribution) -> Result<(), StoreError> {
        delegate!(self, store => store.create_account(account, by))
    }
    async fn count_accounts(&self) -> Result<u64, StoreError> {
        delegate!(self, store => store.count_accounts())
    }
    async fn account(&self, name: &str) -> Result<Option<Account>, StoreError> {
        delegate!(self, store => store.account(name))
    }
    async fn update_account(
        &self,
        name: &str,
        password_hash: &str,
        disabled: bool,
        by: &Attribution,
    ) -> Result<(), StoreError> {
        delegate!(self, store => store.update_account(name, password_hash, disabled, by))
    }
    async fn append_audit(&self, change: NewAuditEntry) -> Result<AuditEntry, StoreError> {
        delegate!(self, store => store.append_audit(change.clone()))
    }
    async fn audit_log(&self) -> Result<(Vec<AuditEntry>, Option<AuditHead>), StoreError> {
        delegate!(self, store => store.audit_log())
    }
    async fn record_sign_in(
        &self,
        name: &str,
        failed_sign_ins: u32,
        locked_until_ms: i64,
    ) -> Result<(), StoreError> {
        delegate!(self, store => store.record_sign_in(name, failed_sign_ins, locked_until_ms))
    }
    async fn record_failed_sign_in(
        &self,
        name: &str,
        now_ms: i64,
    ) -> Result<Option<(u32, i64)>, StoreError> {
        delegate!(self, store => store.record_failed_sign_in(name, now_ms))
    }
    async fn create_session(&self, session: &Session) -> Result<(), StoreError> {
        delegate!(self, store => store.create_session(session))
    }
    async fn session(
        &self,
        token_hash: &[u8],
        now_ms: i64,
    ) -> Result<Option<(Session, Account, Vec<Assignment>)>, StoreError> {
        delegate!(self, store => store.session(token_hash, now_ms))
    }
    async fn end_session(&self, token_hash: &[u8], at_ms: i64) -> Result<(), StoreError> {
        delegate!(self, store => store.end_session(token_hash, at_ms))
    }
    async fn organisation(&self) -> Result<Organisation, StoreError> {
        delegate!(self, store => store.organisation())
    }
    async fn put_unit(&self, unit: &OrgUnit, by: &Attribution) -> Result<(), StoreError> {
        delegate!(self, store => store.put_unit(unit, by))
    }
    async fn set_project_department(
        &self,
        link: &ProjectDepartment,
        by: &Attribution,
    ) -> Result<(), StoreError> {
        delegate!(self, store => store.set_project_department(link, by))
    }
    async fn assignments(&self) -> Result<Vec<(String, Assignment)>, StoreError> {
        delegate!(self, store => store.assignments())
    }
    async fn grant(
        &self,
        account: &str,
        assignment: &Assignment,
        by: &Attribution,
    ) -> Result<(), StoreError> {
        delegate!(self, store => store.grant(account, assignment, by))
    }
    async fn revoke(
        &self,
        account: &str,
        assignment: &Assignment,
        by: &Attribution,
    ) -> Result<bool, StoreError> {
        delegate!(self, store => store.revoke(account, assignment, by))
    }
    async fn record_decision(&self, decision: &NewDecision) -> Result<Decision, StoreError> {
        delegate!(self, store => store.record_decision(decision))
    }
    async fn decisions(&self) -> Result<Vec<Decision>, StoreError> {
        delegate!(self, store => store.decisions())
    }
    async fn audit_head(&self) -> Result<Option<AuditHead>, StoreError> {
        delegate!(self, store => store.audit_head())
    }
    async fn prepare_intake(&self, wave: i64) -> Result<(), StoreError> {
        delegate!(self, store => store.prepare_intake(wave))
    }
    async fn responses(
        &self,
        wave: i64,
        from: Option<&ResponseCursor>,
        limit: usize,
    ) -> Result<ResponsePage, StoreError> {
        delegate!(self, store => store.responses(wave, from, limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        assert_eq!(
            StoreUrl::parse("data/minxin.db"),
            StoreUrl::Sqlite("data/minxin.db".into())
        );
        assert_eq!(
            StoreUrl::parse("sqlite://x.db"),
            StoreUrl::Sqlite("x.db".into())
        );
        assert!(matches!(
            StoreUrl::parse("postgres://u@h/db"),
            StoreUrl::Postgres(_)
        ));
    }

    #[test]
    fn passwords_never_print() {
        let url = StoreUrl::parse("postgres://minxin:s3cret@db.example:5432/minxin");
        assert_eq!(
            format!("{url:?}"),
            "postgres://minxin:***@db.example:5432/minxin"
        );
        assert!(!url.to_string().contains("s3cret"));
    }
}
