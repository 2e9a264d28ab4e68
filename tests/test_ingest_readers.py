"""Reading files and folders: every format mixed, bad input isolated, size limits."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import fdiscope.ingest as ingest
from fdiscope.ingest import (
    BinaryInput,
    BrokenFeed,
    EmptyInput,
    IngestError,
    MalformedRecord,
    TooLarge,
    UnsupportedFormat,
    read_bytes,
    read_path,
    read_paths,
)
from fdiscope.model import Document

RU = "Итальянский концерн откроет в Ульяновске фабрику по выпуску упаковки для продуктов питания."
EN = "A Japanese machinery group will open an assembly plant near Tver, creating 300 jobs."


def _corpus(root: Path) -> None:
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / ".hidden" / "skip.txt").write_text(EN)
    (root / "cp1251.html").write_bytes(f"<html><body><p>{RU}</p></body></html>".encode("cp1251"))
    (root / "sub" / "koi8.txt").write_bytes(RU.encode("koi8_r"))
    (root / "sub" / "utf16.txt").write_bytes(EN.encode("utf-16"))
    (root / "feed.xml").write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
        b"<link>https://f.example.com/</link>"
        b"<item><title>Item one</title><link>/1</link><description>First &amp;amp; only.</description></item>"
        b"</channel></rss>"
    )
    (root / "broken.rss").write_bytes(b"<rss><channel><<<not a feed")
    (root / "sub" / "deeper" / "dump.jsonl").write_text(
        json.dumps({"doc_id": "x", "text": EN})
        + "\n{bad json\n"
        + json.dumps({"text": RU}, ensure_ascii=False)
    )
    (root / "empty.txt").write_bytes(b"")
    (root / "noise.bin").write_bytes(os.urandom(2048) + b"\x00")
    (root / "archive.zip").write_bytes(b"PK\x03\x04" + os.urandom(64))


def test_folder_mixing_everything(tmp_path: Path) -> None:
    _corpus(tmp_path)
    items = list(read_path(tmp_path))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, IngestError)]
    by_source = {d.source: d for d in docs}
    assert by_source[str(tmp_path / "cp1251.html")].text == RU
    assert by_source[str(tmp_path / "sub" / "koi8.txt")].text == RU
    assert by_source[str(tmp_path / "sub" / "utf16.txt")].text == EN
    assert by_source[f"{tmp_path / 'feed.xml'}#1"].url == "https://f.example.com/1"
    assert by_source[f"{tmp_path / 'feed.xml'}#1"].text == "Item one\n\nFirst & only."
    dump = str(tmp_path / "sub" / "deeper" / "dump.jsonl")
    assert by_source[f"{dump}:1#x"].language == "en"
    assert by_source[f"{dump}:3"].language == "ru"
    assert not any(".hidden" in (d.source or "") for d in docs)
    kinds = sorted((type(e).__name__, Path(e.source or "").name, e.line) for e in errors)
    assert kinds == [
        ("BinaryInput", "noise.bin", None),
        ("BrokenFeed", "broken.rss", None),
        ("EmptyInput", "empty.txt", None),
        ("MalformedRecord", "dump.jsonl", 2),
        ("UnsupportedFormat", "archive.zip", None),
    ]
    assert len(docs) == 6
    # the order is stable: sorted names, folders walked depth-first
    assert [i.source for i in read_path(tmp_path)] == [i.source for i in items]


def test_fifty_megabytes_rejected_fast(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as fh:  # sparse: no 50 MB written to disk
        fh.truncate(50 * 1024 * 1024)
    (err,) = read_path(big)
    assert isinstance(err, TooLarge)
    assert "52,428,800 bytes" in err.reason and err.source == str(big)


def test_limit_is_configurable(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(EN)
    (err,) = read_path(f, max_bytes=10)
    assert isinstance(err, TooLarge)
    (doc,) = read_path(f, max_bytes=1000)
    assert isinstance(doc, Document)


def test_read_bytes_too_large() -> None:
    (err,) = read_bytes(b"a" * 2_000, name="x.txt", max_bytes=1_000)
    assert isinstance(err, TooLarge)


def test_jsonl_file_streams_and_limits_each_line(tmp_path: Path) -> None:
    f = tmp_path / "big.jsonl"
    lines = [json.dumps({"text": f"Story number {i} about a plant."}) for i in range(3)]
    lines.insert(1, json.dumps({"text": "y" * 5000}))
    f.write_text("\n".join(lines))
    items = list(read_path(f, max_bytes=1000))
    assert [type(i).__name__ for i in items] == ["Document", "TooLarge", "Document", "Document"]
    assert items[1].line == 2 if isinstance(items[1], TooLarge) else False


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    (err,) = read_path(tmp_path / "nope")
    assert isinstance(err, IngestError) and "no such file" in err.reason
    (tmp_path / "void").mkdir()
    (err2,) = read_path(tmp_path / "void")
    assert isinstance(err2, EmptyInput)


def test_read_paths_keeps_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Second story text here.")
    (tmp_path / "a.txt").write_text("First story text here.")
    docs = list(read_paths([tmp_path / "b.txt", tmp_path / "a.txt"]))
    texts = [d.text for d in docs if isinstance(d, Document)]
    assert texts == ["Second story text here.", "First story text here."]


def test_bom_utf8_text_same_id_as_plain() -> None:
    (a,) = read_bytes(codecs.BOM_UTF8 + EN.encode(), name="a.txt")
    (b,) = read_bytes((EN + "\r\n").encode(), name="b.txt")
    assert isinstance(a, Document) and isinstance(b, Document) and a.id == b.id


def test_error_classes_and_exports() -> None:
    for cls in (BinaryInput, BrokenFeed, EmptyInput, MalformedRecord, TooLarge, UnsupportedFormat):
        assert issubclass(cls, IngestError)
    for name in ingest.__all__:
        assert hasattr(ingest, name), name
    public = {n for n in dir(ingest) if not n.startswith("_")}
    modules = {
        "batch",
        "dedupe",
        "documents",
        "encoding",
        "errors",
        "feeds",
        "html",
        "inputs",
        "jsonl",
        "lang",
        "readers",
    }
    assert callable(ingest.fetch)  # the function, not the module of the same name
    assert public - modules == set(ingest.__all__)


def test_error_message_says_where_and_what() -> None:
    err = MalformedRecord("invalid JSON (Expecting value at column 1)", source="d.jsonl", line=7)
    assert str(err) == "d.jsonl:7: invalid JSON (Expecting value at column 1)"
    assert err.kind == "MalformedRecord"
