//! The project register as a workbook, for a city that keeps it in Excel: a sheet `部门`
//! (departments), a sheet `项目` (one row per project) and a sheet `配合部门` (one row per
//! participating department and project). Headers are Chinese; the English field names of the
//! TOML file are accepted too. A district cell lists districts by code or Chinese name,
//! separated by `、`, commas or spaces, or says `全市` (`all`).
//!
//! Every problem names its sheet, row and column, as the survey import's rejections do.

use super::register::{
    Participant, Register, RegisterContext, RegisterDepartment, RegisteredProject, Steering,
};
use crate::problem::Problem;
use crate::tabular::{Sheet, SheetRow};

/// The departments' sheet.
pub const DEPARTMENTS_SHEET: &str = "部门";
/// The projects' sheet.
pub const PROJECTS_SHEET: &str = "项目";
/// The participating departments' sheet.
pub const PARTICIPANTS_SHEET: &str = "配合部门";

/// A column: its Chinese header and the field name of the TOML file (also accepted).
type Column = (&'static str, &'static str);

const DEPARTMENT_COLUMNS: [Column; 3] =
    [("部门代码", "code"), ("中文名称", "zh"), ("英文名称", "en")];

const PROJECT_COLUMNS: [Column; 14] = [
    ("项目代码", "code"),
    ("项目名称", "name_zh"),
    ("英文名称", "name_en"),
    ("一句话简介", "summary_zh"),
    ("英文简介", "summary_en"),
    ("项目说明", "description_zh"),
    ("英文说明", "description_en"),
    ("责任市领导", "leader_zh"),
    ("责任市领导（英文）", "leader_en"),
    ("统筹机构类型", "steering"),
    ("统筹机构名称", "steering_zh"),
    ("统筹机构英文名称", "steering_en"),
    ("牵头部门", "lead_department"),
    ("实施区", "districts"),
];

/// The start year's column, after the others.
const START_YEAR: Column = ("启动年份", "start_year");

const PARTICIPANT_COLUMNS: [Column; 4] = [
    ("项目代码", "project"),
    ("配合部门", "department"),
    ("职责", "duty_zh"),
    ("英文职责", "duty_en"),
];

/// Where a column of `sheet` is, by either header.
fn find(sheet: &Sheet, column: Column) -> Option<usize> {
    sheet.column(&[column.0, column.1])
}

/// The field name of a cell, as problems name it: `项目!第3行.牵头部门`.
fn cell_field(sheet: &str, row: u32, column: Column) -> String {
    format!("{sheet}!第{row}行.{}", column.0)
}

