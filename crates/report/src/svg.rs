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
        .map(|(p, r, s)| match lang {
            Lang::Zh => format!("{} 认可度 {r:.1}，满意度 {s:.1}", lang.project_name(p)),
            Lang::En => format!(
                "{} recognition: {r:.1}, satisfaction: {s:.1}",
                lang.project_name(p)
            ),
        })
        .collect::<Vec<_>>()
        .join(t("；", "; "));
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

/// The mark of a quadrant: a shape of its own as well as a colour, so that the quadrants are
/// told apart in greyscale and by readers who do not see colours: HH a circle, HL a square, LH
/// a triangle, LL a diamond; a project without a quadrant a hollow circle.
pub(crate) fn quadrant_mark(quadrant: Option<Quadrant>, x: f64, y: f64, title: &str) -> String {
    let colour = quadrant_colour(quadrant);
    let title = escape(title);
    match quadrant {
        Some(Quadrant::HH) => format!(
            "<g class=\"mark\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5.5\" fill=\"{colour}\"/><title>{title}</title></g>"
        ),
        Some(Quadrant::HL) => format!(
            "<g class=\"mark\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><title>{title}</title></g>",
            x - 5.0,
            y - 5.0
        ),
        Some(Quadrant::LH) => format!(
            "<g class=\"mark\"><path d=\"M{x:.1} {:.1} l6 10.5 h-12 z\" fill=\"{colour}\"/><title>{title}</title></g>",
            y - 6.5
        ),
        Some(Quadrant::LL) => format!(
            "<g class=\"mark\"><path d=\"M{x:.1} {:.1} l6 6 l-6 6 l-6 -6 z\" fill=\"{colour}\"/><title>{title}</title></g>",
            y - 6.0
        ),
        None => format!(
            "<g class=\"mark\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"2\"/><title>{title}</title></g>"
        ),
    }
}

/// Where a point's label goes: beside the point (with a thin line to it when it had to move
/// away), or, where no free place is left, a number beside the point and the name in the key
/// under the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
enum LabelPlace {
    /// At (x, y), anchored `start` or `end`; `leader` when away from the point.
    Beside {
        x: f64,
        y: f64,
        end: bool,
        leader: bool,
    },
    /// Number `n` (from 1), at (x, y) when a free place is found near the point; the name
    /// and the point's values are in the key.
    Keyed { n: usize, at: Option<(f64, f64)> },
}

/// The label box of text `width` wide at (x, y), anchored at its end or start, for 12 px text.
fn label_box(x: f64, y: f64, width: f64, end: bool) -> Box2 {
    let x0 = if end { x - width } else { x };
    Box2 {
        x0,
        y0: y - 11.0,
        x1: x0 + width,
        y1: y + 2.0,
    }
}

