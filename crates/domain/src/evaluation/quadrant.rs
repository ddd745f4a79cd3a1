//! The four quadrants of the median split and the strategy the paper gives for each.

use serde::{Deserialize, Serialize};

/// Where a project stands against the two cut points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Quadrant {
    /// High recognition, high satisfaction.
    HH,
    /// High recognition, low satisfaction.
    HL,
    /// Low recognition, high satisfaction.
    LH,
    /// Low recognition, low satisfaction.
    LL,
}

impl Quadrant {
    /// All four, in the order the reports list them.
    pub const ALL: [Quadrant; 4] = [Quadrant::HH, Quadrant::HL, Quadrant::LH, Quadrant::LL];

    /// The quadrant of a project: high on an index means a score at or above its cut point.
    pub fn classify(
        recognition: f64,
        satisfaction: f64,
        cut_recognition: f64,
        cut_satisfaction: f64,
    ) -> Quadrant {
        match (
            recognition >= cut_recognition,
            satisfaction >= cut_satisfaction,
        ) {
            (true, true) => Quadrant::HH,
            (true, false) => Quadrant::HL,
            (false, true) => Quadrant::LH,
            (false, false) => Quadrant::LL,
        }
    }

    /// "HH", "HL", "LH" or "LL".
    pub fn code(self) -> &'static str {
        match self {
            Quadrant::HH => "HH",
            Quadrant::HL => "HL",
            Quadrant::LH => "LH",
            Quadrant::LL => "LL",
        }
    }

    /// The quadrant's name in Chinese, as in the paper's Figure 2.
    pub fn name_zh(self) -> &'static str {
        match self {
            Quadrant::HH => "高认可度—高满意度",
            Quadrant::HL => "高认可度—低满意度",
            Quadrant::LH => "低认可度—高满意度",
            Quadrant::LL => "低认可度—低满意度",
        }
    }

    /// The quadrant's name in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Quadrant::HH => "High recognition, high satisfaction",
            Quadrant::HL => "High recognition, low satisfaction",
            Quadrant::LH => "Low recognition, high satisfaction",
            Quadrant::LL => "Low recognition, low satisfaction",
        }
    }

    /// The paper's strategy for the quadrant, in Chinese.
    pub fn strategy_zh(self) -> &'static str {
        match self {
            Quadrant::HH => "贴近民众生活且完成度较高：精细化加工，打造精品工程乃至品牌工程。",
            Quadrant::HL => "需求高但民众并不满意：亟须提升。",
            Quadrant::LH => "推进较好但紧迫性不足：重心放在维持现有成果上，提升的优先度可稍缓。",
            Quadrant::LL => {
                "受众面较窄或宣传配套不到位：综合评判是否需要加大力度持续改进，以及如何改进。"
            }
        }
    }

    /// The paper's strategy for the quadrant, in English.
    pub fn strategy_en(self) -> &'static str {
        match self {
            Quadrant::HH => "Close to daily life and well delivered: refine into flagship and brand projects.",
            Quadrant::HL => "Much needed but citizens are not satisfied: most urgent to improve.",
            Quadrant::LH => "Going well but less pressing: keep the results; improving them can wait.",
            Quadrant::LL => "Narrow audience or weak publicity and support: evaluate comprehensively whether and how to improve.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_at_the_cut_point_count_as_high() {
        assert_eq!(Quadrant::classify(50.0, 50.0, 50.0, 50.0), Quadrant::HH);
        assert_eq!(Quadrant::classify(50.0, 49.9, 50.0, 50.0), Quadrant::HL);
        assert_eq!(Quadrant::classify(49.9, 50.0, 50.0, 50.0), Quadrant::LH);
        assert_eq!(Quadrant::classify(49.9, 49.9, 50.0, 50.0), Quadrant::LL);
    }
}
