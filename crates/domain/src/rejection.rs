//! Why a row of a response file was rejected, naming the row and the column.

use std::fmt;

/// The reason a single row cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectionReason {
    /// The row has another number of fields than the header.
    WrongColumnCount {
        /// Columns in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A field is not valid UTF-8 text.
    NotUtf8,
    /// A required field is empty.
    Empty,
    /// A field is longer than allowed.
    TooLong {
        /// The limit, in bytes.
        limit: usize,
    },
    /// A project code that the catalogue does not list.
    UnknownProject(String),
    /// A code that the column's code list does not have.
    UnknownCode {
        /// The value as written.
        value: String,
        /// The allowed codes.
        allowed: String,
    },
    /// An answer that is not a whole number.
    AnswerNotInteger(String),
    /// An answer outside `1..=levels`.
    AnswerOutOfRange {
        /// The answer as written.
        value: String,
        /// The number of levels of the scale.
        levels: u32,
    },
    /// An age that is not a whole number.
    AgeNotInteger(String),
    /// An age outside the accepted range.
    AgeOutOfRange(String),
    /// The respondent already rated this project in this wave.
    DuplicateRespondentProject {
        /// The respondent.
        respondent: String,
        /// The project.
        project: String,
        /// The row where the respondent first appeared.
        first_row: u64,
    },
    /// The respondent's profile differs from an earlier row of the same respondent.
    InconsistentProfile {
        /// The respondent.
        respondent: String,
        /// The row where the respondent first appeared.
        first_row: u64,
    },
}

/// A rejected row: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Row number in the file, the header being row 1.
    pub row: u64,
    /// The column at fault, when one is.
    pub column: Option<String>,
    /// What is wrong.
    pub reason: RejectionReason,
}

/// Accepted ages, in whole years.
pub const AGE_RANGE: std::ops::RangeInclusive<u32> = 10..=120;

impl fmt::Display for RejectionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectionReason::WrongColumnCount { expected, found } => {
                write!(
                    f,
                    "the row has {found} fields but the header has {expected} columns"
                )
            }
            RejectionReason::NotUtf8 => write!(f, "the value is not valid UTF-8 text"),
            RejectionReason::Empty => write!(f, "the value is required but empty"),
            RejectionReason::TooLong { limit } => {
                write!(f, "the value is longer than {limit} bytes")
            }
            RejectionReason::UnknownProject(code) => {
                write!(f, "unknown project {code:?} (not in the project catalogue)")
            }
            RejectionReason::UnknownCode { value, allowed } => {
                write!(f, "unknown code {value:?} (allowed: {allowed}, or empty)")
            }
            RejectionReason::AnswerNotInteger(value) => {
                write!(f, "answer {value:?} is not a whole number (leave the cell empty for \"don't know\")")
            }
            RejectionReason::AnswerOutOfRange { value, levels } => {
                write!(f, "answer {value} is outside the scale 1..={levels}")
            }
            RejectionReason::AgeNotInteger(value) => {
                write!(f, "age {value:?} is not a whole number")
            }
            RejectionReason::AgeOutOfRange(value) => write!(
                f,
                "age {value} is outside {}..={}",
                AGE_RANGE.start(),
                AGE_RANGE.end()
            ),
            RejectionReason::DuplicateRespondentProject {
                respondent,
                project,
                first_row,
            } => write!(
                f,
                "respondent {respondent:?} already rated project {project:?} in this wave \
                 (respondent first seen at row {first_row})"
            ),
            RejectionReason::InconsistentProfile {
                respondent,
                first_row,
            } => write!(
                f,
                "respondent {respondent:?} has a different value here than at row {first_row}"
            ),
        }
    }
}

impl RejectionReason {
    /// The reason in Chinese, for the office that reads an import's result (the English of
    /// [`fmt::Display`] is for logs, the command line and the API).
    pub fn zh(&self) -> String {
        match self {
            RejectionReason::WrongColumnCount { expected, found } => {
                format!("这一行有 {found} 项，而表头有 {expected} 列。")
            }
            RejectionReason::NotUtf8 => "内容不是有效的 UTF-8 文字。".into(),
            RejectionReason::Empty => "必填项为空。".into(),
            RejectionReason::TooLong { limit } => format!("内容超过 {limit} 字节。"),
            RejectionReason::UnknownProject(code) => {
                format!("工程“{code}”不在工程目录中。")
            }
            RejectionReason::UnknownCode { value, allowed } => {
                format!("“{value}”不是可用的代码（可用：{allowed}，或留空）。")
            }
            RejectionReason::AnswerNotInteger(value) => {
                format!("答案“{value}”不是整数（“不知道”请留空）。")
            }
            RejectionReason::AnswerOutOfRange { value, levels } => {
                format!("答案 {value} 超出 1 至 {levels} 的范围。")
            }
            RejectionReason::AgeNotInteger(value) => format!("年龄“{value}”不是整数。"),
            RejectionReason::AgeOutOfRange(value) => format!(
                "年龄 {value} 不在 {} 至 {} 岁之间。",
                AGE_RANGE.start(),
                AGE_RANGE.end()
            ),
            RejectionReason::DuplicateRespondentProject {
                respondent,
                project,
                first_row,
            } => format!(
                "受访者“{respondent}”已评价过工程“{project}”（该受访者首次出现在第 {first_row} 行）。"
            ),
            RejectionReason::InconsistentProfile {
                respondent,
                first_row,
            } => format!("受访者“{respondent}”此处的信息与第 {first_row} 行不同。"),
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "row {}, column {column}: {}", self.row, self.reason),
            None => write!(f, "row {}: {}", self.row, self.reason),
        }
    }
}
