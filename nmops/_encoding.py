"""Decode a text file written by Excel, WPS, an export tool or a text editor (编码检测).

Chinese CSV files arrive in UTF-8, UTF-8 with a BOM (Excel's "CSV UTF-8"), or
GB18030/GBK (Excel's plain "CSV" on Chinese Windows). :func:`decode_text`
tries them in that order; callers turn :class:`UnknownEncoding` into their own
message (what file, what to do next).
"""

from __future__ import annotations

__all__ = ["ENCODINGS", "UnknownEncoding", "decode_text"]

#: Tried in order after a UTF-8 BOM (GB18030 is a superset of GBK and GB2312).
ENCODINGS = ("utf-8", "gb18030")

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UnknownEncoding(ValueError):
    """The bytes are not text in any of :data:`ENCODINGS`.

    Attributes
    ----------
    utf16 : bool
        True when the file is UTF-16 (a UTF-16 BOM, or NUL bytes, which no
        UTF-8 or GB18030 text holds): Excel's "Unicode text" and some editors
        write it.
    attempts : list of str
        For each encoding tried, the byte offset where it failed (Chinese, for messages).
    """

    def __init__(self, utf16: bool, attempts: list[str]):
        super().__init__("UTF-16" if utf16 else "; ".join(attempts))
        self.utf16 = utf16
        self.attempts = attempts


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data`` as UTF-8 with BOM, UTF-8 or GB18030, the first that fits.

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    tuple of (str, str)
        The text (without BOM) and the encoding used: ``"utf-8-sig"``,
        ``"utf-8"`` or ``"gb18030"``.

    Raises
    ------
    UnknownEncoding
        UTF-16 (BOM or NUL bytes), or bytes none of the encodings can decode.

    Examples
    --------
    >>> decode_text("学号".encode("gb18030"))
    ('学号', 'gb18030')
    >>> decode_text("\\ufeffid".encode("utf-8"))
    ('id', 'utf-8-sig')
    """
    if data[:2] in _UTF16_BOMS or b"\x00" in data:
        raise UnknownEncoding(True, [])
    if data.startswith(_UTF8_BOM):
        candidates, data = ("utf-8-sig",), data[len(_UTF8_BOM):]
    else:
        candidates = ENCODINGS
    attempts = []
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            attempts.append(f"{encoding}: 第 {exc.start} 字节 byte {exc.start}")
    raise UnknownEncoding(False, attempts)
