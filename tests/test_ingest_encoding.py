"""Bytes to text: BOMs, declared charsets, Cyrillic detection without declarations, binary input."""

from __future__ import annotations

import codecs
import os

import pytest

from fdiscope.ingest import BinaryInput, EmptyInput, UnsupportedFormat, decode, read_bytes
from fdiscope.ingest.encoding import charset_from_content_type, declared_charsets, russian_score
from fdiscope.model import Document

# Invented texts, written for these tests.
RU_SHORT = "Инвесторы из Кореи построят завод."
RU_PARA = (
    "Корейская компания построит в Липецкой области завод по выпуску бытовой техники. "
    "Объём вложений составит около четырёх миллиардов рублей, на предприятии появятся "
    "шестьсот рабочих мест. Соглашение подписали губернатор и глава российского подразделения."
)
RU_HTML = (
    "<html><head><title>Завод бытовой техники</title></head><body>"
    f"<h1>Завод бытовой техники</h1><p>{RU_PARA}</p></body></html>"
)


@pytest.mark.parametrize("enc", ["cp1251", "koi8_r"])
@pytest.mark.parametrize("text", [RU_SHORT, RU_PARA, RU_PARA.upper(), RU_PARA.lower()])
def test_cyrillic_without_declaration(enc: str, text: str) -> None:
    got = decode(text.encode(enc))
    assert got.encoding == enc
    assert got.method == "cyrillic"
    assert got.text == text


@pytest.mark.parametrize("enc", ["cp1251", "koi8_r"])
def test_cyrillic_html_without_charset(enc: str) -> None:
    (doc,) = read_bytes(RU_HTML.encode(enc), name="page.html")
    assert isinstance(doc, Document)
    assert "Липецкой области" in doc.text
    assert doc.title == "Завод бытовой техники"
    assert doc.language == "ru"


def test_russian_score_separates_right_from_wrong_decoding() -> None:
    right = russian_score(RU_PARA)
    for wrong in ("koi8_r", "iso8859_5"):
        assert russian_score(RU_PARA.encode("cp1251").decode(wrong)) < right - 0.2


@pytest.mark.parametrize(
    ("bom_codec", "codec"),
    [("utf-16", "utf_16"), ("utf-8-sig", "utf_8"), ("utf-32", "utf_32")],
)
def test_bom(bom_codec: str, codec: str) -> None:
    got = decode(RU_PARA.encode(bom_codec))
    assert got.text == RU_PARA
    assert got.method == "bom"
    assert got.encoding.startswith(codec)


def test_utf16_html_with_bom_is_read() -> None:
    data = codecs.BOM_UTF16_LE + RU_HTML.encode("utf-16-le")
    (doc,) = read_bytes(data, name="page.html")
    assert isinstance(doc, Document) and "шестьсот рабочих мест" in doc.text


def test_meta_charset_is_honoured() -> None:
    # iso8859_5 would never win detection over cp1251 on its own: the declaration decides
    html = f'<html><head><meta charset="iso-8859-5"></head><body><p>{RU_PARA}</p></body></html>'
    got = decode(html.encode("iso8859_5"))
    assert (got.encoding, got.method) == ("iso8859_5", "meta")
    assert RU_PARA in got.text


def test_meta_http_equiv_and_xml_declaration() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    assert declared_charsets(head.encode()) == [("meta", "koi8_r")]
    xml = b'<?xml version="1.0" encoding="windows-1251"?><rss/>'
    assert declared_charsets(xml) == [("xml", "cp1251")]


def test_http_charset_wins_over_meta() -> None:
    html = f'<html><head><meta charset="utf-8"></head><body>{RU_PARA}</body></html>'
    got = decode(html.encode("koi8_r"), content_type="text/html; charset=KOI8-R")
    assert (got.encoding, got.method) == ("koi8_r", "http")
    assert RU_PARA in got.text


def test_wrong_declaration_falls_back_to_detection() -> None:
    got = decode(RU_PARA.encode("cp1251"), content_type="text/html; charset=utf-8")
    assert got.encoding == "cp1251" and got.text == RU_PARA


def test_latin1_label_means_cp1252() -> None:
    assert charset_from_content_type("text/html; charset=ISO-8859-1") == "cp1252"
    assert decode("“Quoted” café".encode("cp1252"), content_type="text/html; charset=iso-8859-1").text == (
        "“Quoted” café"
    )


def test_western_single_byte() -> None:
    text = "Die Gesellschaft plant eine Fabrik für Präzisionsteile in Süddeutschland."
    got = decode(text.encode("cp1252"))
    assert got.text == text and got.method == "detected"


def test_sha256_of_raw_bytes() -> None:
    data = RU_PARA.encode("koi8_r")
    import hashlib

    assert decode(data).sha256 == hashlib.sha256(data).hexdigest()


def test_binary_noise() -> None:
    with pytest.raises(BinaryInput, match="NUL"):
        decode(os.urandom(4096) + b"\x00")
    (err,) = read_bytes(os.urandom(5000) + b"\x00", name="noise.bin")
    assert isinstance(err, BinaryInput) and err.source == "noise.bin"


def test_control_characters_are_binary() -> None:
    data = bytes(range(1, 32)) * 20 + b"some text"
    with pytest.raises(BinaryInput, match="control characters"):
        decode(data)


def test_archives_are_unsupported() -> None:
    with pytest.raises(UnsupportedFormat, match="gzip"):
        decode(b"\x1f\x8b\x08\x00" + os.urandom(100))
    with pytest.raises(UnsupportedFormat, match="zip"):
        decode(b"PK\x03\x04" + os.urandom(100))


@pytest.mark.parametrize("data", [b"", b"   \n\t ", codecs.BOM_UTF8 + b"  "])
def test_empty(data: bytes) -> None:
    with pytest.raises(EmptyInput):
        decode(data)
