//! Calendar dates for `expires`, without a time-zone database: expiry is decided per UTC day.

use dockguard_core::time::{civil_from_days, days_from_civil};
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A day of the proleptic Gregorian calendar (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Today in UTC.
    pub fn today() -> Date {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days((secs / 86_400) as i64)
    }

    /// Parses `YYYY-MM-DD`, or the date part of an RFC 3339 date-time
    /// (`2025-01-31T12:00:00Z`): expiry is a whole-day decision.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let date = text.get(..10)?;
        let rest = &text[10..];
        if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
            return None;
        }
        let b = date.as_bytes();
        if !date.is_ascii() || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = date[..4].parse().ok()?;
        let month: u8 = date[5..7].parse().ok()?;
        let day: u8 = date[8..10].parse().ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn to_days(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        )
    }

    /// Civil date of a day count since 1970-01-01.
    fn from_days(days: i64) -> Date {
        let (year, month, day) = civil_from_days(days);
        Date {
            year: year as i32,
            month: month as u8,
            day: day as u8,
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the timestamp shape security-report schemas ask for.
pub fn utc_timestamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let day = Date::from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{day}T{:02}:{:02}:{:02}",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_rejects_nonsense() {
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(
            Date::parse("2025-01-31T23:59:59Z").unwrap().to_string(),
            "2025-01-31"
        );
        for bad in [
            "2023-02-29",
            "2025-13-01",
            "2025-1-1",
            "tomorrow",
            "2025-01-01x",
            "é",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn day_counts_map_to_the_right_civil_dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(19_782).to_string(), "2024-02-29");
        assert_eq!(Date::from_days(-1).to_string(), "1969-12-31");
        for n in [-800_000, -1, 0, 59, 19_782, 2_932_896] {
            assert_eq!(Date::from_days(n).to_days(), n);
        }
        assert!(Date::today().year >= 2024);
        let t = UNIX_EPOCH + std::time::Duration::from_secs(19_782 * 86_400 + 3_725);
        assert_eq!(utc_timestamp(t), "2024-02-29T01:02:05");
    }
}
