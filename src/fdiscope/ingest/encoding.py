"""Bytes to text: byte-order marks, declared charsets, UTF-8, then detection.

The order is what browsers do, with one addition for Russian news: a declared charset is
trusted only when the bytes actually decode with it, and when everything declared fails,
single-byte Cyrillic encodings (cp1251, koi8-r, ...) are compared by how Russian the decoded
text looks (:func:`russian_score`), because charset-normalizer alone often mixes up cp1251 and
koi8-r on short texts.

1. a byte-order mark (UTF-8, UTF-16, UTF-32);
2. the HTTP ``Content-Type`` charset, then ``<meta charset>``/``<meta http-equiv>``, then the
   XML declaration (ISO-8859-1 and US-ASCII read as windows-1252, as the HTML standard says);
3. strict UTF-8;
4. the best Cyrillic single-byte encoding when the text scores as Russian;
5. charset-normalizer restricted to a short list of European single-byte encodings.

Inputs that are not text at all raise :class:`BinaryInput` or :class:`UnsupportedFormat`.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from dataclasses import dataclass

from .errors import BinaryInput, EmptyInput, Undecodable, UnsupportedFormat

__all__ = [
    "Decoded",
    "decode",
    "charset_from_content_type",
    "declared_charsets",
    "check_binary",
    "russian_score",
    "CYRILLIC_CANDIDATES",
    "WESTERN_CANDIDATES",
]

log = logging.getLogger(__name__)

#: Single-byte Cyrillic encodings tried by :func:`russian_score`, most common first (ties go first).
# mac_cyrillic is left out: it differs from cp1251 in a couple of letters only and would
# steal cp1251 texts whenever those letters are missing.
CYRILLIC_CANDIDATES: tuple[str, ...] = ("cp1251", "koi8_r", "iso8859_5", "cp866")
#: Tried when the text is not Russian: windows-1252 whenever it decodes (the common case for
#: English/Western pages), else charset-normalizer chooses among the rest.
WESTERN_CANDIDATES: tuple[str, ...] = ("cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1257", "cp1254")

#: Share of control characters above which decoded text counts as binary.
MAX_CONTROL_SHARE = 0.01
#: How much of the start is scanned for <meta> and XML declarations.
SNIFF_BYTES = 4096

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of files that are certainly not text; archives and documents are "unsupported".
_UNSUPPORTED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive (or an office document)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy MS Office document"),
)
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([A-Za-z0-9_\-:.]+)""", re.I)
_CYR_WORD = re.compile(r"[\u0400-\u04ff]+")
_RU_LETTERS = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_MIXED_WORD = re.compile(r"(?=\w*[a-z])(?=\w*[а-яё])\w+", re.I)

# The most frequent Russian letters and letter pairs (from general knowledge of Russian text;
# together they cover a large share of any Russian prose and little of mis-decoded text).
_RU_FREQUENT = frozenset("оеаинтсрвлкмдпу")
_RU_BIGRAMS = frozenset(
    "ст но то на ен ов ни ра во ко ал ер ро пр по го ли ре ес не ом ол ва ор ет ос ан ин та ка ел"
    " ти ле ат ит ск от де ны ль ла да ло ой ве ри ии ия ть ей ев он об ие ак ак ем ар".split()
)
# WHATWG: these labels mean windows-1252 in practice.
_AS_CP1252 = frozenset({"latin_1", "iso8859_1", "ascii", "cp819"})


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, with how it was decided.

    Attributes:
        text: the decoded text (BOM removed, otherwise untouched).
        encoding: the Python codec name used, e.g. "utf-8", "cp1251", "koi8_r".
        method: "bom", "http", "meta", "xml", "utf-8", "cyrillic" or "detected".
        sha256: hex digest of the raw bytes (identifies the input as received).
    """

    text: str
    encoding: str
    method: str
    sha256: str


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    return "cp1252" if name in _AS_CP1252 else name


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header as a codec name.

    >>> charset_from_content_type("text/html; charset=Windows-1251")
    'cp1251'
    >>> charset_from_content_type("text/html") is None
    True
    """
    if not content_type:
        return None
    m = _CHARSET_PARAM.search(content_type)
    return _codec(m[1]) if m else None


def declared_charsets(data: bytes, content_type: str | None = None) -> list[tuple[str, str]]:
    """Charsets the input declares, in order of authority: [(method, codec), ...].

    >>> declared_charsets(b'<meta charset="koi8-r"><p>x', "text/html")
    [('meta', 'koi8_r')]
    """
    found: list[tuple[str, str]] = []
    if http := charset_from_content_type(content_type):
        found.append(("http", http))
    head = data[:SNIFF_BYTES]
    if m := _XML_DECL.match(head):
        if codec := _codec(m[1].decode("ascii", "replace")):
            found.append(("xml", codec))
    if m := _META_CHARSET.search(head):
        if codec := _codec(m[1].decode("ascii", "replace")):
            # <meta> outranks the XML declaration in an HTML page
            found.insert(len(found) - (1 if found and found[-1][0] == "xml" else 0), ("meta", codec))
    return found


def check_binary(data: bytes) -> None:
    """Raise if the bytes are certainly not text (by signature or NUL bytes).

    Raises:
        UnsupportedFormat: an archive, PDF or office document.
        BinaryInput: an image, executable, database, or bytes containing NULs.
    """
    for sig, what in _UNSUPPORTED_SIGNATURES:
        if data.startswith(sig):
            raise UnsupportedFormat(f"{what}; unpack or convert it to text/HTML first")
    for sig, what in _BINARY_SIGNATURES:
        if data.startswith(sig):
            raise BinaryInput(f"binary input ({what}), not text")
    if b"\x00" in data[:65536] or b"\x00" in data[-65536:]:
        raise BinaryInput("binary input (contains NUL bytes); only text, HTML, feeds and JSONL are read")


