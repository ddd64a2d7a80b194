"""KPI functions of the four levels (四个级别的 KPI 函数), one module per concept.

======================  =========  =================================================
module                  level      what it measures
======================  =========  =================================================
:mod:`.exposure`        小白        workload, exposure, top content, read/share rate, weekly report
:mod:`.activity`        初级        activity participants, participation rate, activity funnel
:mod:`.traffic`         初级        UTM parsing, traffic to the product, click-through rate
:mod:`.followers`       初级        follower growth, unfollow rate
:mod:`.engagement`      中级        engagement rate with an explicit base and aggregation
:mod:`.experiments`     中级        A/B tests of proportions, sample size, group intervals
:mod:`.retention`       中级        DAU/MAU stickiness, N-day and cohort retention
:mod:`.segmentation`    中级        RFM, survey clusters for personas
:mod:`.text`            中级        keyword frequencies of Chinese free text (jieba)
:mod:`.conversion`      高级        funnels, conversion by channel, CAC, ROI, ROAS, LTV, north star
:mod:`.attribution`     高级        first/last touch, linear, time decay, position-based
:mod:`.budget`          高级        response curves and budget allocation
======================  =========  =================================================

Every function is also available directly as ``nmops.metrics.<name>``.
"""

from nmops.metrics import (
    activity,
    attribution,
    budget,
    conversion,
    engagement,
    experiments,
    exposure,
    followers,
    retention,
    segmentation,
    text,
    traffic,
)
from nmops.metrics.activity import *  # noqa: F401,F403
from nmops.metrics.attribution import *  # noqa: F401,F403
from nmops.metrics.budget import *  # noqa: F401,F403
from nmops.metrics.conversion import *  # noqa: F401,F403
from nmops.metrics.engagement import *  # noqa: F401,F403
from nmops.metrics.experiments import *  # noqa: F401,F403
from nmops.metrics.exposure import *  # noqa: F401,F403
from nmops.metrics.followers import *  # noqa: F401,F403
from nmops.metrics.retention import *  # noqa: F401,F403
from nmops.metrics.segmentation import *  # noqa: F401,F403
from nmops.metrics.text import *  # noqa: F401,F403
from nmops.metrics.traffic import *  # noqa: F401,F403

#: Public functions by the level that first needs them (the KPI reference in docs/ follows this order).
BY_LEVEL = {
    "小白": exposure.__all__,
    "初级": activity.__all__ + traffic.__all__ + followers.__all__,
    "中级": engagement.__all__ + experiments.__all__ + retention.__all__ + segmentation.__all__ + text.__all__,
    "高级": conversion.__all__ + attribution.__all__ + budget.__all__,
}

__all__ = [name for names in BY_LEVEL.values() for name in names]
