"""No public function of nmops.metrics or nmops.exports changes its input (issue 9).

Every docstring example of the two packages is run with each public
function wrapped: the wrapper deep-copies every DataFrame, Series, Index,
ndarray, list and dict argument before the call and checks it is unchanged
afterwards (values, dtypes, index, names, attrs). A second test does the
same on the course's sample data, with missing values and a timezone-aware
column. Every public function must be exercised at least once.
"""

import copy
import doctest
import functools
import importlib
import pkgutil

import numpy as np
import pandas as pd
import pytest

import nmops.datasets as datasets
import nmops.exports
import nmops.metrics

MODULES = [nmops.exports] + [
    importlib.import_module(f"nmops.metrics.{m.name}")
    for m in pkgutil.iter_modules(nmops.metrics.__path__)
    if not m.name.startswith("_")
]
PUBLIC = {
    name: getattr(module, name)
    for module in [nmops.metrics, nmops.exports]
    for name in module.__all__
    if callable(getattr(module, name)) and not isinstance(getattr(module, name), type)
}


def _same(before, after) -> bool:
    try:
        return _equal(before, after)
    except AssertionError:
        return False


def _equal(before, after) -> bool:
    if isinstance(before, pd.DataFrame):
        pd.testing.assert_frame_equal(after, before)
        return before.attrs == after.attrs
    if isinstance(before, pd.Series):
        pd.testing.assert_series_equal(after, before)
        return before.attrs == after.attrs
    if isinstance(before, pd.Index):
        pd.testing.assert_index_equal(after, before)
        return True
    if isinstance(before, np.ndarray):
        np.testing.assert_array_equal(after, before)
        return before.dtype == after.dtype
    if isinstance(before, (list, dict, tuple)):
        if isinstance(before, dict):
            return before.keys() == after.keys() and all(_equal(before[k], after[k]) for k in before)
        return len(before) == len(after) and all(_equal(b, a) for b, a in zip(before, after))
    return True


_MUTABLE = (pd.DataFrame, pd.Series, pd.Index, np.ndarray, list, dict)


def _guarded(name, func, seen):
    @functools.wraps(func)
    def call(*args, **kwargs):
        inputs = [a for a in list(args) + list(kwargs.values()) if isinstance(a, _MUTABLE)]
        copies = [copy.deepcopy(a) for a in inputs]
        try:
            return func(*args, **kwargs)
        finally:
            for original, saved in zip(inputs, copies):
                assert _same(saved, original), f"{name} changed its input"
            seen.add(name)

    return call


def test_no_public_function_changes_its_input_in_the_docstring_examples():
    seen: set[str] = set()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for module in MODULES:
        for test in doctest.DocTestFinder().find(module):
            test.globs = dict(test.globs)
            test.globs.update({n: _guarded(n, f, seen) for n, f in PUBLIC.items() if n in test.globs})
            runner.run(test, out=lambda _: None)
    assert runner.summarize(verbose=False).failed == 0
    missing = set(PUBLIC) - seen - set(_SAMPLE_CALLS)
    assert not missing, f"public functions never checked: {sorted(missing)}"


@functools.lru_cache(maxsize=1)
def _loaded():
    posts = datasets.load_posts().head(600).copy()
    posts.loc[posts.index[:3], "likes"] = np.nan
    events = datasets.load_events().head(3000)
    aware = events.assign(event_time=events["event_time"].dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC"))
    return {
        "posts": posts,
        "events": events,
        "aware": aware,
        "orders": datasets.load_orders().head(2000),
        "spend": datasets.load_spend(),
        "visits": datasets.load_visits().head(2000),
        "daily": datasets.load_followers_daily(),
        "participants": datasets.load_participants().head(2000),
        "campaigns": datasets.load_campaigns(),
        "raw": pd.Series(["1,234", "10万+", None, "−3", "12.5%"], name="x"),
        "wechat": posts[posts["delivered"].notna()],
    }


def _sample_inputs():
    return copy.deepcopy(_loaded())


_SAMPLE_CALLS = {
    "post_engagement_rate": lambda d: nmops.metrics.post_engagement_rate(d["posts"], base="reads"),
    "engagement_rate": lambda d: nmops.metrics.engagement_rate(d["posts"], base="reads", by="channel", aggregate="mean"),
    "weekly_report": lambda d: nmops.metrics.weekly_report(d["wechat"]),
    "top_content": lambda d: nmops.metrics.top_content(d["posts"], per="channel", keep="all"),
    "daily_active_users": lambda d: nmops.metrics.daily_active_users(d["aware"]),
    "stickiness": lambda d: nmops.metrics.stickiness(d["aware"], window="trailing"),
    "n_day_retention": lambda d: nmops.metrics.n_day_retention(d["aware"], 1),
    "cohort_retention": lambda d: nmops.metrics.cohort_retention(d["events"], cohort_freq="day"),
    "conversion_funnel": lambda d: nmops.metrics.conversion_funnel(d["aware"], rule="in_order", strict=True),
    "activity_funnel": lambda d: nmops.metrics.activity_funnel(d["participants"], ["click", "participate", "share"]),
    "follower_growth": lambda d: nmops.metrics.follower_growth(d["daily"], by="channel"),
    "customer_acquisition_cost": lambda d: nmops.metrics.customer_acquisition_cost(d["spend"], d["orders"]),
    "conversion_rate_by_channel": lambda d: nmops.metrics.conversion_rate_by_channel(d["visits"], d["orders"], numerator="orders"),
    "traffic_summary": lambda d: nmops.metrics.traffic_summary(d["visits"]),
    "parse_utm": lambda d: nmops.metrics.parse_utm(d["visits"]["url"]),
    "participation_rate": lambda d: nmops.metrics.participation_rate(
        d["participants"], d["campaigns"].loc[d["campaigns"]["campaign_id"].isin(d["participants"]["campaign_id"])]
    ),
    "parse_count": lambda d: nmops.exports.parse_count(d["raw"][:2]),
    "parse_excel_date": lambda d: nmops.exports.parse_excel_date(d["events"]["event_time"].head(50)),
}


@pytest.mark.filterwarnings("ignore::nmops._validation.NmopsWarning")
@pytest.mark.parametrize("name", sorted(_SAMPLE_CALLS))
def test_no_public_function_changes_sample_data(name):
    data = _sample_inputs()
    saved = copy.deepcopy(data)
    _SAMPLE_CALLS[name](data)
    for key in data:
        assert _same(saved[key], data[key]), f"{name} changed {key}"


def test_the_guard_catches_a_function_that_changes_its_input():
    def sloppy(df):
        df["rate"] = 1.0  # the mistake the guard is for

    with pytest.raises(AssertionError, match="sloppy changed its input"):
        _guarded("sloppy", sloppy, set())(pd.DataFrame({"reads": [1]}))
    data = {"posts": pd.DataFrame({"reads": [1.0]})}
    saved = copy.deepcopy(data)
    data["posts"].loc[0, "reads"] = 2.0
    assert not _same(saved["posts"], data["posts"])
