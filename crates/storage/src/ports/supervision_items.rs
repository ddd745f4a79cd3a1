//! The items under supervision (`supervision_items`): one row per target part and milestone of
//! each issued or signed letter, written when the letter is issued and kept up to date inside
//! the transaction that signs it or submits or returns a report on it; the board reads one row
//! per open item, never a scan of the reports.

use minxin_domain::advancement::letter::LetterStatus;
use minxin_domain::advancement::progress::{MilestoneStatus, ProgressReport, ReportStatus};
use minxin_domain::advancement::supervision::{
    latest_parts, light_of_rank, light_rank, parts_of, BoardQuery, BoardSlice, CommitmentState,
    ItemKind, ItemQuery, LightCounts, PartState,
};
use minxin_domain::calendar::Day;
use minxin_domain::organisation::ProjectPart;
use minxin_domain::platform::StoreError;

use super::{on_each_backend, WriteTransaction};
use crate::database_error;

/// A row of the items' query.
#[derive(sqlx::FromRow)]
struct ItemRow {
    project: String,
    year: i64,
    signed: i64,
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
            letter_status: if self.signed != 0 {
                LetterStatus::Accepted
            } else {
                LetterStatus::Issued
            },
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

/// Marks which items of a letter (`$1`, `$2`) are still open: a target short of its quantity
/// (or never reported), a milestone not met or met in a report since returned.
/// Only the rows whose flag changes are written (a row written anew is a new version of it
/// and of its index entries).
const REFRESH_OPEN: &str = "UPDATE supervision_items SET open = 1 - open \
     WHERE project = $1 AND year = $2 AND open <> CASE \
        WHEN kind = 'target' AND achieved IS NOT NULL AND achieved >= planned THEN 0 \
        WHEN kind = 'milestone' AND milestone_status = 'met' AND returned = 0 THEN 0 \
        WHEN kind = 'action' AND milestone_status = 'met' THEN 0 \
        ELSE 1 END";

/// The columns of [`ItemRow`], from `supervision_items i` and the lead department `d`.
const ITEM_COLUMNS: &str = "i.project, i.year, i.signed, i.kind, i.item, i.district, i.owner, \
     COALESCE(d.department, '') AS lead, i.title_zh, i.title_en, i.measure_zh, i.milestone_type, \
     i.person, i.due, i.planned, i.achieved, i.milestone_status, i.returned";

/// An open item's light today as a rank (3 red, 2 yellow, 1 blue, 0 on track), `$1` being
/// today's day number and `$2` the blue window's last day: the rules of
/// `minxin_domain::advancement::lights`, with the same products for the pro-rata schedule
/// (the contract test compares the two on every item).
const LIGHT_RANK: &str = "CAST(CASE \
        WHEN i.due_day < $1 THEN 3 \
        WHEN i.returned = 1 THEN 2 \
        WHEN i.kind = 'target' AND (CASE WHEN i.due_day > i.start_day \
            THEN COALESCE(i.achieved, 0) * (i.due_day - i.start_day) \
                < i.planned * (CASE WHEN $1 < i.start_day THEN 0 ELSE $1 - i.start_day END) \
            ELSE $1 >= i.due_day END) THEN 2 \
        WHEN i.kind = 'milestone' AND i.milestone_status IN ('notMet', 'partiallyMet') THEN 2 \
        WHEN i.due_day <= $2 THEN 1 \
        ELSE 0 END AS BIGINT)";

/// The board's selection: the keys, sort keys and light of the open items of signed letters,
/// `$3` one project, `$4` one owner, `$5` the projects a department takes part in, `$6` the
/// projects a department leads. A filter not asked for is bound as an empty text and only
/// compared with itself, so that each combination of filters is its own statement, planned
/// for what it asks (a department's projects are joined, not scanned for).
fn board_selection(query: &BoardQuery) -> String {
    let mut joins = String::new();
    let mut conditions = vec!["i.open = 1".to_string(), "i.signed = 1".to_string()];
    let mut filter =
        |asked: bool, join: Option<&str>, condition: &str, placeholder: &str| match (asked, join) {
            (true, Some(join)) => joins.push_str(join),
            (true, None) => conditions.push(condition.to_string()),
            (false, _) => conditions.push(format!("{placeholder} = ''")),
        };
    filter(query.items.project.is_some(), None, "i.project = $3", "$3");
    filter(query.items.owner.is_some(), None, "i.owner = $4", "$4");
    let taking_part = format!(
        " JOIN project_departments taking_part ON taking_part.project = i.project \
          AND taking_part.department = $5{}",
        part_condition(query.items.department_part)
    );
    filter(
        query.items.department.is_some(),
        Some(&taking_part),
        "",
        "$5",
    );
    filter(
        query.lead.is_some(),
        Some(" JOIN project_departments led ON led.project = i.project AND led.department = $6 AND led.part = 'lead'"),
        "",
        "$6",
    );
    format!(
        "SELECT i.project, i.year, i.kind, i.item, i.district, i.due, i.position, {LIGHT_RANK} AS light \
         FROM supervision_items i{joins} WHERE {}",
        conditions.join(" AND ")
    )
}

/// The condition on the department's part in a project (its code is the enum's own text,
/// never the visitor's).
fn part_condition(part: Option<ProjectPart>) -> String {
    part.map_or(String::new(), |part| {
        format!(" AND taking_part.part = '{}'", part.code())
    })
}

/// A row of the board's selection.
#[derive(sqlx::FromRow)]
struct LitRow {
    #[sqlx(flatten)]
    item: ItemRow,
    light: i64,
}

on_each_backend! {
    /// The part of the board `query` asks for, lit by the database, read inside `transaction`.
    pub(crate) async fn board_slice_in(
        transaction: &mut WriteTransaction<Self>,
        query: &BoardQuery,
    ) -> Result<BoardSlice, StoreError> {
        let rank = query.light.map_or(-1, light_rank);
        let selection = board_selection(query);
        let counted: Vec<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT light, COUNT(*) FROM ({selection}) lit WHERE ($7 = -1 OR light = $7) GROUP BY light"
        ))
        .bind(query.clock.today.number())
        .bind(query.clock.blue_until.number())
        .bind(query.items.project.as_deref().unwrap_or(""))
        .bind(query.items.owner.as_deref().unwrap_or(""))
        .bind(query.items.department.as_deref().unwrap_or(""))
        .bind(query.lead.as_deref().unwrap_or(""))
        .bind(rank)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let mut counts = LightCounts::default();
        for (light, count) in counted {
            for _ in 0..count {
                counts.add(light_of_rank(light));
            }
        }
        // One page of keys sorted from the index, then those rows read whole.
        let rows: Vec<LitRow> = sqlx::query_as(&format!(
            "SELECT {ITEM_COLUMNS}, page.light FROM ( \
                SELECT * FROM ({selection}) lit WHERE ($7 = -1 OR light = $7) \
                ORDER BY light DESC, due, project, year, kind DESC, position LIMIT $8 OFFSET $9 \
             ) page \
             JOIN supervision_items i ON i.project = page.project AND i.year = page.year \
                AND i.kind = page.kind AND i.item = page.item AND i.district = page.district \
             LEFT JOIN project_departments d ON d.project = i.project AND d.part = 'lead' \
             ORDER BY page.light DESC, page.due, page.project, page.year, page.kind DESC, page.position"
        ))
        .bind(query.clock.today.number())
        .bind(query.clock.blue_until.number())
        .bind(query.items.project.as_deref().unwrap_or(""))
        .bind(query.items.owner.as_deref().unwrap_or(""))
        .bind(query.items.department.as_deref().unwrap_or(""))
        .bind(query.lead.as_deref().unwrap_or(""))
        .bind(rank)
        .bind(i64::try_from(query.limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(query.offset).unwrap_or(i64::MAX))
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        let items = rows
            .into_iter()
            .filter_map(|row| Some((row.item.into_state()?, light_of_rank(row.light))))
            .collect();
        Ok(BoardSlice { counts, items })
    }