/// Reads a register from the sheets of a workbook (see the module doc); every problem at once.
pub fn register_from_sheets(
    sheets: &[Sheet],
    context: RegisterContext<'_>,
) -> Result<Register, Vec<Problem>> {
    let mut problems = Vec::new();
    let named = |name: &str| sheets.iter().find(|sheet| sheet.name.trim() == name);
    let Some(projects_sheet) = named(PROJECTS_SHEET) else {
        return Err(vec![Problem::new(
            "workbook",
            format!("工作簿中没有名为“{PROJECTS_SHEET}”的工作表。"),
            format!("the workbook has no sheet named {PROJECTS_SHEET:?}"),
        )]);
    };
    for (sheet, required) in [
        (Some(projects_sheet), &PROJECT_COLUMNS[..]),
        (named(DEPARTMENTS_SHEET), &DEPARTMENT_COLUMNS[..]),
        (named(PARTICIPANTS_SHEET), &PARTICIPANT_COLUMNS[..2]),
    ] {
        let Some(sheet) = sheet else { continue };
        for column in required
            .iter()
            .chain((sheet.name.trim() == PROJECTS_SHEET).then_some(&START_YEAR))
        {
            if find(sheet, *column).is_none() {
                problems.push(Problem::new(
                    format!("{}!第1行", sheet.name),
                    format!("工作表“{}”缺少“{}”一列。", sheet.name, column.0),
                    format!("the sheet {:?} has no column {:?}", sheet.name, column.0),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut register = Register::default();
    if let Some(sheet) = named(DEPARTMENTS_SHEET) {
        let [code, zh, en] = DEPARTMENT_COLUMNS.map(|c| find(sheet, c));
        for row in &sheet.rows {
            register.departments.push(RegisterDepartment {
                code: row.cell(code).to_string(),
                zh: row.cell(zh).to_string(),
                en: row.cell(en).to_string(),
            });
        }
    }
    let columns = PROJECT_COLUMNS.map(|c| find(projects_sheet, c));
    let start_year = find(projects_sheet, START_YEAR);
    let mut rows_of_projects: Vec<u32> = Vec::new();
    for row in &projects_sheet.rows {
        let text = |i: usize| row.cell(columns[i]).to_string();
        let steering_text = text(9);
        let steering = Steering::from_code(&steering_text).unwrap_or_else(|| {
            problems.push(Problem::new(
                cell_field(PROJECTS_SHEET, row.number, PROJECT_COLUMNS[9]),
                format!("统筹机构类型“{steering_text}”应为“领导小组”或“工作专班”。"),
                format!("the steering {steering_text:?} must be 领导小组 (leading_group) or 工作专班 (task_force)"),
            ));
            Steering::TaskForce
        });
        let year_text = row.cell(start_year);
        let start_year = year_text.parse::<i32>().unwrap_or_else(|_| {
            problems.push(Problem::new(
                cell_field(PROJECTS_SHEET, row.number, START_YEAR),
                format!("启动年份“{year_text}”不是年份。"),
                format!("the start year {year_text:?} is not a year"),
            ));
            super::register::FIRST_YEAR
        });
        let districts = districts_of(row, columns[13], context, &mut problems);
        register.projects.push(RegisteredProject {
            code: text(0),
            name_zh: text(1),
            name_en: text(2),
            summary_zh: text(3),
            summary_en: text(4),
            description_zh: text(5),
            description_en: text(6),
            leader_zh: text(7),
            leader_en: text(8),
            steering,
            steering_zh: text(10),
            steering_en: text(11),
            lead_department: text(12),
            participants: Vec::new(),
            districts,
            start_year,
        });
        rows_of_projects.push(row.number);
    }
    if let Some(sheet) = named(PARTICIPANTS_SHEET) {
        let [project, department, duty_zh, duty_en] = PARTICIPANT_COLUMNS.map(|c| find(sheet, c));
        for row in &sheet.rows {
            let code = row.cell(project);
            let Some(entry) = register.projects.iter_mut().find(|p| p.code == code) else {
                problems.push(Problem::new(
                    cell_field(PARTICIPANTS_SHEET, row.number, PARTICIPANT_COLUMNS[0]),
                    format!("项目代码“{code}”不在“{PROJECTS_SHEET}”工作表中。"),
                    format!("the project {code:?} is not on the sheet {PROJECTS_SHEET:?}"),
                ));
                continue;
            };
            entry.participants.push(Participant {
                department: row.cell(department).to_string(),
                duty_zh: row.cell(duty_zh).to_string(),
                duty_en: row.cell(duty_en).to_string(),
            });
        }
    }
    if let Err(found) = register.complete(context) {
        problems.extend(found.into_iter().map(|problem| {
            let field = sheet_field(&problem.field, &rows_of_projects, &register);
            Problem { field, ..problem }
        }));
    }
    if problems.is_empty() {
        Ok(register)
    } else {
        Err(problems)
    }
}

/// The districts a cell lists (codes or Chinese names; `全市` or `all` for every district).
fn districts_of(
    row: &SheetRow,
    column: Option<usize>,
    context: RegisterContext<'_>,
    problems: &mut Vec<Problem>,
) -> Vec<String> {
    let cell = row.cell(column);
    if cell == "全市" || cell == super::register::ALL_DISTRICTS {
        return vec![super::register::ALL_DISTRICTS.to_string()];
    }
    cell.split(|c: char| c == '、' || c == ',' || c == '，' || c == ';' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .filter_map(|part| {
            let found = context
                .districts
                .iter()
                .find(|d| d.code == part || d.zh == part);
            if found.is_none() {
                problems.push(Problem::new(
                    cell_field(PROJECTS_SHEET, row.number, PROJECT_COLUMNS[13]),
                    format!("“{part}”不是本市的区。"),
                    format!("{part:?} is not a district of the city"),
                ));
            }
            found.map(|d| d.code.clone())
        })
        .collect()
}

/// A register problem's field (`project[2].lead_department`) named by sheet, row and column.
fn sheet_field(field: &str, rows: &[u32], register: &Register) -> String {
    let Some(rest) = field.strip_prefix("project[") else {
        return field.replacen("department[", &format!("{DEPARTMENTS_SHEET}["), 1);
    };
    let Some((index, key)) = rest.split_once(']') else {
        return field.to_string();
    };
    let Ok(index) = index.parse::<usize>() else {
        return field.to_string();
    };
    let key = key.trim_start_matches('.');
    let row = rows.get(index).copied().unwrap_or(0);
    if key.starts_with("participant") {
        let code = register.projects.get(index).map_or("", |p| p.code.as_str());
        return format!("{PARTICIPANTS_SHEET}（项目{code}）.{key}");
    }
    let base = key.split('[').next().unwrap_or(key);
    match PROJECT_COLUMNS
        .iter()
        .chain(std::iter::once(&START_YEAR))
        .find(|c| c.1 == base)
    {
        Some(column) => cell_field(PROJECTS_SHEET, row, *column),
        None => format!("{PROJECTS_SHEET}!第{row}行.{key}"),
    }
}

/// The register as the three sheets [`register_from_sheets`] reads (headers in Chinese), for
/// export and as the template a city fills in.
pub fn register_to_sheets(register: &Register, context: RegisterContext<'_>) -> Vec<Sheet> {
    let header = |columns: &[Column]| columns.iter().map(|c| c.0.to_string()).collect();
    let numbered = |rows: Vec<Vec<String>>| {
        rows.into_iter()
            .enumerate()
            .map(|(i, cells)| SheetRow {
                number: i as u32 + 2,
                cells,
            })
            .collect()
    };
    let departments = Sheet {
        name: DEPARTMENTS_SHEET.into(),
        header: header(&DEPARTMENT_COLUMNS),
        rows: numbered(
            register
                .departments
                .iter()
                .map(|d| vec![d.code.clone(), d.zh.clone(), d.en.clone()])
                .collect(),
        ),
    };
    let everywhere = context.districts.len();
    let projects = Sheet {
        name: PROJECTS_SHEET.into(),
        header: PROJECT_COLUMNS
            .iter()
            .chain(std::iter::once(&START_YEAR))
            .map(|c| c.0.to_string())
            .collect(),
        rows: numbered(
            register
                .projects
                .iter()
                .map(|p| {
                    let districts = if p.districts.len() == everywhere && everywhere > 0 {
                        "全市".to_string()
                    } else {
                        p.districts
                            .iter()
                            .map(|code| {
                                context
                                    .districts
                                    .iter()
                                    .find(|d| &d.code == code)
                                    .map_or(code.clone(), |d| d.zh.clone())
                            })
                            .collect::<Vec<_>>()
                            .join("、")
                    };
                    vec![
                        p.code.clone(),
                        p.name_zh.clone(),
                        p.name_en.clone(),
                        p.summary_zh.clone(),
                        p.summary_en.clone(),
                        p.description_zh.clone(),
                        p.description_en.clone(),
                        p.leader_zh.clone(),
                        p.leader_en.clone(),
                        p.steering.names().0.to_string(),
                        p.steering_zh.clone(),
                        p.steering_en.clone(),
                        p.lead_department.clone(),
                        districts,
                        p.start_year.to_string(),
                    ]
                })
                .collect(),
        ),
    };
    let participants = Sheet {
        name: PARTICIPANTS_SHEET.into(),
        header: header(&PARTICIPANT_COLUMNS),
        rows: numbered(
            register
                .projects
                .iter()
                .flat_map(|p| {
                    p.participants.iter().map(|part| {
                        vec![
                            p.code.clone(),
                            part.department.clone(),
                            part.duty_zh.clone(),
                            part.duty_en.clone(),
                        ]
                    })
                })
                .collect(),
        ),
    };
    vec![departments, projects, participants]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Configuration;

    #[test]
    fn the_register_survives_the_round_trip_through_sheets() {
        let configuration = Configuration::defaults();
        let context = RegisterContext {
            districts: configuration.districts.entries(),
            departments: &[],
        };
        let register = Register::shanghai();
        let sheets = register_to_sheets(&register, context);
        assert_eq!(sheets[1].rows.len(), 16);
        let rural = &sheets[1].rows[11].cells;
        assert!(rural[13].starts_with("闵行区、宝山区"), "{rural:?}");
        assert_eq!(sheets[1].rows[3].cells[13], "全市");
        assert_eq!(register_from_sheets(&sheets, context).unwrap(), register);
    }

    #[test]
    fn a_sheets_problems_name_sheet_row_and_column() {
        let configuration = Configuration::defaults();
        let context = RegisterContext {
            districts: configuration.districts.entries(),
            departments: &[],
        };
        let mut sheets = register_to_sheets(&Register::shanghai(), context);
        sheets[1].rows[2].cells[12] = "nobody".into();
        sheets[1].rows[4].cells[13] = "黄浦区、火星区".into();
        sheets[1].rows[5].cells[14] = "二〇二〇".into();
        sheets[1].rows[6].cells[9] = "委员会".into();
        sheets[2].rows[0].cells[0] = "missing".into();
        let problems = register_from_sheets(&sheets, context).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "项目!第6行.实施区",
                "项目!第7行.启动年份",
                "项目!第8行.统筹机构类型",
                "配合部门!第2行.项目代码",
                "项目!第4行.牵头部门",
            ],
            "{problems:#?}"
        );
        assert!(problems[0].zh.contains("火星区"));
    }

    #[test]
    fn a_workbook_without_the_projects_sheet_or_a_column_is_refused_whole() {
        let configuration = Configuration::defaults();
        let context = RegisterContext {
            districts: configuration.districts.entries(),
            departments: &[],
        };
        let problems = register_from_sheets(&[], context).unwrap_err();
        assert_eq!(problems[0].field, "workbook");
        let mut sheets = register_to_sheets(&Register::shanghai(), context);
        sheets[1].header[12] = "主管".into();
        let problems = register_from_sheets(&sheets, context).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].zh.contains("牵头部门"));
    }
}
