//! Figure 1 and Figure 2 as self-contained, accessible SVG (a title and a description for
//! screen readers; shapes as well as colours tell the series apart).

use std::fmt::Write;

use minxin_domain::evaluation::{Evaluation, ProjectEvaluation, Quadrant};
use unicode_width::UnicodeWidthStr;

use crate::{table::figure_order, Lang};

pub(crate) const RECOGNITION_COLOUR: &str = "#1f5fa8";
pub(crate) const SATISFACTION_COLOUR: &str = "#b34700";
const FONT: &str = "font-family=\"'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif\"";

/// Escapes text for XML and HTML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Approximate rendered width of `text` at `size` pixels: wide (CJK) characters a full em,
/// others a little over half.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if c.to_string().width() == 2 {
                size
            } else {
                0.58 * size
            }
        })
        .sum()
}

/// A linear scale from a data interval onto a pixel interval.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    pub(crate) domain: (f64, f64),
    pub(crate) range: (f64, f64),
}

impl Scale {
    pub(crate) fn map(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }

    pub(crate) fn ticks(&self) -> Vec<f64> {
        let (d0, d1) = self.domain;
        let step = if d1 - d0 > 40.0 {
            10.0
        } else if d1 - d0 > 15.0 {
            5.0
        } else {
            2.0
        };
        let mut tick = (d0 / step).ceil() * step;
        let mut ticks = Vec::new();
        while tick <= d1 + 1e-9 {
            ticks.push(tick);
            tick += step;
        }
        ticks
    }
}

/// A domain around `values` with a margin, on multiples of 5, within 0–100.
pub(crate) fn nice_domain(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if low > high {
        return (0.0, 100.0);
    }
    let low = (((low - 2.0) / 5.0).floor() * 5.0).max(0.0);
    let high = (((high + 2.0) / 5.0).ceil() * 5.0).min(100.0);
    if high - low < 10.0 {
        ((low - 5.0).max(0.0), (high + 5.0).min(100.0))
    } else {
        (low, high)
    }
}

fn scored(evaluation: &Evaluation) -> Vec<(&ProjectEvaluation, f64, f64)> {
    figure_order(evaluation)
        .into_iter()
        .filter_map(|p| Some((p, p.recognition?, p.satisfaction?)))
        .collect()
}

pub(crate) fn open_svg(
    out: &mut String,
    width: f64,
    height: f64,
    id: &str,
    title: &str,
    description: &str,
) {
    // Never drawn narrower than 91 % of its size, so that its smallest text (11) stays at
    // least 10 px; on a phone the chart scrolls inside its figure instead.
    let narrowest = (width * 0.91).ceil();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"100%\" style=\"max-width:{width:.0}px;min-width:{narrowest:.0}px\" \
         role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" {FONT} font-size=\"13\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        escape(title),
        escape(description)
    );
}

/// The chart's title, top left.
pub(crate) fn chart_title(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<text x=\"12\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{}</text>",
        escape(title)
    );
}

/// The legend of the two indices from `x` on: a circle for recognition, a diamond for
/// satisfaction (shapes as well as colours tell them apart).
pub(crate) fn index_legend(out: &mut String, x: f64, lang: Lang) {
    let _ = write!(
        out,
        "<circle cx=\"{x0:.1}\" cy=\"40\" r=\"6\" fill=\"{RECOGNITION_COLOUR}\"/><text x=\"{x1:.1}\" y=\"44\">{}</text>\
         <path d=\"M{x2:.1} 34 l6 6 l-6 6 l-6 -6 z\" fill=\"{SATISFACTION_COLOUR}\"/><text x=\"{x3:.1}\" y=\"44\">{}</text>",
        escape(lang.pick("认可度", "Recognition")),
        escape(lang.pick("满意度", "Satisfaction")),
        x0 = x,
        x1 = x + 10.0,
        x2 = x + 110.0,
        x3 = x + 120.0,
    );
}

/// Vertical grid lines at the scale's ticks from `top` to `bottom`, labelled below.
pub(crate) fn vertical_grid(out: &mut String, scale: &Scale, top: f64, bottom: f64) {
    for tick in scale.ticks() {
        let x = scale.map(tick);
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{bottom}\" stroke=\"#dddddd\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444444\">{tick:.0}</text>",
            bottom + 16.0
        );
    }
}

