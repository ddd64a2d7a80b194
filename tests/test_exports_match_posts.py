"""Reading the shipped messy exports with nmops.exports gives back the clean posts table.

The data dictionary (nmops.datasets.dictionary.EXPORTS) says which clean
``posts`` column each export header corresponds to; nmops.exports maps the
same header to its own canonical name. A learner who cleans an export and
renames per the dictionary must land on the clean values, up to the rounding
the platform's display applies ("1.2w", "10万+").
"""

import numpy as np
import pandas as pd
import pytest

from nmops.datasets import dictionary, export_path, load_posts
from nmops.exports import export_column_map, read_export

PLATFORMS = ["douyin", "toutiao", "wechat", "xiaohongshu"]


def mismatches(platform, header_to_clean=None):
    """Columns whose exported values disagree with posts; the dictionary's mapping unless overridden."""
    spec = dictionary.EXPORTS[platform]
    mapping = header_to_clean or {h: clean for h, clean, _ in spec.columns if clean is not None}
    names = export_column_map(platform).set_index("header")["column"]
    frame = read_export(export_path(platform))
    posts = load_posts()
    clean = posts[posts["channel"] == platform]
    assert len(frame) == len(clean), "one export row per post of that channel"

    got = pd.DataFrame({c: frame[names[h]] for h, c in mapping.items()})
    for h, c in mapping.items():
        flag = f"{names[h]}_is_lower_bound"
        got[f"{c}__lower"] = frame[flag].astype(bool) if flag in frame else False
    key = ["title", "published_at"]
    merged = got.merge(clean, on=key, how="left", suffixes=("__export", ""), indicator=True, validate="one_to_one")
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", key].head()

    bad = {}
    for c in mapping.values():
        if c in key:
            continue
        exported = merged[f"{c}__export"].astype("float64")
        truth = merged[c].astype("float64")
        lower = merged[f"{c}__lower"]
        ok_lower = (truth[lower] >= exported[lower]).all()
        exact = ~lower & exported.notna() & truth.notna()
        if c.endswith("rate"):
            tol = np.full(exact.sum(), 0.001)  # shown as a percentage with one or two decimals
        else:
            tol = np.where(truth[exact] >= 10_000, 500, 0)  # "x.yw" keeps 3 significant figures
        diff = (exported[exact] - truth[exact]).abs().to_numpy()
        if not ok_lower or (diff > tol).any():
            bad[c] = int((diff > tol).sum())
    return bad


@pytest.mark.parametrize("platform", PLATFORMS)
def test_export_reads_back_to_the_clean_posts(platform):
    assert mismatches(platform) == {}


def test_check_notices_a_wrong_mapping():
    """Control: mapping WeChat's 总阅读次数 (counts) onto posts.reads (people) is caught."""
    mapping = {h: c for h, c, _ in dictionary.EXPORTS["wechat"].columns if c is not None}
    mapping = {("总阅读次数" if c == "reads" else h): c for h, c in mapping.items()}
    assert "reads" in mismatches("wechat", mapping)
