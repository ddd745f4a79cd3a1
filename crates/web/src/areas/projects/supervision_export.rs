//! The supervision board as a file: every open item the visitor sees, with the board's
//! filters, as an XLSX workbook or a CSV table (UTF-8 with a byte-order mark, which Excel
//! reads as such), names in Chinese rather than codes, for the office's weekly round.

use axum::extract::{Query, State};
use axum::response::Response;
use minxin_domain::advancement::letter::trimmed;
use minxin_domain::advancement::lights::Light;
use minxin_domain::platform::Store;
use minxin_domain::tabular::{Sheet, SheetRow};

use super::supervision::{board, BoardFilter};
use crate::app::attachment::{csv_response, file_response, XLSX};
use crate::app::error::ApiError;
use crate::app::session::Visitor;
use crate::app::state::AppState;

/// The board `visitor` sees under `filter` as one sheet, worst first.
async fn board_sheet<S: Store>(
    state: &AppState<S>,
    visitor: &Visitor,
    filter: &BoardFilter,
) -> Result<Sheet, ApiError> {
    let items = board(state, visitor, filter).await?;
    let register = state.register();
    let organisation = state.organisation().clone();
    let unit = |code: &str| {
        organisation
            .unit(code)
            .map_or(code.to_string(), |u| u.name_zh.clone())
    };
    let header = [
        "灯色",
        "事项",
        "类别",
        "项目",
        "牵头部门",
        "责任单位",
        "年度",
        "完成时限",
        "计划数",
        "累计完成",
    ];
    let rows = items
        .iter()
        .enumerate()
        .map(|(k, item)| SheetRow {
            number: u32::try_from(k + 2).unwrap_or(u32::MAX),
            cells: vec![
                match item.light {
                    Some(Light::Red) => "红灯".into(),
                    Some(Light::Yellow) => "黄灯".into(),
                    Some(Light::Blue) => "蓝灯".into(),
                    None if item.calendar_unknown => "待定".into(),
                    None => "正常推进".into(),
                },
                item.title_zh.clone(),
                if item.kind == "target" {
                    "任务".into()
                } else {
                    "节点".into()
                },
                register
                    .project(&item.project)
                    .map_or(item.project.clone(), |p| p.name_zh.clone()),
                unit(&item.lead),
                unit(&item.owner),
                item.year.to_string(),
                item.due.clone(),
                item.planned.map(trimmed).unwrap_or_default(),
                match (item.planned, item.achieved) {
                    (_, Some(achieved)) => trimmed(achieved),
                    (Some(_), None) => "未报".into(),
                    (None, None) => String::new(),
                },
            ],
        })
        .collect();
    Ok(Sheet {
        name: "督查督办".into(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows,
    })
}

/// `GET /supervision.xlsx`: the board as a workbook.
pub(super) async fn board_workbook<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(filter): Query<BoardFilter>,
) -> Result<Response, ApiError> {
    let sheet = board_sheet(&state, &visitor, &filter).await?;
    let bytes = minxin_interchange::write_sheets(&[sheet])
        .map_err(|e| ApiError::Internal(format!("cannot write the board: {e}")))?;
    Ok(file_response(bytes, "minxin-supervision.xlsx", XLSX))
}

/// `GET /supervision.csv`: the board as a CSV table.
pub(super) async fn board_csv<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(filter): Query<BoardFilter>,
) -> Result<Response, ApiError> {
    let sheet = board_sheet(&state, &visitor, &filter).await?;
    let mut out = "\u{feff}".as_bytes().to_vec();
    minxin_interchange::write_csv_table(
        &mut out,
        &sheet.header,
        sheet.rows.iter().map(|row| row.cells.clone()),
    )
    .map_err(|e| ApiError::Internal(format!("cannot write the CSV file: {e}")))?;
    Ok(csv_response(out, "minxin-supervision.csv"))
}