/// Figure 1: recognition (circles) and satisfaction (diamonds) of every scored project, one row
/// each, ordered by recognition, with the line between them showing the gap.
pub fn figure1(evaluation: &Evaluation, lang: Lang) -> String {
    let projects = scored(evaluation);
    let t = |zh, en| lang.pick(zh, en);
    let label_width = projects
        .iter()
        .map(|(p, _, _)| text_width(lang.project_name(p), 13.0))
        .fold(80.0, f64::max)
        + 16.0;
    let (width, row_height, top) = (label_width + 520.0, 24.0, 56.0);
    let height = top + row_height * projects.len().max(1) as f64 + 40.0;
    let scale = Scale {
        domain: nice_domain(projects.iter().flat_map(|(_, r, s)| [*r, *s])),
        range: (label_width, width - 24.0),
    };
    let mut out = String::new();
    let title = t(
        "图1 各项工程认可度与满意度",
        "Figure 1. Recognition and satisfaction by project",
    );
    let description = projects
        .iter()
        .map(|(p, r, s)| {
            format!(
                "{} {}: {r:.1}, {}: {s:.1}",
                lang.project_name(p),
                t("认可度", "recognition"),
                t("满意度", "satisfaction")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    open_svg(&mut out, width, height, "figure1", title, &description);
    chart_title(&mut out, title);
    index_legend(&mut out, label_width, lang);
    let bottom = top + row_height * projects.len() as f64;
    vertical_grid(&mut out, &scale, top, bottom);
    for (row, (project, recognition, satisfaction)) in projects.iter().enumerate() {
        let y = top + row_height * (row as f64 + 0.5);
        let (xr, xs) = (scale.map(*recognition), scale.map(*satisfaction));
        let weight = if project.gap.notable {
            "bold"
        } else {
            "normal"
        };
        let colour = if project.reliable {
            "#111111"
        } else {
            "#777777"
        };
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-weight=\"{weight}\" fill=\"{colour}\">{}</text>\
             <line x1=\"{xr:.1}\" y1=\"{y:.1}\" x2=\"{xs:.1}\" y2=\"{y:.1}\" stroke=\"#888888\" stroke-width=\"2\"/>\
             <circle cx=\"{xr:.1}\" cy=\"{y:.1}\" r=\"6\" fill=\"{RECOGNITION_COLOUR}\"><title>{}</title></circle>\
             <path d=\"M{xs:.1} {:.1} l6 6 l-6 6 l-6 -6 z\" fill=\"{SATISFACTION_COLOUR}\"><title>{}</title></path>",
            label_width - 10.0,
            y + 4.5,
            escape(lang.project_name(project)),
            escape(&format!("{} {recognition:.1}", t("认可度", "Recognition"))),
            y - 6.0,
            escape(&format!("{} {satisfaction:.1}", t("满意度", "Satisfaction"))),
        );
    }
    out.push_str("</svg>");
    out
}

/// A placed label's bounding box.
#[derive(Debug, Clone, Copy)]
struct Box2 {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Box2 {
    fn overlaps(&self, other: &Box2) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

pub(crate) fn quadrant_colour(quadrant: Option<Quadrant>) -> &'static str {
    match quadrant {
        Some(Quadrant::HH) => "#1b7a3a",
        Some(Quadrant::HL) => "#b3261e",
        Some(Quadrant::LH) => "#1f5fa8",
        Some(Quadrant::LL) => "#6b4c9a",
        None => "#777777",
    }
}

/// Figure 2: the quadrant scatter, recognition across and satisfaction up, with the two median
/// lines and a label at every point.
pub fn figure2(evaluation: &Evaluation, lang: Lang) -> String {
    let projects = scored(evaluation);
    let t = |zh, en| lang.pick(zh, en);
    let (width, height) = (720.0, 560.0);
    let (left, right, top, bottom) = (64.0, 24.0, 48.0, 56.0);
    let x = Scale {
        domain: nice_domain(projects.iter().map(|(_, r, _)| *r)),
        range: (left, width - right),
    };
    let y = Scale {
        domain: nice_domain(projects.iter().map(|(_, _, s)| *s)),
        range: (height - bottom, top),
    };
    let title = t(
        "图2 认可度—满意度四象限分布",
        "Figure 2. Recognition–satisfaction quadrants",
    );
    let description = projects
        .iter()
        .map(|(p, r, s)| {
            let quadrant = p.quadrant.map_or(
                t("无象限(样本不足)", "no quadrant (too few respondents)"),
                |q| q.code(),
            );
            format!("{} ({r:.1}, {s:.1}) {quadrant}", lang.project_name(p))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut out = String::new();
    open_svg(&mut out, width, height, "figure2", title, &description);
    chart_title(&mut out, title);
    let (plot_left, plot_right, plot_top, plot_bottom) =
        (left, width - right, top, height - bottom);
    let _ = write!(
        out,
        "<rect x=\"{plot_left}\" y=\"{plot_top}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#999999\"/>",
        plot_right - plot_left,
        plot_bottom - plot_top
    );
    for tick in x.ticks() {
        let px = x.map(tick);
        let _ = write!(out, "<text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#444444\">{tick:.0}</text>", plot_bottom + 16.0);
    }
    for tick in y.ticks() {
        let py = y.map(tick);
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#444444\">{tick:.0}</text>",
            plot_left - 6.0,
            py + 4.0
        );
    }
    let _ = write!(
        out,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
         <text transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
        (plot_left + plot_right) / 2.0,
        height - 14.0,
        escape(t("认可度", "Recognition")),
        (plot_top + plot_bottom) / 2.0,
        escape(t("满意度", "Satisfaction"))
    );
    let mut placed: Vec<Box2> = Vec::new();
    if let (Some(cut_r), Some(cut_s)) = (
        evaluation.cut_points.recognition,
        evaluation.cut_points.satisfaction,
    ) {
        let (cx, cy) = (x.map(cut_r), y.map(cut_s));
        let _ = write!(
            out,
            "<line x1=\"{cx:.1}\" y1=\"{plot_top}\" x2=\"{cx:.1}\" y2=\"{plot_bottom}\" stroke=\"#444444\" stroke-dasharray=\"6 4\"/>\
             <line x1=\"{plot_left}\" y1=\"{cy:.1}\" x2=\"{plot_right}\" y2=\"{cy:.1}\" stroke=\"#444444\" stroke-dasharray=\"6 4\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#444444\" font-size=\"11\">{} {cut_r:.1}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"#444444\" font-size=\"11\" text-anchor=\"end\">{} {cut_s:.1}</text>",
            cx + 4.0,
            plot_top + 12.0,
            escape(t("认可度中位数", "median recognition")),
            plot_right - 4.0,
            cy - 4.0,
            escape(t("满意度中位数", "median satisfaction")),
        );
        // Quadrant names in the corners.
        let corners = [
            (Quadrant::HH, plot_right - 6.0, plot_top + 28.0, "end"),
            (Quadrant::HL, plot_right - 6.0, plot_bottom - 8.0, "end"),
            (Quadrant::LH, plot_left + 6.0, plot_top + 28.0, "start"),
            (Quadrant::LL, plot_left + 6.0, plot_bottom - 8.0, "start"),
        ];
        for (quadrant, qx, qy, anchor) in corners {
            let text = format!("{} {}", quadrant.code(), lang.quadrant_name(quadrant));
            let w = text_width(&text, 12.0);
            let x0 = if anchor == "end" { qx - w } else { qx };
            placed.push(Box2 {
                x0,
                y0: qy - 12.0,
                x1: x0 + w,
                y1: qy + 2.0,
            });
            let _ = write!(
                out,
                "<text x=\"{qx:.1}\" y=\"{qy:.1}\" text-anchor=\"{anchor}\" font-size=\"12\" fill=\"{}\" font-weight=\"bold\">{}</text>",
                quadrant_colour(Some(quadrant)),
                escape(&text)
            );
        }
    }
    let points: Vec<(f64, f64)> = projects
        .iter()
        .map(|(_, r, s)| (x.map(*r), y.map(*s)))
        .collect();
    for (px, py) in &points {
        placed.push(Box2 {
            x0: px - 5.0,
            y0: py - 5.0,
            x1: px + 5.0,
            y1: py + 5.0,
        });
    }
    for ((project, recognition, satisfaction), (px, py)) in projects.iter().zip(&points) {
        let colour = quadrant_colour(project.quadrant);
        let _ = write!(
            out,
            "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"5\" fill=\"{colour}\"><title>{}</title></circle>",
            escape(&format!("{} ({recognition:.1}, {satisfaction:.1})", lang.project_name(project)))
        );
        let label = lang.project_name(project);
        let w = text_width(label, 12.0);
        let candidates = [
            (px + 8.0, py + 4.0, "start"),
            (px - 8.0, py + 4.0, "end"),
            (px - w / 2.0, py - 9.0, "start"),
            (px - w / 2.0, py + 17.0, "start"),
            (px + 8.0, py - 8.0, "start"),
            (px + 8.0, py + 16.0, "start"),
            (px - 8.0, py - 8.0, "end"),
            (px - 8.0, py + 16.0, "end"),
        ];
        let boxed = |(lx, ly, anchor): (f64, f64, &str)| {
            let x0 = if anchor == "end" { lx - w } else { lx };
            Box2 {
                x0,
                y0: ly - 11.0,
                x1: x0 + w,
                y1: ly + 2.0,
            }
        };
        let inside = |b: &Box2| {
            b.x0 >= plot_left && b.x1 <= plot_right && b.y0 >= plot_top && b.y1 <= plot_bottom
        };
        let choice = candidates
            .iter()
            .copied()
            .find(|c| {
                let b = boxed(*c);
                inside(&b) && !placed.iter().any(|p| p.overlaps(&b))
            })
            .or_else(|| candidates.iter().copied().find(|c| inside(&boxed(*c))))
            .unwrap_or(candidates[0]);
        placed.push(boxed(choice));
        let (lx, ly, anchor) = choice;
        let _ = write!(
            out,
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\" font-size=\"12\" fill=\"#111111\">{}</text>",
            escape(label)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn nice_domains_include_the_values() {
        assert_eq!(nice_domain([68.8, 80.4].into_iter()), (65.0, 85.0));
        assert_eq!(nice_domain([0.5, 99.0].into_iter()), (0.0, 100.0));
        assert_eq!(nice_domain(std::iter::empty()), (0.0, 100.0));
    }

    #[test]
    fn overlapping_boxes_are_detected() {
        let a = Box2 {
            x0: 0.0,
            y0: 0.0,
            x1: 10.0,
            y1: 10.0,
        };
        assert!(a.overlaps(&Box2 {
            x0: 5.0,
            y0: 5.0,
            x1: 15.0,
            y1: 15.0
        }));
        assert!(!a.overlaps(&Box2 {
            x0: 10.0,
            y0: 0.0,
            x1: 20.0,
            y1: 10.0
        }));
    }
}
