//! Moments as a reader expects them: in Beijing time, named as such, in the page's language.

use minxin_report::Lang;

use minxin_domain::platform::WaveStatus;
use minxin_domain::time::BeijingTime;

/// A moment to the minute: `2026年1月1日 08:00（北京时间）` or `2026-01-01 08:00 (Beijing time)`.
pub fn minute(ms: i64, lang: Lang) -> String {
    let t = BeijingTime::from_ms(ms);
    match lang {
        Lang::Zh => format!(
            "{}年{}月{}日 {:02}:{:02}（北京时间）",
            t.year, t.month, t.day, t.hour, t.minute
        ),
        Lang::En => format!(
            "{:04}-{:02}-{:02} {:02}:{:02} (Beijing time)",
            t.year, t.month, t.day, t.hour, t.minute
        ),
    }
}

/// A moment to the second, for the freshness of live figures.
pub fn second(ms: i64, lang: Lang) -> String {
    let t = BeijingTime::from_ms(ms);
    match lang {
        Lang::Zh => format!(
            "{}年{}月{}日 {:02}:{:02}:{:02}（北京时间）",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        ),
        Lang::En => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} (Beijing time)",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        ),
    }
}

/// A wave's status as its reader calls it.
pub fn wave_status(status: WaveStatus, lang: Lang) -> &'static str {
    match status {
        WaveStatus::Draft => lang.pick("筹备中", "draft"),
        WaveStatus::Open => lang.pick("进行中", "open"),
        WaveStatus::Closed => lang.pick("已结束", "closed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_shown_in_beijing_time() {
        assert_eq!(minute(0, Lang::Zh), "1970年1月1日 08:00（北京时间）");
        assert_eq!(
            minute(1_767_196_800_000, Lang::En),
            "2026-01-01 00:00 (Beijing time)"
        );
        assert_eq!(
            second(1_767_196_800_000 - 1000, Lang::Zh),
            "2025年12月31日 23:59:59（北京时间）"
        );
    }
}
