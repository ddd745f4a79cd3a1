//! The latest state of each part of a letter and of each unit's latest report, kept up to
//! date inside the transaction that submits or returns a report, and the items under
//! supervision read from it: one row per item, never a scan of the reports.

use minxin_domain::advancement::letter::LetterStatus;
use minxin_domain::advancement::progress::{MilestoneStatus, ProgressReport, ReportStatus};
use minxin_domain::advancement::supervision::{
    latest_parts, parts_of, CommitmentState, ItemKind, ItemQuery, PartState,
};
use minxin_domain::platform::StoreError;

use super::{on_each_backend, WriteTransaction};
use crate::database_error;

/// A row of the items' query.
#[derive(sqlx::FromRow)]
struct ItemRow {
    project: String,
    year: i64,
    letter_status: String,
    kind: String,
    item: String,
    district: String,
    owner: String,
    lead: String,
    title_zh: String,
    title_en: String,
    measure_zh: String,
    milestone_type: String,
    person: String,
    due: String,
    planned: Option<f64>,
    achieved: Option<f64>,
    milestone_status: Option<String>,
    returned: i64,
}

impl ItemRow {
    /// The item; `None` for a code this version cannot read.
    fn into_state(self) -> Option<CommitmentState> {
        Some(CommitmentState {
            year: i32::try_from(self.year).ok()?,
            letter_status: LetterStatus::from_code(&self.letter_status)?,
            kind: ItemKind::from_code(&self.kind)?,
            district: (!self.district.is_empty()).then_some(self.district),
            milestone_status: match self.milestone_status {
                Some(code) => Some(MilestoneStatus::from_code(&code)?),
                None => None,
            },
            returned: self.returned != 0,
            project: self.project,
            item: self.item,
            owner: self.owner,
            lead: self.lead,
            title_zh: self.title_zh,
            title_en: self.title_en,
            measure_zh: self.measure_zh,
            milestone_type: self.milestone_type,
            person: self.person,
            due: self.due,
            planned: self.planned,
            achieved: self.achieved,
        })
    }
}

/// The letters an item query reads: `$1` one project (or every one when empty), `$3` signed
/// letters only (1) or issued ones too (0).
const LETTERS: &str = "($1 = '' OR l.project = $1) \
     AND (l.status = 'accepted' OR ($3 = 0 AND l.status = 'issued'))";

/// The joins every branch shares: the project's lead department.
const LEAD: &str = "LEFT JOIN project_departments d ON d.project = l.project AND d.part = 'lead'";

/// The items of the letters, their states and their owners' latest reports: targets
/// delivered whole, districts' shares, milestones. `$2` is the owner (every one when empty),
/// `$4` open items only (1).
fn items_sql() -> String {
    format!(
        "SELECT l.project AS project, l.year AS year, l.status AS letter_status, 'target' AS kind, t.id AS item, \
            '' AS district, t.unit AS owner, COALESCE(d.department, '') AS lead, t.title_zh, \
            t.title_en, t.measure_zh, '' AS milestone_type, '' AS person, t.due, \
            t.quantity AS planned, s.achieved, NULL AS milestone_status, \
            COALESCE(u.returned, 0) AS returned, t.position AS position, 0 AS share_position \
         FROM letters l JOIN letter_targets t ON t.letter = l.id {LEAD} \
         LEFT JOIN progress_states s ON s.project = l.project AND s.year = l.year \
            AND s.kind = 'target' AND s.item = t.id AND s.district = '' \
         LEFT JOIN report_unit_states u ON u.project = l.project AND u.year = l.year AND u.unit = t.unit \
         WHERE {LETTERS} AND ($2 = '' OR t.unit = $2) \
            AND NOT EXISTS (SELECT 1 FROM letter_target_shares x WHERE x.letter = l.id AND x.target = t.id) \
            AND ($4 = 0 OR s.achieved IS NULL OR s.achieved < t.quantity) \
         UNION ALL \
         SELECT l.project, l.year, l.status, 'target', t.id, x.district, x.district, \
            COALESCE(d.department, ''), t.title_zh, t.title_en, t.measure_zh, '', '', t.due, \
            x.quantity, s.achieved, NULL, COALESCE(u.returned, 0), t.position, x.position \
         FROM letters l JOIN letter_targets t ON t.letter = l.id \
         JOIN letter_target_shares x ON x.letter = l.id AND x.target = t.id {LEAD} \
         LEFT JOIN progress_states s ON s.project = l.project AND s.year = l.year \
            AND s.kind = 'target' AND s.item = t.id AND s.district = x.district \
         LEFT JOIN report_unit_states u ON u.project = l.project AND u.year = l.year AND u.unit = x.district \
         WHERE {LETTERS} AND ($2 = '' OR x.district = $2) \
            AND ($4 = 0 OR s.achieved IS NULL OR s.achieved < x.quantity) \
         UNION ALL \
         SELECT l.project, l.year, l.status, 'milestone', m.id, '', m.unit, \
            COALESCE(d.department, ''), m.title_zh, m.title_en, '', m.kind, m.person, m.due, \
            NULL, NULL, s.milestone_status, COALESCE(u.returned, 0), m.position, 0 \
         FROM letters l JOIN letter_milestones m ON m.letter = l.id {LEAD} \
         LEFT JOIN progress_states s ON s.project = l.project AND s.year = l.year \
            AND s.kind = 'milestone' AND s.item = m.id AND s.district = '' \
         LEFT JOIN report_unit_states u ON u.project = l.project AND u.year = l.year AND u.unit = m.unit \
         WHERE {LETTERS} AND ($2 = '' OR m.unit = $2) \
            AND ($4 = 0 OR s.milestone_status IS NULL OR s.milestone_status <> 'met' \
                 OR COALESCE(u.returned, 0) = 1) \
         ORDER BY project, year, kind DESC, position, share_position"
    )
}