/// Places one label of `width` for each of `points` inside `bounds` so that no label overlaps
/// another label, a point or a box of `taken`: first next to the point, then further away in
/// the same eight directions; failing that, a number in the key.
fn place_labels(
    points: &[(f64, f64)],
    widths: &[f64],
    mut taken: Vec<Box2>,
    bounds: Box2,
) -> Vec<LabelPlace> {
    for (px, py) in points {
        taken.push(Box2 {
            x0: px - 6.0,
            y0: py - 6.0,
            x1: px + 6.0,
            y1: py + 6.0,
        });
    }
    let inside =
        |b: &Box2| b.x0 >= bounds.x0 && b.x1 <= bounds.x1 && b.y0 >= bounds.y0 && b.y1 <= bounds.y1;
    let candidates = |px: f64, py: f64, w: f64, rings: &[f64]| {
        let mut list = Vec::new();
        for &away in rings {
            let d = 9.0 + away;
            list.extend(
                [
                    (px + d, py + 4.0, false),
                    (px - d, py + 4.0, true),
                    (px - w / 2.0, py - 10.0 - away, false),
                    (px - w / 2.0, py + 18.0 + away, false),
                    (px + d, py - 8.0 - away, false),
                    (px + d, py + 16.0 + away, false),
                    (px - d, py - 8.0 - away, true),
                    (px - d, py + 16.0 + away, true),
                ]
                .map(|(x, y, end)| (x, y, end, away > 0.0)),
            );
        }
        list
    };
    let mut keyed = 0;
    let mut places = Vec::with_capacity(points.len());
    for (&(px, py), &width) in points.iter().zip(widths) {
        let free = |x: f64, y: f64, w: f64, end: bool| {
            let b = label_box(x, y, w, end);
            inside(&b) && !taken.iter().any(|t| t.overlaps(&b))
        };
        let beside = candidates(px, py, width, &[0.0, 14.0, 30.0])
            .into_iter()
            .find(|&(x, y, end, _)| free(x, y, width, end));
        let place = match beside {
            Some((x, y, end, leader)) => {
                taken.push(label_box(x, y, width, end));
                LabelPlace::Beside { x, y, end, leader }
            }
            None => {
                keyed += 1;
                let number_width = text_width(&keyed.to_string(), 12.0);
                let at = candidates(px, py, number_width, &[0.0, 8.0, 16.0, 24.0, 36.0])
                    .into_iter()
                    .find(|&(x, y, end, _)| !end && free(x, y, number_width, false))
                    .map(|(x, y, _, _)| (x, y));
                if let Some((x, y)) = at {
                    taken.push(label_box(x, y, number_width, false));
                }
                LabelPlace::Keyed { n: keyed, at }
            }
        };
        places.push(place);
    }
    places
}

