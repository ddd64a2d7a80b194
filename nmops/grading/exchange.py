"""Answers as data only (答案只以数据形式交给评分进程): encode in the sandbox, decode in the clean process.

The learner's kernel (:mod:`nmops.grading.student_runner`) encodes the values
a test cell reads; the clean process (:mod:`nmops.grading.clean_runner`)
decodes them and runs the test. The format is JSON with a type tag on every
value, so decoding never runs code (no pickle, no ``eval``) and reproduces the
exact type:

* scalars: ``None``, ``bool``, ``int``, ``float`` (NaN and infinities
  included), ``str``, numpy integer/float/bool scalars, ``pandas.Timestamp``
  (with its unit and time zone), ``NaT``, ``pandas.Period``,
  ``datetime.date``/``datetime.datetime``/``datetime.timedelta``,
  ``pandas.Timedelta``;
* containers: ``list``, ``tuple``, ``set``, ``frozenset``, ``dict`` (keys in
  order), numpy arrays of numbers or booleans;
* pandas: ``Series``, ``DataFrame`` and their indexes (``RangeIndex``,
  ``Index``, ``MultiIndex``) with numpy dtypes, ``str``/``string``, nullable
  integers/floats/booleans, ``category``, ``datetime64`` (with time zone),
  ``timedelta64`` and ``period`` dtypes.

The encoder checks exact types (``type(x) is int``), so a subclass that
impersonates a numpy or pandas type is not encoded as one: it becomes an
:class:`Unsupported` marker, which every check in :mod:`nmops.grading.checks`
rejects by type. The student side is hostile, so the decoder treats its input
as untrusted: unknown tags, malformed fields, excessive nesting and oversized
numbers raise :class:`ExchangeError`.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["encode", "decode", "ExchangeError", "Unsupported", "MAX_DEPTH"]

MAX_DEPTH = 40
_MAX_INT_DIGITS = 4000
_NUMPY_SCALARS = {np.dtype(t).type: np.dtype(t).name for t in (
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "bool")}
_NUMPY_BY_NAME = {name: t for t, name in _NUMPY_SCALARS.items()}
_ARRAY_KINDS = "biuf"  # numpy dtypes sent as plain numbers


class ExchangeError(ValueError):
    """The student side sent something that is not a valid encoded value."""


class Unsupported:
    """Stands for a learner's value of a type the exchange does not carry (函数、自定义类等).

    Checks reject it by type; its ``type_name`` says what the learner had.
    """

    __slots__ = ("type_name",)

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<无法评分的对象：类型 {self.type_name}>"


# --- encoding (runs in the sandbox) -------------------------------------------------------------


def _float_text(x: float) -> str:
    return repr(float(x))


def encode(value: Any, depth: int = 0) -> dict:
    """Encode ``value`` as tagged JSON-ready data; unknown types become ``{"t": "unsupported"}``."""
    if depth > MAX_DEPTH:
        return {"t": "unsupported", "type": "嵌套过深的对象"}
    t = type(value)
    if value is None:
        return {"t": "none"}
    if t is bool:
        return {"t": "bool", "v": value}
    if t is int:
        return {"t": "int", "v": str(value)}
    if t is float:
        return {"t": "float", "v": _float_text(value)}
    if t is str:
        return {"t": "str", "v": value}
    if t in _NUMPY_SCALARS:
        return {"t": "np", "dtype": _NUMPY_SCALARS[t], "v": _float_text(value) if t(0).dtype.kind == "f" else
                (bool(value) if t is np.bool_ else str(int(value)))}
    if t in (list, tuple, set, frozenset):
        items = value if t in (list, tuple) else _stable_order(value)
        return {"t": t.__name__, "v": [encode(v, depth + 1) for v in items]}
    if t is dict:
        return {"t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    if t is pd.Timestamp:
        return {"t": "timestamp", **_timestamp_fields(value)}
    if value is pd.NaT:
        return {"t": "nat"}
    if t is pd.Period:
        return {"t": "period", "ordinal": str(value.ordinal), "freq": value.freqstr}
    if t is pd.Timedelta:
        return {"t": "timedelta", "v": str(value.value), "unit": value.unit}
    if t is _dt.datetime:
        return {"t": "datetime", "v": value.isoformat()}
    if t is _dt.date:
        return {"t": "date", "v": value.isoformat()}
    if t is _dt.timedelta:
        return {"t": "pytimedelta", "v": [value.days, value.seconds, value.microseconds]}
    if t is np.ndarray and value.dtype.kind in _ARRAY_KINDS and value.dtype.name in _NUMPY_BY_NAME:
        return {"t": "ndarray", "shape": list(value.shape), "array": _encode_array(value.ravel(), depth)}
    if t is pd.Series:
        return {"t": "series", "name": encode(value.name, depth + 1), "index": _encode_index(value.index, depth),
                "array": _encode_array(value.array, depth)}
    if t is pd.DataFrame:
        return {"t": "frame", "index": _encode_index(value.index, depth),
                "columns": _encode_index(value.columns, depth),
                "data": [_encode_array(value.iloc[:, i].array, depth) for i in range(value.shape[1])]}
    if t in (pd.Index, pd.RangeIndex, pd.MultiIndex, pd.DatetimeIndex, pd.PeriodIndex, pd.CategoricalIndex,
             pd.TimedeltaIndex):
        return {"t": "index", "v": _encode_index(value, depth)}
    return {"t": "unsupported", "type": f"{t.__module__}.{t.__qualname__}"[:200]}


def _stable_order(items) -> list:
    """Set members in a repeatable order (the clean side rebuilds the set, so order does not matter)."""
    return sorted(items, key=repr)


def _timestamp_fields(ts: pd.Timestamp) -> dict:
    tz = ts.tz
    naive_utc = ts.tz_convert("UTC").tz_localize(None) if tz is not None else ts
    return {"v": str(naive_utc.value), "unit": ts.unit, "tz": None if tz is None else str(tz)}


def _encode_array(array, depth: int) -> dict:
    """One column or index: its dtype name and its values as tagged data."""
    dtype = array.dtype
    if type(array) is pd.arrays.NumpyExtensionArray:
        dtype = dtype.numpy_dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return {"dtype": "category", "ordered": bool(dtype.ordered),
                "categories": _encode_index(dtype.categories, depth),
                "codes": [int(c) for c in array.codes]}
    if isinstance(dtype, pd.PeriodDtype):
        return {"dtype": "period", "freq": str(dtype)[len("period["):-1], "ordinals": [str(x) for x in array.asi8]}
    kind = getattr(dtype, "kind", "O")
    if kind in "mM" and not isinstance(dtype, pd.api.extensions.ExtensionDtype) or isinstance(
            dtype, pd.DatetimeTZDtype):
        tz = getattr(dtype, "tz", None)
        unit = np.datetime_data(array.dtype if tz is None else dtype.base)[0]
        return {"dtype": "datetime" if kind == "M" else "timedelta", "unit": unit,
                "tz": None if tz is None else str(tz), "ints": [str(x) for x in array.asi8]}
    if isinstance(dtype, np.dtype) and kind in _ARRAY_KINDS:
        values = np.asarray(array)
        if kind == "f":
            return {"dtype": dtype.name, "v": [_float_text(x) for x in values.tolist()]}
        return {"dtype": dtype.name, "v": [str(int(x)) if kind != "b" else bool(x) for x in values.tolist()]}
    if isinstance(dtype, np.dtype) and kind == "O":
        return {"dtype": "object", "v": [encode(x, depth + 1) for x in np.asarray(array, dtype=object).tolist()]}
    # pandas extension dtypes carried by name: str/string, Int64, Float64, boolean, ...
    name = str(dtype)
    if name in _EXTENSION_DTYPES:
        values = [None if v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v for v in array.tolist()]
        if name.startswith("Float"):
            return {"dtype": name, "v": [None if v is None else _float_text(v) for v in values]}
        if name.startswith(("Int", "UInt")):
            return {"dtype": name, "v": [None if v is None else str(int(v)) for v in values]}
        return {"dtype": name, "v": values}
    return {"dtype": "unsupported", "type": name[:100], "length": len(array)}


_EXTENSION_DTYPES = {"str", "string", "boolean", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32",
                     "UInt64", "Float32", "Float64"}


def _encode_index(index, depth: int) -> dict:
    t = type(index)
    if t is pd.RangeIndex:
        return {"kind": "range", "range": [index.start, index.stop, index.step], "name": encode(index.name, depth + 1)}
    if t is pd.MultiIndex:
        return {"kind": "multi", "names": [encode(n, depth + 1) for n in index.names],
                "levels": [_encode_array(index.get_level_values(i).array, depth) for i in range(index.nlevels)]}
    return {"kind": "index", "name": encode(index.name, depth + 1), "array": _encode_array(index.array, depth)}


# --- decoding (runs in the clean process; input is untrusted) ---------------------------------


def _need(obj: Any, kind: type, what: str):
    if type(obj) is not kind:
        raise ExchangeError(f"{what}: expected {kind.__name__}, got {type(obj).__name__}")
    return obj


def _int(text: Any) -> int:
    _need(text, str, "integer")
    if len(text) > _MAX_INT_DIGITS:
        raise ExchangeError("integer too long")
    try:
        return int(text)
    except ValueError as exc:
        raise ExchangeError(f"bad integer {text[:30]!r}") from exc


def _float(text: Any) -> float:
    _need(text, str, "float")
    try:
        return float(text)
    except ValueError as exc:
        raise ExchangeError(f"bad float {text[:30]!r}") from exc


def decode(data: Any, depth: int = 0) -> Any:
    """Rebuild a value encoded by :func:`encode`; raise :class:`ExchangeError` on anything malformed."""
    if depth > MAX_DEPTH + 2:
        raise ExchangeError("nesting too deep")
    _need(data, dict, "value")
    tag = data.get("t")
    v = data.get("v")
    try:
        if tag == "none":
            return None
        if tag == "bool":
            return _need(v, bool, "bool")
        if tag == "int":
            return _int(v)
        if tag == "float":
            return _float(v)
        if tag == "str":
            return _need(v, str, "str")
        if tag == "np":
            scalar = _NUMPY_BY_NAME.get(data.get("dtype"))
            if scalar is None:
                raise ExchangeError("unknown numpy scalar type")
            kind = np.dtype(scalar).kind
            return scalar(_need(v, bool, "bool") if kind == "b" else _float(v) if kind == "f" else _int(v))
        if tag in ("list", "tuple", "set", "frozenset"):
            items = [decode(x, depth + 1) for x in _need(v, list, tag)]
            return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tag](items)
        if tag == "dict":
            out = {}
            for pair in _need(v, list, "dict"):
                if type(pair) is not list or len(pair) != 2:
                    raise ExchangeError("dict item is not a pair")
                out[decode(pair[0], depth + 1)] = decode(pair[1], depth + 1)
            return out
        if tag == "timestamp":
            ts = pd.Timestamp(_int(v), unit="ns").as_unit(_need(data.get("unit"), str, "unit"))
            tz = data.get("tz")
            return ts if tz is None else ts.tz_localize("UTC").tz_convert(_need(tz, str, "tz"))
        if tag == "nat":
            return pd.NaT
        if tag == "period":
            return pd.Period(ordinal=_int(data.get("ordinal")), freq=_need(data.get("freq"), str, "freq"))
        if tag == "timedelta":
            return pd.Timedelta(_int(v), unit="ns").as_unit(_need(data.get("unit"), str, "unit"))
        if tag == "datetime":
            return _dt.datetime.fromisoformat(_need(v, str, "datetime"))
        if tag == "date":
            return _dt.date.fromisoformat(_need(v, str, "date"))
        if tag == "pytimedelta":
            days, seconds, micro = (_need(x, int, "timedelta part") for x in _need(v, list, "timedelta"))
            return _dt.timedelta(days=days, seconds=seconds, microseconds=micro)
        if tag == "ndarray":
            shape = [_need(n, int, "shape") for n in _need(data.get("shape"), list, "shape")]
            return np.asarray(_decode_array(data.get("array"), depth)).reshape(shape)
        if tag == "series":
            index = _decode_index(data.get("index"), depth)
            return pd.Series(_decode_array(data.get("array"), depth), index=index,
                             name=decode(data.get("name"), depth + 1), copy=False)
        if tag == "frame":
            index = _decode_index(data.get("index"), depth)
            columns = _decode_index(data.get("columns"), depth)
            arrays = [_decode_array(a, depth) for a in _need(data.get("data"), list, "frame data")]
            if len(arrays) != len(columns):
                raise ExchangeError("frame: columns and data differ in length")
            frame = pd.DataFrame(dict(enumerate(arrays)), index=index) if arrays else pd.DataFrame(index=index)
            frame.columns = columns
            return frame
        if tag == "index":
            return _decode_index(data.get("v"), depth)
        if tag == "unsupported":
            return Unsupported(str(_need(data.get("type"), str, "type"))[:200])
    except ExchangeError:
        raise
    except (TypeError, ValueError, OverflowError, KeyError, OSError) as exc:
        raise ExchangeError(f"cannot decode {tag!r}: {type(exc).__name__}") from exc
    raise ExchangeError(f"unknown tag {str(tag)[:30]!r}")


def _decode_array(data: Any, depth: int):
    _need(data, dict, "array")
    dtype = data.get("dtype")
    if dtype == "category":
        categories = _decode_index(data.get("categories"), depth)
        codes = np.array([_need(c, int, "code") for c in _need(data.get("codes"), list, "codes")], dtype="int64")
        if len(codes) and (codes.min() < -1 or codes.max() >= len(categories)):
            raise ExchangeError("category code out of range")
        return pd.Categorical.from_codes(codes, categories=categories, ordered=_need(data.get("ordered"), bool, "ordered"))
    if dtype == "period":
        ordinals = [_int(x) for x in _need(data.get("ordinals"), list, "ordinals")]
        return pd.PeriodIndex.from_ordinals(ordinals, freq=_need(data.get("freq"), str, "freq")).array
    if dtype in ("datetime", "timedelta"):
        unit = _need(data.get("unit"), str, "unit")
        if unit not in ("s", "ms", "us", "ns"):
            raise ExchangeError("bad unit")
        ints = np.array([_int(x) for x in _need(data.get("ints"), list, "ints")], dtype="int64")
        letter = "M" if dtype == "datetime" else "m"
        values = ints.view(f"{letter}8[{unit}]")
        if dtype == "timedelta":
            return pd.array(values)
        tz = data.get("tz")
        index = pd.DatetimeIndex(values)
        return (index if tz is None else index.tz_localize("UTC").tz_convert(_need(tz, str, "tz"))).array
    values = _need(data.get("v"), list, "values")
    if dtype == "object":
        out = np.empty(len(values), dtype=object)
        for i, item in enumerate(values):
            out[i] = decode(item, depth + 1)
        return out
    if dtype in _NUMPY_BY_NAME:
        kind = np.dtype(dtype).kind
        parse = (lambda x: _need(x, bool, "bool")) if kind == "b" else _float if kind == "f" else _int
        return np.array([parse(x) for x in values], dtype=dtype)
    if dtype in _EXTENSION_DTYPES:
        if dtype.startswith("Float"):
            values = [None if x is None else _float(x) for x in values]
        elif dtype.startswith(("Int", "UInt")):
            values = [None if x is None else _int(x) for x in values]
        else:
            kind = bool if dtype == "boolean" else str
            values = [x if x is None else _need(x, kind, dtype) for x in values]
        return pd.array(values, dtype=dtype)
    raise ExchangeError(f"unsupported column dtype {str(data.get('type', dtype))[:40]!r}")


def _decode_index(data: Any, depth: int):
    _need(data, dict, "index")
    kind = data.get("kind")
    if kind == "range":
        start, stop, step = (_need(x, int, "range") for x in _need(data.get("range"), list, "range"))
        return pd.RangeIndex(start, stop, step, name=decode(data.get("name"), depth + 1))
    if kind == "multi":
        levels = [_decode_array(a, depth) for a in _need(data.get("levels"), list, "levels")]
        names = [decode(n, depth + 1) for n in _need(data.get("names"), list, "names")]
        return pd.MultiIndex.from_arrays(levels, names=names)
    if kind == "index":
        return pd.Index(_decode_array(data.get("array"), depth), name=decode(data.get("name"), depth + 1), copy=False)
    raise ExchangeError("unknown index kind")
