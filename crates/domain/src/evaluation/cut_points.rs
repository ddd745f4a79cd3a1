//! How the quadrant split's two cut points are found: a setting of the evaluation, because the
//! paper's words (整体满意度中位数) admit more than one reading and a city may prefer standing
//! targets, so that "low" means the same from wave to wave.

use std::fmt;
use std::str::FromStr;

use minxin_survey_stats::order;
use serde::Serialize;

/// The rule of the cut points.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum CutPointRule {
    /// The median of the reliable projects' scores (the mean of the two middle ones for an
    /// even count): at least half the projects are high on each index.
    #[default]
    Median,
    /// The median of the respondent-level scores over every rating of the reliable projects
    /// (a rating's score on an index is the mean of its answered items of that index, as in
    /// the gap): the paper's 整体满意度中位数 read as the median of all respondents' scores.
    PooledMedian,
    /// The mean of the reliable projects' scores.
    Mean,
    /// Fixed targets, on 0–100: the city's standing targets.
    Fixed {
        /// The recognition target.
        recognition: f64,
        /// The satisfaction target.
        satisfaction: f64,
    },
}

/// Which index a cut point is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutIndex {
    /// Recognition (认可度).
    Recognition,
    /// Satisfaction (满意度).
    Satisfaction,
}

impl CutPointRule {
    /// The cut point of `index` for the reliable projects' `scores` (`None` without a project,
    /// except for fixed targets, which need none); `pooled` is the pooled median of the
    /// ratings' own scores, which only the tallies know.
    pub fn cut(&self, index: CutIndex, scores: &[f64], pooled: Option<f64>) -> Option<f64> {
        match self {
            CutPointRule::Median => order::median(scores),
            CutPointRule::PooledMedian => pooled,
            CutPointRule::Mean => {
                (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
            }
            CutPointRule::Fixed {
                recognition,
                satisfaction,
            } => Some(match index {
                CutIndex::Recognition => *recognition,
                CutIndex::Satisfaction => *satisfaction,
            }),
        }
    }

    /// The rule in words, for reports.
    pub fn describe_zh(&self) -> String {
        match self {
            CutPointRule::Median => "可靠工程得分的中位数".into(),
            CutPointRule::PooledMedian => "可靠工程全部评价的个人得分中位数".into(),
            CutPointRule::Mean => "可靠工程得分的平均数".into(),
            CutPointRule::Fixed {
                recognition,
                satisfaction,
            } => format!("固定目标值（认可度 {recognition}，满意度 {satisfaction}）"),
        }
    }

    /// The rule in words, for English reports.
    pub fn describe_en(&self) -> String {
        match self {
            CutPointRule::Median => "the median of the reliable projects' scores".into(),
            CutPointRule::PooledMedian => {
                "the median of the respondents' own scores over every rating of the reliable projects".into()
            }
            CutPointRule::Mean => "the mean of the reliable projects' scores".into(),
            CutPointRule::Fixed {
                recognition,
                satisfaction,
            } => format!("fixed targets (recognition {recognition}, satisfaction {satisfaction})"),
        }
    }
}

impl fmt::Display for CutPointRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CutPointRule::Median => f.write_str("median"),
            CutPointRule::PooledMedian => f.write_str("pooled-median"),
            CutPointRule::Mean => f.write_str("mean"),
            CutPointRule::Fixed {
                recognition,
                satisfaction,
            } => write!(f, "{recognition},{satisfaction}"),
        }
    }
}

impl FromStr for CutPointRule {
    type Err = String;

    /// `median`, `mean`, or fixed targets `R,S` (two scores from 0 to 100).
    fn from_str(text: &str) -> Result<CutPointRule, String> {
        match text.trim() {
            "median" => Ok(CutPointRule::Median),
            "pooled-median" => Ok(CutPointRule::PooledMedian),
            "mean" => Ok(CutPointRule::Mean),
            other => {
                let targets = other.split_once(',').and_then(|(r, s)| {
                    let r: f64 = r.trim().parse().ok()?;
                    let s: f64 = s.trim().parse().ok()?;
                    [r, s]
                        .iter()
                        .all(|v| (0.0..=100.0).contains(v))
                        .then_some((r, s))
                });
                match targets {
                    Some((recognition, satisfaction)) => Ok(CutPointRule::Fixed {
                        recognition,
                        satisfaction,
                    }),
                    None => Err(format!(
                        "unknown cut-point rule {other:?}: median, pooled-median, mean, or fixed \
                         targets R,S (two scores from 0 to 100, such as 70,65)"
                    )),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_cuts_as_it_says() {
        let scores = [40.0, 50.0, 60.0, 90.0];
        let cut = |rule: CutPointRule| rule.cut(CutIndex::Recognition, &scores, Some(47.5));
        assert_eq!(cut(CutPointRule::Median), Some(55.0));
        assert_eq!(cut(CutPointRule::Mean), Some(60.0));
        assert_eq!(cut(CutPointRule::PooledMedian), Some(47.5));
        let fixed = CutPointRule::Fixed {
            recognition: 70.0,
            satisfaction: 65.0,
        };
        assert_eq!(cut(fixed), Some(70.0));
        assert_eq!(fixed.cut(CutIndex::Satisfaction, &[], None), Some(65.0));
        assert_eq!(
            CutPointRule::Mean.cut(CutIndex::Satisfaction, &[], None),
            None
        );
    }

    #[test]
    fn rules_are_read_from_their_codes() {
        assert_eq!("median".parse(), Ok(CutPointRule::Median));
        assert_eq!(" mean ".parse(), Ok(CutPointRule::Mean));
        assert_eq!("pooled-median".parse(), Ok(CutPointRule::PooledMedian));
        assert_eq!(
            "70,65.5".parse(),
            Ok(CutPointRule::Fixed {
                recognition: 70.0,
                satisfaction: 65.5
            })
        );
        for bad in ["", "middle", "70", "70,", "101,50", "-1,50", "a,b"] {
            let error = bad.parse::<CutPointRule>().unwrap_err();
            assert!(error.contains("median, pooled-median"), "{bad:?}: {error}");
        }
        for rule in ["median", "pooled-median", "mean", "70,65.5"] {
            assert_eq!(rule.parse::<CutPointRule>().unwrap().to_string(), rule);
        }
    }
}
