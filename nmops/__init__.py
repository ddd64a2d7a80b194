"""nmops: KPI functions, sample data and grading helpers for the 新媒体运营 course."""

from nmops._validation import NmopsInputError, safe_divide

__version__ = "0.1.0"

__all__ = ["NmopsInputError", "safe_divide", "__version__"]