    /// The items `query` asks for, read inside `transaction`, by project, year and the
    /// letter's order (targets by share, then milestones).
    pub(crate) async fn commitment_states_in(
        transaction: &mut WriteTransaction<Self>,
        query: &ItemQuery,
    ) -> Result<Vec<CommitmentState>, StoreError> {
        // Each filter asked for is a condition (or a join); one not asked for compares its
        // placeholder with itself, so each combination is its own statement and plan.
        let asked = |on: bool, condition: &str, placeholder: &str| {
            if on { condition.to_string() } else { format!("{placeholder} = {placeholder}") }
        };
        let taking_part = if query.department.is_some() {
            format!(
                " JOIN project_departments taking_part ON taking_part.project = i.project \
                  AND taking_part.department = $5{}",
                part_condition(query.department_part)
            )
        } else {
            String::new()
        };
        let conditions = [
            asked(query.project.is_some(), "i.project = $1", "$1"),
            asked(query.owner.is_some(), "i.owner = $2", "$2"),
            asked(query.signed_only, "i.signed = $3", "$3"),
            asked(query.open_only, "i.open = $4", "$4"),
            asked(query.department.is_some(), "taking_part.department = $5", "$5"),
        ];
        let rows: Vec<ItemRow> = sqlx::query_as(&format!(
            "SELECT {ITEM_COLUMNS} FROM supervision_items i{taking_part} \
             LEFT JOIN project_departments d ON d.project = i.project AND d.part = 'lead' \
             WHERE {} ORDER BY i.project, i.year, i.kind DESC, i.position",
            conditions.join(" AND ")
        ))
        .bind(query.project.as_deref().unwrap_or(""))
        .bind(query.owner.as_deref().unwrap_or(""))
        .bind(1_i64)
        .bind(1_i64)
        .bind(query.department.as_deref().unwrap_or(""))
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        Ok(rows.into_iter().filter_map(ItemRow::into_state).collect())
    }

