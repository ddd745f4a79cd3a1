//! Bulk loading of progress reports for `minxin bench advancement`, which measures the pages
//! of a programme the size of a large city's (a million reports and more) in a database it
//! makes for itself. Reports are written with their latest states, worked out by the same
//! rules as a report submitted on the platform, one letter per transaction; the audit trail
//! is not written, which is why nothing but the benchmark calls this.

use std::collections::BTreeMap;

use minxin_domain::advancement::progress::{ProgressReport, ReportContent, ReportStatus};
use minxin_domain::advancement::supervision::latest_parts;
use minxin_domain::platform::StoreError;

use crate::ports::on_each_backend;
use crate::{database_error, AnyStore};

/// One report to load.
#[derive(Debug, Clone)]
pub struct ReportToLoad {
    /// Its month (`YYYY-MM`).
    pub month: String,
    /// The unit reporting.
    pub unit: String,
    /// Where it stands.
    pub status: ReportStatus,
    /// What it says.
    pub content: ReportContent,
    /// Who submitted it, and when (milliseconds since the epoch).
    pub submitted: (String, i64),
}

impl AnyStore {
    /// Writes `reports` on `project`'s signed letter for `year` in one transaction, with the
    /// latest state of each item of the letter; returns how many were
    /// written. For the benchmark's own database only: the audit trail is not written.
    pub async fn bench_load_reports(
        &self,
        project: &str,
        year: i32,
        reports: &[ReportToLoad],
    ) -> Result<usize, StoreError> {
        match self {
            AnyStore::Sqlite(store) => store.bench_load_reports_in(project, year, reports).await,
            AnyStore::Postgres(store) => store.bench_load_reports_in(project, year, reports).await,
        }
    }
}

on_each_backend! {
    /// [`AnyStore::bench_load_reports`] on this backend.
    async fn bench_load_reports_in(
        &self,
        project: &str,
        year: i32,
        reports: &[ReportToLoad],
    ) -> Result<usize, StoreError> {
        let mut transaction = self.writer.begin().await.map_err(database_error)?;
        let mut written = Vec::with_capacity(reports.len());
        for report in reports {
            let content = serde_json::to_string(&report.content).expect("a report serialises");
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO progress_reports (project, year, month, unit, status, content, \
                    submitted_by, submitted_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(project)
            .bind(i64::from(year))
            .bind(&report.month)
            .bind(&report.unit)
            .bind(report.status.code())
            .bind(&content)
            .bind(&report.submitted.0)
            .bind(report.submitted.1)
            .fetch_one(&mut *transaction)
            .await
            .map_err(database_error)?;
            written.push(ProgressReport {
                id,
                project: project.to_string(),
                year,
                month: report.month.clone(),
                unit: report.unit.clone(),
                status: report.status,
                content: report.content.clone(),
                submitted_by: report.submitted.0.clone(),
                submitted_at_ms: report.submitted.1,
                reviewed_by: None,
                reviewed_at_ms: None,
                decided_by: None,
                decided_at_ms: None,
                return_reason: String::new(),
                evidence: Vec::new(),
            });
        }
        Self::record_parts_in(&mut transaction, project, i64::from(year), &latest_parts(&written))
            .await?;
        let mut latest_of_unit: BTreeMap<&str, &ProgressReport> = BTreeMap::new();
        for report in &written {
            let newer = latest_of_unit
                .get(report.unit.as_str())
                .is_none_or(|known| (report.month.as_str(), report.id) > (known.month.as_str(), known.id));
            if newer {
                latest_of_unit.insert(&report.unit, report);
            }
        }
        for (unit, report) in latest_of_unit {
            let returned = report.status == ReportStatus::Returned;
            Self::mark_returned_in(&mut transaction, project, i64::from(year), unit, returned).await?;
        }
        Self::refresh_open_in(&mut transaction, project, i64::from(year)).await?;
        transaction.commit().await.map_err(database_error)?;
        Ok(written.len())
    }
}
