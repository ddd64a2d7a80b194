"""Chinese text in matplotlib charts.

Call :func:`use_chinese_font` once at the top of a notebook. It picks a CJK
font already on the learner's system (Windows, macOS or Linux names) or, if
there is none, registers the Noto Sans SC subset shipped in ``nmops/fonts``
(SIL Open Font License 1.1). It changes only this Python process's
``matplotlib.rcParams``: nothing is written to site-packages or to the
learner's matplotlib folder. SimHei is never used (its licence is
proprietary).
"""

from __future__ import annotations

from importlib import resources

import matplotlib
from matplotlib import font_manager

__all__ = ["use_chinese_font", "SYSTEM_CJK_FONTS", "SHIPPED_FONT_FAMILY"]

#: System fonts tried first, in order: Windows, macOS, Linux.
SYSTEM_CJK_FONTS = (
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)

#: Family name of the subset font shipped with nmops.
SHIPPED_FONT_FAMILY = "Noto Sans SC nmops"
_SHIPPED_FONT_FILE = "NotoSansSC-nmops.otf"


def _installed_families() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def _register_shipped_font() -> str:
    if SHIPPED_FONT_FAMILY not in _installed_families():
        font_file = resources.files("nmops.fonts") / _SHIPPED_FONT_FILE
        with resources.as_file(font_file) as path:
            font_manager.fontManager.addfont(str(path))
    return SHIPPED_FONT_FAMILY


def use_chinese_font(prefer_system: bool = True) -> str:
    """Set matplotlib up so that Chinese labels render (图表中文显示).

    Latin text stays in DejaVu Sans and matplotlib falls back glyph by glyph
    to the CJK family for Chinese characters, so the minus sign and digits
    keep rendering.

    Parameters
    ----------
    prefer_system : bool, default True
        Use a CJK font already installed (see :data:`SYSTEM_CJK_FONTS`) when
        there is one; ``False`` always uses the shipped Noto Sans SC subset.

    Returns
    -------
    str
        The CJK font family now in use.

    Examples
    --------
    >>> family = use_chinese_font(prefer_system=False)
    >>> family
    'Noto Sans SC nmops'
    >>> import matplotlib
    >>> matplotlib.rcParams["font.family"]
    ['DejaVu Sans', 'Noto Sans SC nmops']
    """
    family = None
    if prefer_system:
        installed = _installed_families()
        family = next((name for name in SYSTEM_CJK_FONTS if name in installed), None)
    if family is None:
        family = _register_shipped_font()
    matplotlib.rcParams["font.family"] = ["DejaVu Sans", family]
    matplotlib.rcParams["axes.unicode_minus"] = True
    return family