    /// Writes the items of `project`'s letter for `year`, just issued, from its commitments.
    pub(crate) async fn open_items_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        year: i64,
    ) -> Result<(), StoreError> {
        let columns = "project, year, kind, item, district, owner, position, title_zh, title_en, \
             measure_zh, milestone_type, person, due, planned, signed";
        let letter = "l.project = $1 AND l.year = $2";
        for select in [
            format!(
                "SELECT l.project, l.year, 'target', t.id, '', t.unit, t.position * 1000, t.title_zh, \
                    t.title_en, t.measure_zh, '', '', t.due, t.quantity, 0 \
                 FROM letters l JOIN letter_targets t ON t.letter = l.id WHERE {letter} \
                    AND NOT EXISTS (SELECT 1 FROM letter_target_shares x WHERE x.letter = l.id AND x.target = t.id)"
            ),
            format!(
                "SELECT l.project, l.year, 'target', t.id, x.district, x.district, \
                    t.position * 1000 + x.position, t.title_zh, t.title_en, t.measure_zh, '', '', t.due, \
                    x.quantity, 0 \
                 FROM letters l JOIN letter_targets t ON t.letter = l.id \
                 JOIN letter_target_shares x ON x.letter = l.id AND x.target = t.id WHERE {letter}"
            ),
            format!(
                "SELECT l.project, l.year, 'milestone', m.id, '', m.unit, m.position * 1000, m.title_zh, \
                    m.title_en, '', m.kind, m.person, m.due, NULL, 0 \
                 FROM letters l JOIN letter_milestones m ON m.letter = l.id WHERE {letter}"
            ),
        ] {
            sqlx::query(&format!("INSERT INTO supervision_items ({columns}) {select}"))
                .bind(project)
                .bind(year)
                .execute(&mut **transaction)
                .await
                .map_err(database_error)?;
        }
        // The first day and the due dates as day numbers, for lighting items by the day.
        let start = Day::parse(&format!("{year}-01-01")).map_or(0, Day::number);
        let dues: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT due FROM supervision_items WHERE project = $1 AND year = $2 AND kind <> 'action'",
        )
        .bind(project)
        .bind(year)
        .fetch_all(&mut **transaction)
        .await
        .map_err(database_error)?;
        for (due,) in dues {
            sqlx::query(
                "UPDATE supervision_items SET start_day = $1, due_day = $2 \
                 WHERE project = $3 AND year = $4 AND due = $5 AND kind <> 'action'",
            )
            .bind(start)
            .bind(Day::parse(&due).map_or(0, Day::number))
            .bind(project)
            .bind(year)
            .bind(&due)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        }
        Ok(())
    }

    /// Removes the items of a letter sent back to draft, or marks them signed.
    pub(crate) async fn letter_items_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        year: i64,
        to: LetterStatus,
    ) -> Result<(), StoreError> {
        let sql = match to {
            LetterStatus::Draft => {
                "DELETE FROM supervision_items WHERE project = $1 AND year = $2 AND kind <> 'action'"
            }
            LetterStatus::Issued => return Self::open_items_in(transaction, project, year).await,
            LetterStatus::Accepted => {
                "UPDATE supervision_items SET signed = 1 WHERE project = $1 AND year = $2"
            }
        };
        sqlx::query(sql)
            .bind(project)
            .bind(year)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    /// Records `parts` on the items of `project`'s letter for `year`, each where it is newer
    /// than the state kept (a part the letter does not hold changes nothing).
    pub(crate) async fn record_parts_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        year: i64,
        parts: &[PartState],
    ) -> Result<(), StoreError> {
        for part in parts {
            sqlx::query(
                "UPDATE supervision_items SET achieved = $1, milestone_status = $2, \
                    report_month = $3, report_id = $4 \
                 WHERE project = $5 AND year = $6 AND kind = $7 AND item = $8 AND district = $9 \
                    AND (report_month IS NULL OR report_month < $3 \
                         OR (report_month = $3 AND report_id < $4))",
            )
            .bind(part.achieved)
            .bind(part.milestone_status.map(MilestoneStatus::code))
            .bind(&part.month)
            .bind(part.report)
            .bind(project)
            .bind(year)
            .bind(part.kind.code())
            .bind(&part.item)
            .bind(part.district.as_deref().unwrap_or(""))
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        }
        Ok(())
    }

    /// Marks whether the latest report of `report`'s unit on its letter was returned, then
    /// which of the letter's items are open.
    async fn refresh_letter_in(
        transaction: &mut WriteTransaction<Self>,
        report: &ProgressReport,
    ) -> Result<(), StoreError> {
        let year = i64::from(report.year);
        let latest: Option<(String,)> = sqlx::query_as(
            "SELECT status FROM progress_reports WHERE project = $1 AND year = $2 AND unit = $3 \
             ORDER BY month DESC, id DESC LIMIT 1",
        )
        .bind(&report.project)
        .bind(year)
        .bind(&report.unit)
        .fetch_optional(&mut **transaction)
        .await
        .map_err(database_error)?;
        let returned = latest.is_some_and(|(status,)| status == ReportStatus::Returned.code());
        Self::mark_returned_in(transaction, &report.project, year, &report.unit, returned).await?;
        Self::refresh_open_in(transaction, &report.project, year).await
    }

    /// Marks the items `unit` owns in a letter as returned or not.
    pub(crate) async fn mark_returned_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        year: i64,
        unit: &str,
        returned: bool,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE supervision_items SET returned = $1 \
             WHERE project = $2 AND year = $3 AND owner = $4 AND returned <> $1 AND kind <> 'action'",
        )
            .bind(i64::from(returned))
            .bind(project)
            .bind(year)
            .bind(unit)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    /// Marks which items of a letter are still open.
    pub(crate) async fn refresh_open_in(
        transaction: &mut WriteTransaction<Self>,
        project: &str,
        year: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(REFRESH_OPEN)
            .bind(project)
            .bind(year)
            .execute(&mut **transaction)
            .await
            .map_err(database_error)?;
        Ok(())
    }

    /// Keeps the items up to date with `report`, just submitted.
    pub(crate) async fn record_submitted_in(
        transaction: &mut WriteTransaction<Self>,
        report: &ProgressReport,
    ) -> Result<(), StoreError> {
        Self::record_parts_in(transaction, &report.project, i64::from(report.year), &parts_of(report))
            .await?;
        Self::refresh_letter_in(transaction, report).await
    }

    /// Works the items `report` spoke of out again after it was returned, from the reports
    /// of its letter that still count.
    pub(crate) async fn record_returned_in(
        transaction: &mut WriteTransaction<Self>,
        report: &ProgressReport,
    ) -> Result<(), StoreError> {
        let year = i64::from(report.year);
        let spoken_of = parts_of(&ProgressReport {
            status: ReportStatus::Submitted,
            ..report.clone()
        });
        for part in &spoken_of {
            sqlx::query(
                "UPDATE supervision_items SET achieved = NULL, milestone_status = NULL, \
                    report_month = NULL, report_id = NULL \
                 WHERE project = $1 AND year = $2 AND kind = $3 AND item = $4 AND district = $5",
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
        let reports = Self::reports_in(transaction, &report.project, year, 0).await?;
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
        Self::refresh_letter_in(transaction, report).await
    }
}