def _check_controls(text: str) -> None:
    sample = text[:200_000]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0x7F <= ord(ch) < 0xA0)
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise BinaryInput(f"binary input ({controls} control characters in {len(sample)}); only text is read")


def russian_score(text: str) -> float:
    """How much ``text`` looks like correctly decoded Russian, from 0 to 1.

    Averages the share of frequent letters, of frequent letter pairs and of normally cased
    words (lower, Title or UPPER case) over the Cyrillic words; mixed Latin-Cyrillic words
    count against it.  Mis-decoded Russian (koi8-r read as cp1251 and vice versa) scores low.

    >>> s = "Компания построит новый завод в области"
    >>> round(russian_score(s), 2), round(russian_score(s.encode("cp1251").decode("koi8_r")), 2)
    (1.0, 0.76)
    """
    words = _CYR_WORD.findall(text[:100_000])
    if not words:
        return 0.0
    letters = "".join(words).lower()
    freq = sum(ch in _RU_FREQUENT for ch in letters) / len(letters)
    pairs = [w[i : i + 2] for w in (x.lower() for x in words) for i in range(len(w) - 1)]
    bigram = sum(p in _RU_BIGRAMS for p in pairs) / len(pairs) if pairs else 0.0
    cased = sum(w.islower() or w.isupper() or w.istitle() for w in words) / len(words)
    mixed = len(_MIXED_WORD.findall(text[:100_000]))
    foreign = sum(ch not in _RU_LETTERS for ch in letters) / len(letters)  # Ѐ, Ђ, Ї... not Russian
    penalty = min(1.0, mixed / len(words) + foreign)
    # Typical values: real Russian ≈ 0.55 freq, 0.35 bigrams, 0.95 cased; mis-decoded far below.
    return max(0.0, min(1.0, freq / 0.55) * 0.4 + min(1.0, bigram / 0.3) * 0.4 + cased * 0.2 - penalty)


def _best_cyrillic(data: bytes) -> tuple[str, str, float] | None:
    best: tuple[str, str, float] | None = None
    high = sum(b >= 0x80 for b in data[:100_000])
    if not high:
        return None
    for enc in CYRILLIC_CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        sample = text[:100_000]
        if any("\x80" <= ch <= "\x9f" for ch in sample):
            continue  # C1 controls: the bytes use a range this encoding leaves undefined
        cyr = sum("\u0400" <= ch <= "\u04ff" for ch in sample)
        if cyr < 0.6 * high:  # most non-ASCII bytes must become Cyrillic letters
            continue
        score = russian_score(text)
        if best is None or score > best[2] + 0.02:
            best = (enc, text, score)
    return best


def _detect_western(data: bytes) -> tuple[str, str] | None:
    try:
        return WESTERN_CANDIDATES[0], data.decode(WESTERN_CANDIDATES[0])
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # lazy: keeps `import fdiscope` fast

    match = from_bytes(data[:200_000], cp_isolation=list(WESTERN_CANDIDATES[1:])).best()
    if match is None:
        return None
    enc = _codec(match.encoding) or match.encoding
    try:
        return enc, data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, *, content_type: str | None = None) -> Decoded:
    """Decode input bytes to text (see the module docstring for the order of evidence).

    Args:
        data: the raw bytes of one file, HTTP body or record.
        content_type: the HTTP Content-Type header, if any (its charset is honoured).

    Returns:
        The text with the encoding and method chosen and the sha256 of ``data``.

    Raises:
        EmptyInput: no bytes, or only blank space.
        UnsupportedFormat: an archive or PDF.
        BinaryInput: not text.
        Undecodable: text in no plausible encoding.

    >>> decode("Завод".encode("koi8_r"), content_type="text/plain; charset=koi8-r").text
    'Завод'
    """
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise EmptyInput("empty input (no bytes or only blank space)")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(enc)
            except UnicodeDecodeError as exc:
                raise Undecodable(
                    f"starts with a {enc} byte-order mark but is not {enc} ({exc.reason})"
                ) from exc
            _check_controls(text)
            if not text.strip():
                raise EmptyInput("empty input (only a byte-order mark and blank space)")
            return Decoded(text, enc.replace("-", "_"), "bom", digest)
    check_binary(data)
    for method, enc in declared_charsets(data, content_type):
        if enc.startswith(("utf_16", "utf_32")):
            continue  # without a BOM a declared UTF-16 is a lie: the bytes had no NULs
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            log.info("declared charset %s (%s) does not decode the bytes; detecting", enc, method)
            continue
        _check_controls(text)
        return Decoded(text, enc, method, digest)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _check_controls(text)
        return Decoded(text, "utf_8", "utf-8", digest)
    cyr = _best_cyrillic(data)
    if cyr is not None and cyr[2] >= 0.5:
        _check_controls(cyr[1])
        return Decoded(cyr[1], cyr[0], "cyrillic", digest)
    western = _detect_western(data)
    if western is not None:
        _check_controls(western[1])
        return Decoded(western[1], western[0], "detected", digest)
    if cyr is not None:
        _check_controls(cyr[1])
        return Decoded(cyr[1], cyr[0], "cyrillic", digest)
    raise Undecodable("not UTF-8 and no single-byte encoding fits; convert the file to UTF-8")
