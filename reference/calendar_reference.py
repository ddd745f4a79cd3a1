"""Reference values for the working-day calendar (crates/domain/src/calendar.rs, tested in
crates/domain/tests/calendar_reference.rs), computed with the chinesecalendar package from
PyPI, an independent transcription of the State Council's holiday notices.

Not run in CI. Rerun by hand after adding a year's notice:
    pip install chinesecalendar==1.11.0
    python3 reference/calendar_reference.py > crates/domain/tests/fixtures/calendar-reference.json

Every day from 2018-01-01 to 2026-12-31 is classified (working day or not), and for a spread of
start dates the date 1, 5, 10 and 20 working days later is computed by counting forward.
"""
import datetime
import json

import chinese_calendar

first, last = datetime.date(2018, 1, 1), datetime.date(2026, 12, 31)
days = (last - first).days + 1
working = "".join(
    "1" if chinese_calendar.is_workday(first + datetime.timedelta(k)) else "0"
    for k in range(days)
)


def after(start, n):
    current = start
    while n > 0:
        current += datetime.timedelta(1)
        if chinese_calendar.is_workday(current):
            n -= 1
    return current


starts = [first + datetime.timedelta(k) for k in range(0, days - 40, 37)]
deadlines = [
    {"from": start.isoformat(), "working_days": n, "due": after(start, n).isoformat()}
    for start in starts
    for n in (1, 5, 10, 20)
]
print(json.dumps({
    "source": f"chinesecalendar {chinese_calendar.__version__}",
    "first": first.isoformat(),
    "working": working,
    "deadlines": deadlines,
}, indent=1))
