//! A letter's commitments as a workbook, for departments that keep them in Excel: the sheets
//! 时间表 (milestones), 任务书 (targets), 分区任务 (each district's share of a target) and
//! 路线图 (the roadmap's phases, in order). Units and districts may be written by code or by
//! their Chinese name; milestone types by their OC4IDS code or Chinese name. Every problem
//! names its sheet, row and column.

use super::letter::{
    milestone_type_names, trimmed, Commitments, DistrictShare, MilestoneCommitment, Phase,
    TargetCommitment, MILESTONE_TYPES,
};
use crate::problem::Problem;
use crate::tabular::{Sheet, SheetRow};

/// The milestones' sheet.
pub const MILESTONES_SHEET: &str = "时间表";
/// The targets' sheet.
pub const TARGETS_SHEET: &str = "任务书";
/// The districts' shares' sheet.
pub const SHARES_SHEET: &str = "分区任务";
/// The roadmap's sheet.
pub const PHASES_SHEET: &str = "路线图";

const MILESTONE_COLUMNS: [&str; 7] = [
    "编号",
    "节点名称",
    "英文名称",
    "节点类型",
    "完成时限",
    "责任单位",
    "责任人",
];
/// The targets' optional column of weights.
const WEIGHT_COLUMN: &str = "权重";

const TARGET_COLUMNS: [&str; 8] = [
    "编号",
    "任务名称",
    "英文名称",
    "计量单位",
    "英文计量单位",
    "目标数量",
    "完成时限",
    "责任单位",
];
const SHARE_COLUMNS: [&str; 3] = ["任务编号", "区", "分解数量"];
const PHASE_COLUMNS: [&str; 3] = ["阶段名称", "英文名称", "包含节点"];

/// Names the sheets are read with: units by code and Chinese name, the project's districts.
#[derive(Debug, Clone, Copy)]
pub struct SheetNames<'a> {
    /// Every unit: code and Chinese name.
    pub units: &'a [(String, String)],
    /// The project's districts: code and Chinese name.
    pub districts: &'a [(String, String)],
}

impl SheetNames<'_> {
    /// The code of the unit written as `text` (a code or a Chinese name), or `text` itself.
    fn unit(&self, text: &str) -> String {
        find(self.units, text).unwrap_or_else(|| text.to_string())
    }

    /// The Chinese name of the unit `code`, or the code.
    fn unit_name(&self, code: &str) -> String {
        name(self.units, code)
    }
}

/// The code of `text` among `named` (by code or Chinese name).
fn find(named: &[(String, String)], text: &str) -> Option<String> {
    named
        .iter()
        .find(|(code, zh)| code == text || zh == text)
        .map(|(code, _)| code.clone())
}

/// The Chinese name of `code` among `named`, or the code.
fn name(named: &[(String, String)], code: &str) -> String {
    named
        .iter()
        .find(|(known, _)| known == code)
        .map_or(code.to_string(), |(_, zh)| zh.clone())
}

/// `项目!第3行.列` for a cell.
fn cell(sheet: &str, row: u32, column: &str) -> String {
    format!("{sheet}!第{row}行.{column}")
}

