"""Calendar of one year for the generator: festivals, seasonality, themes (日历与季节性).

Lunar festivals (春节, 七夕, 中秋) move every year; their dates for the years
the generator supports are listed here (from the Chinese calendar), so no
lunar-calendar dependency is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from nmops._validation import NmopsInputError

#: year -> (春节 Spring Festival, 七夕 Qixi, 中秋 Mid-Autumn), Gregorian dates.
LUNAR_FESTIVALS: dict[int, tuple[date, date, date]] = {
    2020: (date(2020, 1, 25), date(2020, 8, 25), date(2020, 10, 1)),
    2021: (date(2021, 2, 12), date(2021, 8, 14), date(2021, 9, 21)),
    2022: (date(2022, 2, 1), date(2022, 8, 4), date(2022, 9, 10)),
    2023: (date(2023, 1, 22), date(2023, 8, 22), date(2023, 9, 29)),
    2024: (date(2024, 2, 10), date(2024, 8, 10), date(2024, 9, 17)),
    2025: (date(2025, 1, 29), date(2025, 8, 29), date(2025, 10, 6)),
    2026: (date(2026, 2, 17), date(2026, 8, 19), date(2026, 9, 25)),
    2027: (date(2027, 2, 6), date(2027, 8, 8), date(2027, 9, 15)),
    2028: (date(2028, 1, 26), date(2028, 8, 26), date(2028, 10, 3)),
    2029: (date(2029, 2, 13), date(2029, 8, 16), date(2029, 9, 22)),
    2030: (date(2030, 2, 3), date(2030, 8, 5), date(2030, 9, 12)),
}

MIN_YEAR = min(LUNAR_FESTIVALS)
MAX_YEAR = max(LUNAR_FESTIVALS)


@dataclass(frozen=True)
class Calendar:
    """Day-level seasonality of one year (index 0 = 1 January)."""

    year: int
    days: pd.DatetimeIndex
    festivals: dict[str, date]
    post_factor: np.ndarray  # how much the team posts (春节 holiday: little)
    attention: np.ndarray  # how much audiences read
    demand: np.ndarray  # how much people buy
    theme: np.ndarray  # content theme slug per day (utm_campaign of ordinary posts)
    festive: np.ndarray  # bool: inside a festival window

    @property
    def n(self) -> int:
        """Number of days in the year."""
        return len(self.days)

    def index(self, d: date) -> int:
        """Day index of ``d`` (clipped into the year)."""
        i = (pd.Timestamp(d) - self.days[0]).days
        return int(min(max(i, 0), self.n - 1))


def check_year(year: int) -> int:
    """Return ``year`` if the generator knows its festivals, else raise in Chinese."""
    if not isinstance(year, (int, np.integer)) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise NmopsInputError(
            f"年份必须是 {MIN_YEAR}–{MAX_YEAR} 之间的整数（收到 {year!r}），因为春节、七夕、中秋的日期只收录了这些年。"
            f" / year must be an integer from {MIN_YEAR} to {MAX_YEAR} (got {year!r}): lunar festival dates are listed only for those years."
        )
    return int(year)


def build_calendar(year: int) -> Calendar:
    """Build the seasonality arrays of ``year``."""
    year = check_year(year)
    spring, qixi, mid_autumn = LUNAR_FESTIVALS[year]
    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    n = len(days)
    fest = {
        "spring_festival": spring,
        "valentine": date(year, 2, 14),
        "love520": date(year, 5, 20),
        "qixi": qixi,
        "mid_autumn": mid_autumn,
        "double11": date(year, 11, 11),
    }
    idx = {k: (pd.Timestamp(v) - days[0]).days for k, v in fest.items()}

    post = np.ones(n)
    attention = np.ones(n)
    demand = np.ones(n)
    theme = np.array(["daily"] * n, dtype=object)
    festive = np.zeros(n, dtype=bool)

    def span(a: int, b: int) -> slice:
        return slice(max(a, 0), min(b, n - 1) + 1)

    # Order matters: later windows override the theme of earlier ones.
    rose = span((pd.Timestamp(year, 5, 1) - days[0]).days, (pd.Timestamp(year, 6, 30) - days[0]).days)
    demand[rose] *= 1.25
    theme[rose] = "rose_season"
    w = span(idx["spring_festival"] - 21, idx["spring_festival"] - 2)
    demand[w] *= 2.4  # 年货: the second season after 中秋
    attention[w] *= 1.1
    theme[w] = "spring_festival"
    festive[w] = True
    holiday = span(idx["spring_festival"] - 1, idx["spring_festival"] + 6)
    post[holiday] *= 0.3
    demand[holiday] *= 0.6
    theme[holiday] = "spring_festival"
    for key, before, boost in (("valentine", 10, 1.9), ("love520", 9, 1.6), ("qixi", 9, 1.8)):
        w = span(idx[key] - before, idx[key])
        demand[w] *= boost
        attention[w] *= 1.15
        post[w] *= 1.3
        theme[w] = key
        festive[w] = True
    w = span(idx["mid_autumn"] - 25, idx["mid_autumn"])
    demand[w] *= 2.8
    attention[w] *= 1.15
    post[w] *= 1.3
    theme[w] = "mid_autumn"
    festive[w] = True
    w = span(idx["double11"] - 10, idx["double11"])
    demand[w] *= 2.0
    demand[idx["double11"]] *= 1.3
    attention[w] *= 1.1
    post[w] *= 1.2
    theme[w] = "double11"
    festive[w] = True
    weekend = days.day_of_week.to_numpy() >= 5
    post[weekend] *= 0.8
    return Calendar(year, days, fest, post, attention, demand, theme, festive)
