//! A target's progress curve as accessible SVG: the cumulative quantity planned by each
//! month's end (a dashed line) against the quantity achieved (a solid line with dots; a month
//! in which some part had not reported is left as a gap, never drawn as 0).

use std::fmt::Write;

use minxin_domain::advancement::curve::CurvePoint;

use crate::svg::{chart_title, escape, open_svg, Scale};
use crate::Lang;

/// The colour of the planned line.
const PLANNED_COLOUR: &str = "#767676";
/// The colour of the achieved line.
const ACHIEVED_COLOUR: &str = "#0b5cad";

/// A round upper bound for `value` (1, 2 or 5 times a power of ten), so that the axis reads
/// in round numbers.
fn round_up(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|bound| *bound >= value)
        .unwrap_or(10.0 * power)
}

/// The chart of `points` for the target `title`, quantities in `measure`; `id` makes its
/// title and description addressable on a page with several charts.
pub fn progress_chart(
    id: &str,
    title: &str,
    measure: &str,
    points: &[CurvePoint],
    lang: Lang,
) -> String {
    let t = |zh, en| lang.pick(zh, en);
    let (width, height) = (640.0, 300.0);
    let (left, right, top, bottom) = (64.0, 24.0, 56.0, 44.0);
    let highest = points
        .iter()
        .flat_map(|p| [Some(p.planned), p.achieved])
        .flatten()
        .fold(0.0, f64::max);
    let bound = round_up(highest);
    let y = Scale {
        domain: (0.0, bound),
        range: (height - bottom, top),
    };
    let step = (width - left - right) / 12.0;
    let x = |month: u8| left + step * (f64::from(month) - 0.5);
    let number = |v: f64| {
        if (v - v.round()).abs() < 1e-9 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    };
    let description = points
        .iter()
        .map(|p| {
            format!(
                "{}{}{}{measure}{}{}",
                p.month,
                t("：计划", ": planned "),
                number(p.planned),
                t("，完成", ", achieved "),
                p.achieved
                    .map_or(t("未报齐", "not all reported").to_string(), |v| {
                        format!("{}{measure}", number(v))
                    }),
            )
        })
        .collect::<Vec<_>>()
        .join(t("；", "; "));
    let mut out = String::new();
    open_svg(&mut out, width, height, id, title, &description);
    chart_title(&mut out, title);
    let _ = write!(
        out,
        "<line x1=\"{left}\" y1=\"40\" x2=\"{:.1}\" y2=\"40\" stroke=\"{PLANNED_COLOUR}\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\
         <text x=\"{:.1}\" y=\"44\">{}</text>\
         <line x1=\"{:.1}\" y1=\"40\" x2=\"{:.1}\" y2=\"40\" stroke=\"{ACHIEVED_COLOUR}\" stroke-width=\"2\"/>\
         <circle cx=\"{:.1}\" cy=\"40\" r=\"4\" fill=\"{ACHIEVED_COLOUR}\"/>\
         <text x=\"{:.1}\" y=\"44\">{}</text>",
        left + 24.0,
        left + 30.0,
        escape(t("按时序计划", "Planned, pro rata")),
        left + 150.0,
        left + 174.0,
        left + 162.0,
        left + 180.0,
        escape(t("实际完成（累计）", "Achieved (cumulative)")),
    );
    for k in 0..=4 {
        let tick = bound * f64::from(k) / 4.0;
        let py = y.map(tick);
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{py:.1}\" x2=\"{:.1}\" y2=\"{py:.1}\" stroke=\"#dddddd\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#444444\">{}</text>",
            width - right,
            left - 6.0,
            py + 4.0,
            number(tick)
        );
    }
    for month in 1..=12u8 {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444444\">{}</text>",
            x(month),
            height - bottom + 18.0,
            escape(&format!("{month}{}", t("月", "")))
        );
    }
    let planned: Vec<String> = points
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.month.month), y.map(p.planned)))
        .collect();
    if !planned.is_empty() {
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{PLANNED_COLOUR}\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
            planned.join(" ")
        );
    }
    // The achieved line, broken where a month is not fully reported.
    let mut run: Vec<String> = Vec::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    for point in points {
        match point.achieved {
            Some(value) => run.push(format!("{:.1},{:.1}", x(point.month.month), y.map(value))),
            None => runs.push(std::mem::take(&mut run)),
        }
    }
    runs.push(run);
    for run in runs.iter().filter(|run| run.len() > 1) {
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{ACHIEVED_COLOUR}\" stroke-width=\"2\"/>",
            run.join(" ")
        );
    }
    for point in points {
        if let Some(value) = point.achieved {
            let _ = write!(
                out,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{ACHIEVED_COLOUR}\"><title>{}{}</title></circle>",
                x(point.month.month),
                y.map(value),
                escape(&number(value)),
                escape(measure)
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use minxin_domain::advancement::progress::Month;

    #[test]
    fn the_chart_draws_the_plan_and_breaks_the_achieved_line_where_a_month_is_missing() {
        let point = |month: u8, planned: f64, achieved: Option<f64>| CurvePoint {
            month: Month { year: 2021, month },
            planned,
            achieved,
        };
        let points = [
            point(1, 10.0, Some(8.0)),
            point(2, 20.0, Some(18.0)),
            point(3, 30.0, None),
            point(4, 40.0, Some(41.0)),
            point(5, 50.0, Some(52.5)),
        ];
        let svg = progress_chart("t1", "加装电梯", "台", &points, Lang::Zh);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(
            svg.matches("<polyline").count(),
            3,
            "the plan and two runs achieved"
        );
        assert_eq!(
            svg.matches("<circle").count(),
            1 + 4,
            "the legend's dot and four months"
        );
        assert!(svg.contains("2021-03：计划30台，完成未报齐"), "{svg}");
        assert!(svg.contains("2021-04：计划40台，完成41台"), "{svg}");
        assert!(svg.contains(">100<"), "the axis rounds up to 100");
        assert_eq!(round_up(0.0), 1.0);
        assert_eq!(round_up(52.5), 100.0);
        assert_eq!(round_up(1200.0), 2000.0);
    }
}