/// The columns of `sheet` by their headers; a problem for each one missing.
fn columns<const N: usize>(
    sheet: &Sheet,
    names: [&'static str; N],
    problems: &mut Vec<Problem>,
) -> [Option<usize>; N] {
    names.map(|header| {
        let found = sheet.column(&[header]);
        if found.is_none() {
            problems.push(Problem::new(
                format!("{}!第1行", sheet.name),
                format!("工作表“{}”缺少“{header}”一列。", sheet.name),
                format!("the sheet {:?} has no column {header:?}", sheet.name),
            ));
        }
        found
    })
}

/// A number in a cell, or a problem naming the cell.
fn number(
    row: &SheetRow,
    column: Option<usize>,
    field: String,
    problems: &mut Vec<Problem>,
) -> f64 {
    let text = row.cell(column);
    match text.replace(',', "").parse::<f64>() {
        Ok(value) if value.is_finite() => value,
        _ => {
            problems.push(Problem::new(
                field,
                format!("“{text}”不是数字。"),
                format!("{text:?} is not a number"),
            ));
            0.0
        }
    }
}

/// Reads commitments from the workbook's sheets. Sheets other than the four are ignored; the
/// milestones' and targets' sheets are required (either may be empty). The result is still to
/// be checked with [`Commitments::problems`], whose fields name list positions; this reader's
/// problems name cells.
pub fn commitments_from_sheets(
    sheets: &[Sheet],
    names: SheetNames<'_>,
) -> Result<Commitments, Vec<Problem>> {
    let mut problems = Vec::new();
    let named = |name: &str| sheets.iter().find(|s| s.name.trim() == name);
    let (Some(milestones_sheet), Some(targets_sheet)) =
        (named(MILESTONES_SHEET), named(TARGETS_SHEET))
    else {
        return Err(vec![Problem::new(
            "workbook",
            format!("工作簿须有“{MILESTONES_SHEET}”和“{TARGETS_SHEET}”两张工作表。"),
            format!("the workbook needs the sheets {MILESTONES_SHEET:?} and {TARGETS_SHEET:?}"),
        )]);
    };
    let mut commitments = Commitments::default();
    let m = columns(milestones_sheet, MILESTONE_COLUMNS, &mut problems);
    let t = columns(targets_sheet, TARGET_COLUMNS, &mut problems);
    let s = named(SHARES_SHEET).map(|sheet| columns(sheet, SHARE_COLUMNS, &mut problems));
    let p = named(PHASES_SHEET).map(|sheet| columns(sheet, PHASE_COLUMNS, &mut problems));
    if !problems.is_empty() {
        return Err(problems);
    }
    for row in &milestones_sheet.rows {
        let kind_text = row.cell(m[3]);
        let kind = MILESTONE_TYPES
            .iter()
            .find(|(code, zh, _)| *code == kind_text || *zh == kind_text)
            .map_or(kind_text.to_string(), |(code, _, _)| code.to_string());
        commitments.milestones.push(MilestoneCommitment {
            id: row.cell(m[0]).to_string(),
            title_zh: row.cell(m[1]).to_string(),
            title_en: row.cell(m[2]).to_string(),
            kind,
            due: row.cell(m[4]).to_string(),
            unit: names.unit(row.cell(m[5])),
            person: row.cell(m[6]).to_string(),
        });
    }
    let weight_column = targets_sheet.column(&[WEIGHT_COLUMN]);
    for row in &targets_sheet.rows {
        let weight = (!row.cell(weight_column).is_empty()).then(|| {
            number(
                row,
                weight_column,
                cell(TARGETS_SHEET, row.number, WEIGHT_COLUMN),
                &mut problems,
            )
        });
        let quantity = number(
            row,
            t[5],
            cell(TARGETS_SHEET, row.number, TARGET_COLUMNS[5]),
            &mut problems,
        );
        commitments.targets.push(TargetCommitment {
            id: row.cell(t[0]).to_string(),
            title_zh: row.cell(t[1]).to_string(),
            title_en: row.cell(t[2]).to_string(),
            measure_zh: row.cell(t[3]).to_string(),
            measure_en: row.cell(t[4]).to_string(),
            quantity,
            due: row.cell(t[6]).to_string(),
            unit: names.unit(row.cell(t[7])),
            shares: Vec::new(),
            weight,
        });
    }
    if let (Some(sheet), Some(s)) = (named(SHARES_SHEET), s) {
        for row in &sheet.rows {
            let target = row.cell(s[0]);
            let quantity = number(
                row,
                s[2],
                cell(SHARES_SHEET, row.number, SHARE_COLUMNS[2]),
                &mut problems,
            );
            let district_text = row.cell(s[1]);
            let district = find(names.districts, district_text).unwrap_or_else(|| {
                problems.push(Problem::new(
                    cell(SHARES_SHEET, row.number, SHARE_COLUMNS[1]),
                    format!("“{district_text}”不是本项目的实施区。"),
                    format!("{district_text:?} is not a district the project is delivered in"),
                ));
                district_text.to_string()
            });
            match commitments.targets.iter_mut().find(|t| t.id == target) {
                Some(found) => found.shares.push(DistrictShare { district, quantity }),
                None => problems.push(Problem::new(
                    cell(SHARES_SHEET, row.number, SHARE_COLUMNS[0]),
                    format!("任务编号“{target}”不在“{TARGETS_SHEET}”中。"),
                    format!("the target {target:?} is not on the sheet {TARGETS_SHEET:?}"),
                )),
            }
        }
    }
    if let (Some(sheet), Some(p)) = (named(PHASES_SHEET), p) {
        for row in &sheet.rows {
            commitments.phases.push(Phase {
                title_zh: row.cell(p[0]).to_string(),
                title_en: row.cell(p[1]).to_string(),
                milestones: row
                    .cell(p[2])
                    .split(|c: char| c == '、' || c == ',' || c == '，' || c.is_whitespace())
                    .filter(|part| !part.is_empty())
                    .map(String::from)
                    .collect(),
            });
        }
    }
    if problems.is_empty() {
        Ok(commitments)
    } else {
        Err(problems)
    }
}

/// Reads commitments from the sheets and checks them against `context`: every problem at
/// once, each naming its sheet, row and column.
pub fn checked_commitments_from_sheets(
    sheets: &[Sheet],
    names: SheetNames<'_>,
    context: super::letter::LetterContext<'_>,
) -> Result<Commitments, Vec<Problem>> {
    let commitments = commitments_from_sheets(sheets, names)?;
    let rows = |name: &str| -> Vec<u32> {
        sheets
            .iter()
            .find(|s| s.name.trim() == name)
            .map(|s| s.rows.iter().map(|r| r.number).collect())
            .unwrap_or_default()
    };
    let milestone_rows = rows(MILESTONES_SHEET);
    let target_rows = rows(TARGETS_SHEET);
    let phase_rows = rows(PHASES_SHEET);
    let problems: Vec<Problem> = commitments
        .problems(context)
        .into_iter()
        .map(|problem| {
            let field = locate(&problem.field, &milestone_rows, &target_rows, &phase_rows);
            Problem { field, ..problem }
        })
        .collect();
    if problems.is_empty() {
        Ok(commitments)
    } else {
        Err(problems)
    }
}

/// A problem's field (`targets[1].due`) named by sheet, row and column.
fn locate(field: &str, milestones: &[u32], targets: &[u32], phases: &[u32]) -> String {
    let Some((list, rest)) = field.split_once('[') else {
        return field.to_string();
    };
    let Some((index, key)) = rest.split_once(']') else {
        return field.to_string();
    };
    let Ok(index) = index.parse::<usize>() else {
        return field.to_string();
    };
    let key = key.trim_start_matches('.');
    let row = |rows: &[u32]| rows.get(index).copied().unwrap_or(0);
    let column = |columns: &[&str], keys: &[&str]| {
        let base = key.split('[').next().unwrap_or(key);
        keys.iter()
            .position(|k| *k == base)
            .map_or(key.to_string(), |i| columns[i].to_string())
    };
    match list {
        "milestones" => cell(
            MILESTONES_SHEET,
            row(milestones),
            &column(
                &MILESTONE_COLUMNS,
                &[
                    "id", "title_zh", "title_en", "kind", "due", "unit", "person",
                ],
            ),
        ),
        "targets" if key.starts_with("shares") => {
            format!(
                "{SHARES_SHEET}（{TARGETS_SHEET}第{}行的任务）",
                row(targets)
            )
        }
        "targets" => cell(
            TARGETS_SHEET,
            row(targets),
            &column(
                &[&TARGET_COLUMNS[..], &[WEIGHT_COLUMN]].concat(),
                &[
                    "id",
                    "title_zh",
                    "title_en",
                    "measure_zh",
                    "measure_en",
                    "quantity",
                    "due",
                    "unit",
                    "weight",
                ],
            ),
        ),
        "phases" => cell(
            PHASES_SHEET,
            row(phases),
            &column(&PHASE_COLUMNS, &["title_zh", "title_en", "milestones"]),
        ),
        _ => field.to_string(),
    }
}

/// The commitments as the four sheets [`commitments_from_sheets`] reads (units and districts
/// by their Chinese names): the export of a letter, and with no commitments its template.
pub fn commitments_to_sheets(commitments: &Commitments, names: SheetNames<'_>) -> Vec<Sheet> {
    let sheet = |sheet_name: &str, header: &[&str], rows: Vec<Vec<String>>| Sheet {
        name: sheet_name.to_string(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, cells)| SheetRow {
                number: i as u32 + 2,
                cells,
            })
            .collect(),
    };
    vec![
        sheet(
            MILESTONES_SHEET,
            &MILESTONE_COLUMNS,
            commitments
                .milestones
                .iter()
                .map(|m| {
                    vec![
                        m.id.clone(),
                        m.title_zh.clone(),
                        m.title_en.clone(),
                        milestone_type_names(&m.kind).map_or(m.kind.clone(), |(zh, _)| zh.into()),
                        m.due.clone(),
                        names.unit_name(&m.unit),
                        m.person.clone(),
                    ]
                })
                .collect(),
        ),
        sheet(
            TARGETS_SHEET,
            &[&TARGET_COLUMNS[..], &[WEIGHT_COLUMN]].concat(),
            commitments
                .targets
                .iter()
                .map(|t| {
                    vec![
                        t.id.clone(),
                        t.title_zh.clone(),
                        t.title_en.clone(),
                        t.measure_zh.clone(),
                        t.measure_en.clone(),
                        trimmed(t.quantity),
                        t.due.clone(),
                        names.unit_name(&t.unit),
                        t.weight.map(trimmed).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        sheet(
            SHARES_SHEET,
            &SHARE_COLUMNS,
            commitments
                .targets
                .iter()
                .flat_map(|t| {
                    t.shares.iter().map(|share| {
                        vec![
                            t.id.clone(),
                            name(names.districts, &share.district),
                            trimmed(share.quantity),
                        ]
                    })
                })
                .collect(),
        ),
        sheet(
            PHASES_SHEET,
            &PHASE_COLUMNS,
            commitments
                .phases
                .iter()
                .map(|p| {
                    vec![
                        p.title_zh.clone(),
                        p.title_en.clone(),
                        p.milestones.join("、"),
                    ]
                })
                .collect(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes with their Chinese names.
    type Named = Vec<(String, String)>;

    fn names() -> (Named, Named) {
        let units = vec![
            (
                "housing-administration".to_string(),
                "市房屋管理局".to_string(),
            ),
            ("310101".to_string(), "黄浦区".to_string()),
        ];
        let districts = vec![
            ("310101".to_string(), "黄浦区".to_string()),
            ("310104".to_string(), "徐汇区".to_string()),
        ];
        (units, districts)
    }

    fn commitments() -> Commitments {
        Commitments {
            milestones: vec![MilestoneCommitment {
                id: "m1".into(),
                title_zh: "完成意见征询".into(),
                title_en: String::new(),
                kind: "engagement".into(),
                due: "2021-03-31".into(),
                unit: "310101".into(),
                person: "张三".into(),
            }],
            targets: vec![TargetCommitment {
                id: "t1".into(),
                title_zh: "加装电梯".into(),
                title_en: String::new(),
                measure_zh: "台".into(),
                measure_en: String::new(),
                quantity: 1000.0,
                due: "2021-12-31".into(),
                unit: "housing-administration".into(),
                shares: vec![
                    DistrictShare {
                        district: "310101".into(),
                        quantity: 400.0,
                    },
                    DistrictShare {
                        district: "310104".into(),
                        quantity: 600.0,
                    },
                ],
                weight: Some(1.0),
            }],
            phases: vec![Phase {
                title_zh: "征询".into(),
                title_en: String::new(),
                milestones: vec!["m1".into()],
            }],
        }
    }

    #[test]
    fn commitments_survive_the_round_trip_through_sheets_with_names_for_codes() {
        let (units, districts) = names();
        let names = SheetNames {
            units: &units,
            districts: &districts,
        };
        let sheets = commitments_to_sheets(&commitments(), names);
        assert_eq!(sheets[0].rows[0].cells[3], "公众参与");
        assert_eq!(sheets[0].rows[0].cells[5], "黄浦区");
        assert_eq!(sheets[2].rows[1].cells[1], "徐汇区");
        assert_eq!(
            commitments_from_sheets(&sheets, names).unwrap(),
            commitments()
        );
    }

    #[test]
    fn a_sheets_problems_name_the_cell() {
        let (units, districts) = names();
        let names = SheetNames {
            units: &units,
            districts: &districts,
        };
        let mut sheets = commitments_to_sheets(&commitments(), names);
        sheets[1].rows[0].cells[5] = "一千".into();
        sheets[2].rows[0].cells[1] = "浦东新区".into();
        sheets[2].rows[1].cells[0] = "t9".into();
        let problems = commitments_from_sheets(&sheets, names).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "任务书!第2行.目标数量",
                "分区任务!第2行.区",
                "分区任务!第3行.任务编号"
            ]
        );
        let mut late = commitments_to_sheets(&commitments(), names);
        late[1].rows[0].cells[6] = "年底".into();
        late[0].rows[0].cells[0] = "t1".into();
        let units_codes: Vec<String> = units.iter().map(|(c, _)| c.clone()).collect();
        let district_codes: Vec<String> = districts.iter().map(|(c, _)| c.clone()).collect();
        let checked = checked_commitments_from_sheets(
            &late,
            names,
            super::super::letter::LetterContext {
                units: &units_codes,
                districts: &district_codes,
            },
        )
        .unwrap_err();
        let fields: Vec<&str> = checked.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "任务书!第2行.编号",
                "任务书!第2行.完成时限",
                "路线图!第2行.包含节点"
            ],
            "{checked:#?}"
        );
        let without: Vec<Sheet> = sheets.into_iter().skip(1).collect();
        assert_eq!(
            commitments_from_sheets(&without, names).unwrap_err()[0].field,
            "workbook"
        );
    }
}