/// Figure 2: the quadrant scatter, recognition across and satisfaction up, with the two median
/// lines, a mark per project whose shape and colour give its quadrant, and a label at every
/// point that overlaps nothing (a crowded point is numbered and named in the key below).
pub fn figure2(evaluation: &Evaluation, lang: Lang) -> String {
    let projects = scored(evaluation);
    let t = |zh, en| lang.pick(zh, en);
    let (width, plot_height) = (720.0, 560.0);
    let (left, right, top, bottom) = (64.0, 24.0, 48.0, 56.0);
    let x = Scale {
        domain: nice_domain(projects.iter().map(|(_, r, _)| *r)),
        range: (left, width - right),
    };
    let y = Scale {
        domain: nice_domain(projects.iter().map(|(_, _, s)| *s)),
        range: (plot_height - bottom, top),
    };
    let (plot_left, plot_right, plot_top, plot_bottom) =
        (left, width - right, top, plot_height - bottom);
    let cuts = evaluation
        .cut_points
        .recognition
        .zip(evaluation.cut_points.satisfaction);
    // The quadrant names in the corners, which labels keep clear of.
    let corners: Vec<(Quadrant, f64, f64, bool, String)> = if cuts.is_some() {
        [
            (Quadrant::HH, plot_right - 6.0, plot_top + 28.0, true),
            (Quadrant::HL, plot_right - 6.0, plot_bottom - 8.0, true),
            (Quadrant::LH, plot_left + 6.0, plot_top + 28.0, false),
            (Quadrant::LL, plot_left + 6.0, plot_bottom - 8.0, false),
        ]
        .into_iter()
        .map(|(q, qx, qy, end)| {
            (
                q,
                qx,
                qy,
                end,
                format!("{} {}", q.code(), lang.quadrant_name(q)),
            )
        })
        .collect()
    } else {
        Vec::new()
    };
    // Each corner's name follows its mark (a shape 12 wide and a space).
    let taken: Vec<Box2> = corners
        .iter()
        .map(|(_, qx, qy, end, text)| label_box(*qx, *qy, text_width(text, 12.0) + 16.0, *end))
        .collect();
    let points: Vec<(f64, f64)> = projects
        .iter()
        .map(|(_, r, s)| (x.map(*r), y.map(*s)))
        .collect();
    let widths: Vec<f64> = projects
        .iter()
        .map(|(p, _, _)| text_width(lang.project_name(p), 12.0))
        .collect();
    let bounds = Box2 {
        x0: plot_left,
        y0: plot_top,
        x1: plot_right,
        y1: plot_bottom,
    };
    let places = place_labels(&points, &widths, taken, bounds);
    let key: Vec<String> = places
        .iter()
        .zip(&projects)
        .filter_map(|(place, (p, r, s))| match place {
            LabelPlace::Keyed { n, .. } => Some(format!(
                "{n} {}{}{r:.1}{}{s:.1}{}",
                lang.project_name(p),
                t("（", " ("),
                t("，", ", "),
                t("）", ")")
            )),
            LabelPlace::Beside { .. } => None,
        })
        .collect();
    let key_rows = key.len().div_ceil(2);
    let height = plot_height
        + if key.is_empty() {
            0.0
        } else {
            12.0 + 18.0 * key_rows as f64
        };

    let title = t(
        "图2 认可度—满意度四象限分布",
        "Figure 2. Recognition–satisfaction quadrants",
    );
    let description = projects
        .iter()
        .map(|(p, r, s)| {
            let quadrant = p.quadrant.map_or(
                t("无象限（样本不足）", "no quadrant (too few respondents)"),
                |q| q.code(),
            );
            match lang {
                Lang::Zh => format!("{}（{r:.1}，{s:.1}）{quadrant}", lang.project_name(p)),
                Lang::En => format!("{} ({r:.1}, {s:.1}) {quadrant}", lang.project_name(p)),
            }
        })
        .collect::<Vec<_>>()
        .join(t("；", "; "));
    let mut out = String::new();
    open_svg(&mut out, width, height, "figure2", title, &description);
    chart_title(&mut out, title);
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
        plot_height - 14.0,
        escape(t("认可度", "Recognition")),
        (plot_top + plot_bottom) / 2.0,
        escape(t("满意度", "Satisfaction"))
    );
    if let Some((cut_r, cut_s)) = cuts {
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
    }
    for (quadrant, qx, qy, end, text) in &corners {
        // The corner's mark at the plot's edge, its name inward: the key to the marks' shapes.
        let (mark_x, text_x) = if *end {
            (qx - 6.0, qx - 16.0)
        } else {
            (qx + 6.0, qx + 16.0)
        };
        out.push_str(&quadrant_mark(Some(*quadrant), mark_x, qy - 4.5, text));
        let _ = write!(
            out,
            "<text x=\"{text_x:.1}\" y=\"{qy:.1}\" text-anchor=\"{}\" font-size=\"12\" fill=\"{}\" font-weight=\"bold\">{}</text>",
            if *end { "end" } else { "start" },
            quadrant_colour(Some(*quadrant)),
            escape(text)
        );
    }
    for (((project, recognition, satisfaction), (px, py)), place) in
        projects.iter().zip(&points).zip(&places)
    {
        let name = lang.project_name(project);
        let quadrant = project
            .quadrant
            .map_or(t("无象限", "no quadrant"), |q| q.code());
        out.push_str(&quadrant_mark(
            project.quadrant,
            *px,
            *py,
            &format!(
                "{name}{}{recognition:.1}{}{satisfaction:.1}{}{quadrant}",
                t("（", " ("),
                t("，", ", "),
                t("）", ") ")
            ),
        ));
        match *place {
            LabelPlace::Beside { x, y, end, leader } => {
                if leader {
                    let toward = if end { x + 2.0 } else { x - 2.0 };
                    let _ = write!(
                        out,
                        "<line x1=\"{px:.1}\" y1=\"{py:.1}\" x2=\"{toward:.1}\" y2=\"{:.1}\" stroke=\"#888888\" stroke-width=\"0.8\"/>",
                        y - 4.0
                    );
                }
                let _ = write!(
                    out,
                    "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{}\" font-size=\"12\" fill=\"#111111\">{}</text>",
                    if end { "end" } else { "start" },
                    escape(name)
                );
            }
            LabelPlace::Keyed {
                n,
                at: Some((x, y)),
            } => {
                let _ = write!(
                    out,
                    "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"12\" font-weight=\"bold\" fill=\"#111111\">{n}</text>"
                );
            }
            LabelPlace::Keyed { at: None, .. } => {}
        }
    }
    for (k, entry) in key.iter().enumerate() {
        let (column, row) = (k % 2, k / 2);
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#111111\">{}</text>",
            plot_left + column as f64 * (width - plot_left) / 2.0,
            plot_height + 12.0 + 18.0 * row as f64 + 6.0,
            escape(entry)
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
    fn crowded_labels_never_overlap_and_the_rest_go_to_the_key() {
        let bounds = Box2 {
            x0: 0.0,
            y0: 0.0,
            x1: 400.0,
            y1: 300.0,
        };
        // Twelve points almost on top of each other, each with a long label, and one apart.
        let mut points: Vec<(f64, f64)> = (0..12)
            .map(|k| {
                (
                    200.0 + f64::from(k % 3) * 3.0,
                    150.0 + f64::from(k / 3) * 3.0,
                )
            })
            .collect();
        points.push((40.0, 40.0));
        let widths = vec![96.0; points.len()];
        let corner = Box2 {
            x0: 300.0,
            y0: 0.0,
            x1: 400.0,
            y1: 20.0,
        };
        let places = place_labels(&points, &widths, vec![corner], bounds);
        let mut boxes: Vec<Box2> = vec![corner];
        let mut keyed = Vec::new();
        for (place, (px, py)) in places.iter().zip(&points) {
            let placed = match *place {
                LabelPlace::Beside { x, y, end, .. } => label_box(x, y, 96.0, end),
                LabelPlace::Keyed { n, at } => {
                    keyed.push(n);
                    match at {
                        Some((x, y)) => label_box(x, y, text_width(&n.to_string(), 12.0), false),
                        None => continue,
                    }
                }
            };
            for (qx, qy) in &points {
                let mark = Box2 {
                    x0: qx - 6.0,
                    y0: qy - 6.0,
                    x1: qx + 6.0,
                    y1: qy + 6.0,
                };
                assert!(
                    !placed.overlaps(&mark),
                    "a label covers the point at ({qx}, {qy}) of ({px}, {py})"
                );
            }
            for other in &boxes {
                assert!(!placed.overlaps(other), "{placed:?} overlaps {other:?}");
            }
            boxes.push(placed);
        }
        // The lone point keeps its label beside it; the crowd fills the free places first.
        assert!(matches!(
            places[12],
            LabelPlace::Beside { leader: false, .. }
        ));
        assert!(
            places[..12]
                .iter()
                .filter(|p| matches!(p, LabelPlace::Beside { .. }))
                .count()
                >= 6
        );
        assert_eq!(
            keyed,
            (1..=keyed.len()).collect::<Vec<_>>(),
            "numbered in order"
        );
    }

    #[test]
    fn every_quadrant_has_a_shape_of_its_own() {
        let shapes: Vec<String> = [
            Some(Quadrant::HH),
            Some(Quadrant::HL),
            Some(Quadrant::LH),
            Some(Quadrant::LL),
            None,
        ]
        .into_iter()
        .map(|q| {
            let mark = quadrant_mark(q, 10.0, 10.0, "t");
            // The shape without its position and colour.
            let element = mark
                .split('<')
                .nth(2)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .to_string();
            let hollow = mark.contains("fill=\"#ffffff\"");
            let path = mark
                .split("d=\"")
                .nth(1)
                .map(|d| d.split(' ').skip(2).collect::<String>());
            format!("{element} {hollow} {path:?}")
        })
        .collect();
        let distinct: std::collections::BTreeSet<&String> = shapes.iter().collect();
        assert_eq!(distinct.len(), 5, "{shapes:?}");
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
