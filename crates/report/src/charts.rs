//! The charts of a project page and of a wave comparison, as accessible SVG: a dimension
//! profile, a trend across waves with intervals, and the changes between two waves.

use std::fmt::Write;

use minxin_domain::config::{Index, Instrument};
use minxin_domain::evaluation::{IndexChange, ProjectEvaluation, WaveComparison};

use crate::svg::{
    chart_title, escape, index_legend, nice_domain, open_svg, text_width, vertical_grid, Scale,
    RECOGNITION_COLOUR, SATISFACTION_COLOUR,
};
use crate::Lang;

/// A point of a series: x position, value, and the interval's ends when known.
type SeriesPoint = (f64, f64, Option<(f64, f64)>);

/// One wave's result for one project, for a trend.
#[derive(Debug, Clone, Copy)]
pub struct TrendPoint<'a> {
    /// The wave's name.
    pub wave: &'a str,
    /// The project's evaluation in that wave.
    pub project: &'a ProjectEvaluation,
}

fn index_colour(index: Index) -> &'static str {
    match index {
        Index::Recognition => RECOGNITION_COLOUR,
        Index::Satisfaction => SATISFACTION_COLOUR,
    }
}

/// The project's score on each dimension as a horizontal bar on 0–100, coloured by index.
pub fn dimension_profile(
    project: &ProjectEvaluation,
    instrument: &Instrument,
    lang: Lang,
) -> String {
    let t = |zh, en| lang.pick(zh, en);
    let label_width = instrument
        .dimensions
        .iter()
        .map(|d| text_width(lang.pick(&d.zh, &d.en), 13.0))
        .fold(60.0, f64::max)
        + 16.0;
    let (width, row_height, top) = (label_width + 420.0, 26.0, 40.0);
    let height = top + row_height * instrument.dimensions.len() as f64 + 30.0;
    let scale = Scale {
        domain: (0.0, 100.0),
        range: (label_width, width - 56.0),
    };
    let title = t("维度得分", "Dimension profile");
    let description = instrument
        .dimensions
        .iter()
        .map(|d| {
            let value = project.dimensions.get(&d.code).copied().flatten();
            format!(
                "{}{}{}",
                lang.pick(&d.zh, &d.en),
                t("：", ": "),
                value.map_or("—".into(), |v| format!("{v:.1}"))
            )
        })
        .collect::<Vec<_>>()
        .join(t("；", "; "));
    let mut out = String::new();
    open_svg(
        &mut out,
        width,
        height,
        &format!("profile-{}", project.code),
        title,
        &description,
    );
    chart_title(&mut out, title);
    let bottom = top + row_height * instrument.dimensions.len() as f64;
    vertical_grid(&mut out, &scale, top, bottom);
    for (row, dimension) in instrument.dimensions.iter().enumerate() {
        let y = top + row_height * row as f64;
        let name = lang.pick(&dimension.zh, &dimension.en);
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_width - 8.0,
            y + 17.0,
            escape(name)
        );
        if let Some(value) = project.dimensions.get(&dimension.code).copied().flatten() {
            let x1 = scale.map(value);
            let _ = write!(
                out,
                "<rect x=\"{label_width:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"16\" fill=\"{}\"><title>{} {value:.1}</title></rect>\
                 <text x=\"{:.1}\" y=\"{:.1}\">{value:.1}</text>",
                y + 4.0,
                (x1 - label_width).max(0.5),
                index_colour(dimension.index),
                escape(name),
                x1 + 4.0,
                y + 17.0
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// The two indices of one project wave by wave, each with its interval as a whisker.
pub fn trend_chart(points: &[TrendPoint<'_>], lang: Lang) -> String {
    let t = |zh, en| lang.pick(zh, en);
    let (width, height) = (640.0, 320.0);
    let (left, right, top, bottom) = (48.0, 24.0, 56.0, 48.0);
    let values = points.iter().flat_map(|p| {
        let r = p.project.recognition_interval;
        let s = p.project.satisfaction_interval;
        [
            p.project.recognition,
            p.project.satisfaction,
            r.and_then(|i| i.ci_low),
            r.and_then(|i| i.ci_high),
            s.and_then(|i| i.ci_low),
            s.and_then(|i| i.ci_high),
        ]
        .into_iter()
        .flatten()
    });
    let y = Scale {
        domain: nice_domain(values),
        range: (height - bottom, top),
    };
    let step = (width - left - right) / points.len().max(1) as f64;
    let x = |k: usize| left + step * (k as f64 + 0.5);
    let title = t("历轮评价走势", "Trend across waves");
    let description = points
        .iter()
        .map(|p| {
            format!(
                "{}{}{} {}{}{} {}",
                p.wave,
                t("：", ": "),
                t("认可度", "recognition"),
                p.project
                    .recognition
                    .map_or("—".into(), |v| format!("{v:.1}")),
                t("，", ", "),
                t("满意度", "satisfaction"),
                p.project
                    .satisfaction
                    .map_or("—".into(), |v| format!("{v:.1}"))
            )
        })
        .collect::<Vec<_>>()
        .join(t("；", "; "));
    let mut out = String::new();
    open_svg(&mut out, width, height, "trend", title, &description);
    chart_title(&mut out, title);
    index_legend(&mut out, left, lang);
    for tick in y.ticks() {
        let py = y.map(tick);
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{py:.1}\" x2=\"{:.1}\" y2=\"{py:.1}\" stroke=\"#dddddd\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#444444\">{tick:.0}</text>",
            width - right,
            left - 6.0,
            py + 4.0
        );
    }
    for (k, point) in points.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x(k),
            height - bottom + 18.0,
            escape(point.wave)
        );
    }
    for (index, offset) in [(Index::Recognition, -5.0), (Index::Satisfaction, 5.0)] {
        let colour = index_colour(index);
        let series: Vec<SeriesPoint> = points
            .iter()
            .enumerate()
            .filter_map(|(k, p)| {
                let (value, interval) = match index {
                    Index::Recognition => (p.project.recognition, p.project.recognition_interval),
                    Index::Satisfaction => {
                        (p.project.satisfaction, p.project.satisfaction_interval)
                    }
                };
                let whisker = interval.and_then(|i| Some((i.ci_low?, i.ci_high?)));
                Some((x(k) + offset, value?, whisker))
            })
            .collect();
        let path: Vec<String> = series
            .iter()
            .map(|(px, value, _)| format!("{px:.1},{:.1}", y.map(*value)))
            .collect();
        if path.len() > 1 {
            let _ = write!(
                out,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                path.join(" ")
            );
        }
        for (px, value, whisker) in &series {
            let py = y.map(*value);
            if let Some((low, high)) = whisker {
                let _ = write!(
                    out,
                    "<line x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"{colour}\"/>",
                    y.map(*low),
                    y.map(*high)
                );
            }
            let marker = match index {
                Index::Recognition => {
                    format!("<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"5\" fill=\"{colour}\">")
                }
                Index::Satisfaction => format!(
                    "<path d=\"M{px:.1} {:.1} l5 5 l-5 5 l-5 -5 z\" fill=\"{colour}\">",
                    py - 5.0
                ),
            };
            let closing = match index {
                Index::Recognition => "</circle>",
                Index::Satisfaction => "</path>",
            };
            let _ = write!(out, "{marker}<title>{value:.1}</title>{closing}");
        }
    }
    out.push_str("</svg>");
    out
}

/// Per project, the change of each index between the two waves with its interval, around a
/// line at zero (a forest plot).
pub fn change_chart(comparison: &WaveComparison, lang: Lang) -> String {
    let t = |zh, en| lang.pick(zh, en);
    let name = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let label_width = comparison
        .projects
        .iter()
        .map(|p| text_width(&name(&p.name_zh, &p.name_en), 13.0))
        .fold(80.0, f64::max)
        + 16.0;
    let (width, row_height, top) = (label_width + 460.0, 28.0, 56.0);
    let height = top + row_height * comparison.projects.len().max(1) as f64 + 40.0;
    let changes = |c: &IndexChange| [Some(c.change), c.ci_low, c.ci_high];
    let extent = comparison
        .projects
        .iter()
        .flat_map(|p| p.recognition.iter().chain(p.satisfaction.iter()))
        .flat_map(changes)
        .flatten()
        .fold(5.0_f64, |m, v| m.max(v.abs()));
    let extent = (extent / 5.0).ceil() * 5.0;
    let scale = Scale {
        domain: (-extent, extent),
        range: (label_width, width - 24.0),
    };
    let title = t("各项工程指数变化", "Change of each index by project");
    let describe = |c: &Option<IndexChange>| {
        c.as_ref()
            .map_or("—".into(), |c| format!("{:+.1}", c.change))
    };
    let description = comparison
        .projects
        .iter()
        .map(|p| {
            format!(
                "{}{}{} {}{}{} {}",
                name(&p.name_zh, &p.name_en),
                t("：", ": "),
                t("认可度", "recognition"),
                describe(&p.recognition),
                t("，", ", "),
                t("满意度", "satisfaction"),
                describe(&p.satisfaction)
            )
        })
        .collect::<Vec<_>>()
        .join(t("；", "; "));
    let mut out = String::new();
    open_svg(&mut out, width, height, "changes", title, &description);
    chart_title(&mut out, title);
    index_legend(&mut out, label_width, lang);
    let bottom = top + row_height * comparison.projects.len() as f64;
    let step = if extent > 20.0 { 10.0 } else { 5.0 };
    let mut tick = -extent;
    while tick <= extent + 1e-9 {
        let x = scale.map(tick);
        let stroke = if tick == 0.0 { "#333333" } else { "#dddddd" };
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{bottom}\" stroke=\"{stroke}\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444444\">{tick:+.0}</text>",
            bottom + 16.0
        );
        tick += step;
    }
    for (row, project) in comparison.projects.iter().enumerate() {
        let y = top + row_height * row as f64;
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label_width - 8.0,
            y + 18.0,
            escape(&name(&project.name_zh, &project.name_en))
        );
        for (index, change, dy) in [
            (Index::Recognition, &project.recognition, 9.0),
            (Index::Satisfaction, &project.satisfaction, 19.0),
        ] {
            let Some(change) = change else { continue };
            let colour = index_colour(index);
            let py = y + dy;
            if let (Some(low), Some(high)) = (change.ci_low, change.ci_high) {
                let _ = write!(
                    out,
                    "<line x1=\"{:.1}\" y1=\"{py:.1}\" x2=\"{:.1}\" y2=\"{py:.1}\" stroke=\"{colour}\" stroke-width=\"2\"/>",
                    scale.map(low),
                    scale.map(high)
                );
            }
            let px = scale.map(change.change);
            let label = format!("{:+.1}", change.change);
            match index {
                Index::Recognition => {
                    let _ = write!(out, "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"4\" fill=\"{colour}\"><title>{label}</title></circle>");
                }
                Index::Satisfaction => {
                    let _ = write!(out, "<path d=\"M{px:.1} {:.1} l4 4 l-4 4 l-4 -4 z\" fill=\"{colour}\"><title>{label}</title></path>", py - 4.0);
                }
            }
        }
    }
    out.push_str("</svg>");
    out
}
