"""nmops.rules: the absolute-claim check flags the planted ad-law titles and none of the harmless 最/第一."""

import pandas as pd
import pytest

import nmops.datasets as ds
from nmops._validation import NmopsInputError
from nmops.datasets._content import AD_LAW_TITLES
from nmops.rules import ABSOLUTE_CLAIMS, find_absolute_claims


def test_flags_exactly_the_planted_titles():
    posts = ds.load_posts()
    flagged = posts.loc[find_absolute_claims(posts["title"]) != "", "title"]
    assert set(flagged) == set(AD_LAW_TITLES)
    naive = posts["title"].str.contains("最|第一")
    assert naive.sum() > 10 * len(flagged), "the harmless uses a naive search flags are still in the data"


def test_keeps_the_index_and_handles_missing_titles():
    titles = pd.Series(["顶级玫瑰", None, "秋天的第一杯"], index=[10, 11, 12])
    out = find_absolute_claims(titles)
    assert out.index.tolist() == [10, 11, 12]
    assert out.tolist() == ["顶级", "", ""]


@pytest.mark.parametrize("terms", [[], [""], ["最佳", 3]])
def test_bad_terms_are_refused(terms):
    with pytest.raises(NmopsInputError, match="terms"):
        find_absolute_claims(["最佳"], terms)


def test_list_has_no_bare_single_characters():
    assert all(len(t) >= 2 for t in ABSOLUTE_CLAIMS)
