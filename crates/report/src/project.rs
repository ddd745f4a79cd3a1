//! The sections of a project page: headline scores with intervals, the dimension profile, the
//! item table, the district breakdown (small cells suppressed) and the trend across waves.

use std::fmt::Write;

use minxin_domain::config::Instrument;
use minxin_domain::evaluation::{DistrictCell, IndexInterval, ProjectEvaluation};

use crate::charts::{dimension_profile, trend_chart, TrendPoint};
use crate::html::{cells, interval, table_end, table_start};
use crate::svg::escape;
use crate::{score, Lang};

fn with_interval(value: Option<f64>, interval_of: Option<IndexInterval>) -> String {
    match (
        value,
        interval_of.and_then(|i| Some((i.ci_low?, i.ci_high?))),
    ) {
        (Some(v), Some((low, high))) => format!("{v:.1} ({low:.1} – {high:.1})"),
        (value, _) => score(value),
    }
}

/// Everything below the project's title. `districts` is its breakdown in this wave, `trend`
/// its results wave by wave (oldest first, this wave included), `minimum_cell` the
/// suppression threshold of the breakdown.
/// A rank in brackets, as each language writes it: （排名 3） or (rank 3).
fn rank(rank: Option<usize>, lang: Lang) -> String {
    let rank = rank.map_or("—".into(), |r| r.to_string());
    match lang {
        Lang::Zh => format!("（排名 {rank}）"),
        Lang::En => format!("(rank {rank})"),
    }
}

pub fn render_project_body(
    project: &ProjectEvaluation,
    instrument: &Instrument,
    districts: &[DistrictCell],
    minimum_cell: u64,
    trend: &[TrendPoint<'_>],
    lang: Lang,
) -> String {
    let t = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    let quadrant = project.quadrant.map_or_else(
        || t("无（样本不足）", "none (too few respondents)").to_string(),
        |q| {
            format!(
                "{} {} — {}",
                q.code(),
                lang.quadrant_name(q),
                lang.strategy(q)
            )
        },
    );
    let _ = write!(
        out,
        "<p>{} <strong>{}</strong> · {} <strong>{}</strong> {} · {} <strong>{}</strong> {}</p><p>{} {}</p><p>{} {}{}</p>",
        escape(t("受访者", "Respondents")),
        project.n,
        escape(t("认可度", "Recognition")),
        with_interval(project.recognition, project.recognition_interval),
        escape(&rank(project.rank_recognition, lang)),
        escape(t("满意度", "Satisfaction")),
        with_interval(project.satisfaction, project.satisfaction_interval),
        escape(&rank(project.rank_satisfaction, lang)),
        escape(t("象限", "Quadrant")),
        escape(&quadrant),
        escape(t("认可−满意差距", "Recognition − satisfaction gap")),
        with_interval(
            project.gap.mean,
            Some(IndexInterval {
                se: project.gap.se,
                ci_low: project.gap.ci_low,
                ci_high: project.gap.ci_high
            })
        ),
        if project.gap.notable {
            format!(" <strong class=\"notable\">{}</strong>", escape(t("显著", "notable")))
        } else {
            String::new()
        },
    );
    let _ = write!(
        out,
        "<h2>{}</h2><figure>{}</figure>",
        escape(t("维度得分", "Dimension profile")),
        dimension_profile(project, instrument, lang)
    );

    let _ = write!(out, "<h2>{}</h2>", escape(t("指标明细", "Items")));
    table_start(
        &mut out,
        t(
            "各指标得分（0–100）及 95% 置信区间",
            "Item scores (0–100) with 95% intervals",
        ),
        &[
            (t("指标", "Item"), false),
            (t("维度", "Dimension"), false),
            ("n", true),
            (t("不了解", "Don't know"), true),
            (t("均值", "Mean"), true),
            (t("标准差", "SD"), true),
            (t("置信区间", "Interval"), false),
        ],
    );
    for dimension in &instrument.dimensions {
        for item in &dimension.items {
            let Some(statistics) = project.items.get(&item.code) else {
                continue;
            };
            cells(
                &mut out,
                &[
                    (lang.pick(&item.zh, &item.en).to_string(), false),
                    (lang.pick(&dimension.zh, &dimension.en).to_string(), false),
                    (statistics.n.to_string(), true),
                    (statistics.dont_know.to_string(), true),
                    (score(statistics.mean), true),
                    (score(statistics.sd), true),
                    (interval(statistics.ci_low, statistics.ci_high), false),
                ],
            );
        }
    }
    table_end(&mut out);

    let _ = write!(out, "<h2>{}</h2>", escape(t("分区结果", "By district")));
    let caption = match lang {
        Lang::Zh => format!("受访者少于 {minimum_cell} 人的区不显示（若仅一个区不显示，则人数次少的区一并不显示）"),
        Lang::En => format!("Districts with fewer than {minimum_cell} respondents are not shown (when only one would be hidden, the next smallest is hidden too)"),
    };
    table_start(
        &mut out,
        &caption,
        &[
            (t("区", "District"), false),
            ("n", true),
            (t("认可度", "Recognition"), true),
            (t("满意度", "Satisfaction"), true),
        ],
    );
    for cell in districts {
        let n = match (cell.suppressed, cell.n) {
            (true, _) => format!("<{minimum_cell}"),
            (false, Some(n)) => n.to_string(),
            (false, None) => "—".into(),
        };
        cells(
            &mut out,
            &[
                (lang.pick(&cell.zh, &cell.en).to_string(), false),
                (n, true),
                (score(cell.recognition), true),
                (score(cell.satisfaction), true),
            ],
        );
    }
    table_end(&mut out);

    let _ = write!(out, "<h2>{}</h2>", escape(t("历轮评价", "Across waves")));
    if trend.len() > 1 {
        let _ = write!(out, "<figure>{}</figure>", trend_chart(trend, lang));
    }
    table_start(
        &mut out,
        t(
            "各轮评价的认可度、满意度及 95% 置信区间",
            "Recognition and satisfaction with 95% intervals, wave by wave",
        ),
        &[
            (t("评价轮次", "Wave"), false),
            ("n", true),
            (t("认可度", "Recognition"), true),
            (t("满意度", "Satisfaction"), true),
            (t("象限", "Quadrant"), false),
        ],
    );
    for point in trend {
        cells(
            &mut out,
            &[
                (point.wave.to_string(), false),
                (point.project.n.to_string(), true),
                (
                    with_interval(
                        point.project.recognition,
                        point.project.recognition_interval,
                    ),
                    true,
                ),
                (
                    with_interval(
                        point.project.satisfaction,
                        point.project.satisfaction_interval,
                    ),
                    true,
                ),
                (
                    point
                        .project
                        .quadrant
                        .map_or("—".into(), |q| q.code().to_string()),
                    false,
                ),
            ],
        );
    }
    table_end(&mut out);
    out
}