on_each_backend! {
    /// The items `query` asks for, read inside `transaction`.
    pub(crate) async fn commitment_states_in(
        transaction: &mut WriteTransaction<Self>,
        query: &ItemQuery,
    ) -> Result<Vec<CommitmentState>, StoreError> {
        let rows: Vec<ItemRow> = sqlx::query_as(&items_sql())
            .bind(query.project.as_deref().unwrap_or(""))
            .bind(query.owner.as_deref().unwrap_or(""))
            .bind(i64::from(query.signed_only))
            .bind(i64::from(query.open_only))
            .fetch_all(&mut **transaction)
            .await
            .map_err(database_error)?;
        Ok(rows.into_iter().filter_map(ItemRow::into_state).collect())
    }

    /// Records `parts` as the latest states of `project`'s letter for `year`, each where it is
    /// newer than the state kept.
    async fn record_parts_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        year: i64,
        parts: &[PartState],
    ) -> Result<(), StoreError> {
        for part in parts {
            sqlx::query(
                "INSERT INTO progress_states (project, year, kind, item, district, achieved, \
                    milestone_status, report_month, report_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (project, year, kind, item, district) DO UPDATE SET \
                    achieved = excluded.achieved, milestone_status = excluded.milestone_status, \
                    report_month = excluded.report_month, report_id = excluded.report_id \
                 WHERE progress_states.report_month < excluded.report_month \
                    OR (progress_states.report_month = excluded.report_month \
                        AND progress_states.report_id < excluded.report_id)",
            )
            .bind(project)
            .bind(year)
            .bind(part.kind.code())
            .bind(&part.item)
            .bind(part.district.as_deref().unwrap_or(""))
            .bind(part.achieved)
            .bind(part.milestone_status.map(MilestoneStatus::code))
            .bind(&part.month)
            .bind(part.report)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        }
        Ok(())
    }

    /// Keeps the states up to date with `report`, just submitted: its parts where newer, and
    /// its unit's latest report where it is the newest.
    pub(crate) async fn record_submitted_in(
        transaction: &mut WriteTransaction<Self>,
        report: &ProgressReport,
    ) -> Result<(), StoreError> {
        let year = i64::from(report.year);
        Self::record_parts_in(transaction, &report.project, year, &parts_of(report)).await?;
        sqlx::query(
            "INSERT INTO report_unit_states (project, year, unit, report_month, report_id, returned) \
             VALUES ($1, $2, $3, $4, $5, 0) \
             ON CONFLICT (project, year, unit) DO UPDATE SET report_month = excluded.report_month, \
                report_id = excluded.report_id, returned = 0 \
             WHERE report_unit_states.report_month < excluded.report_month \
                OR (report_unit_states.report_month = excluded.report_month \
                    AND report_unit_states.report_id < excluded.report_id)",
        )
        .bind(&report.project)
        .bind(year)
        .bind(&report.unit)
        .bind(&report.month)
        .bind(report.id)
        .execute(&mut **transaction)
        .await
        .map_err(database_error)?;
        Ok(())
    }

    /// Works the states of `report`'s letter out again after it was returned: the parts it
    /// spoke of from the reports that still count, and its unit's latest report.
    pub(crate) async fn record_returned_in(
        transaction: &mut WriteTransaction<Self>,
        report: &ProgressReport,
    ) -> Result<(), StoreError> {
        let year = i64::from(report.year);
        let reports = Self::reports_in(transaction, &report.project, year, 0).await?;
        let spoken_of = parts_of(&ProgressReport {
            status: ReportStatus::Submitted,
            ..report.clone()
        });
        for part in &spoken_of {
            sqlx::query(
                "DELETE FROM progress_states WHERE project = $1 AND year = $2 AND kind = $3 \
                 AND item = $4 AND district = $5",
            )
            .bind(&report.project)
            .bind(year)
            .bind(part.kind.code())
            .bind(&part.item)
            .bind(part.district.as_deref().unwrap_or(""))
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        }
        let again: Vec<PartState> = latest_parts(&reports)
            .into_iter()
            .filter(|part| {
                spoken_of.iter().any(|spoken| {
                    (spoken.kind, &spoken.item, &spoken.district)
                        == (part.kind, &part.item, &part.district)
                })
            })
            .collect();
        Self::record_parts_in(transaction, &report.project, year, &again).await?;
        let latest = reports
            .iter()
            .filter(|r| r.unit == report.unit)
            .max_by(|a, b| (a.month.as_str(), a.id).cmp(&(b.month.as_str(), b.id)));
        if let Some(latest) = latest {
            sqlx::query(
                "UPDATE report_unit_states SET report_month = $1, report_id = $2, returned = $3 \
                 WHERE project = $4 AND year = $5 AND unit = $6",
            )
            .bind(&latest.month)
            .bind(latest.id)
            .bind(i64::from(latest.status == ReportStatus::Returned))
            .bind(&report.project)
            .bind(year)
            .bind(&report.unit)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        }
        Ok(())
    }
}
