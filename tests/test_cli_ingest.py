"""Reading sources and the ingest / query / show commands, through click's test runner."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from fdiscope import service  # noqa: F401
from fdiscope.cli import main
from fdiscope.ingest import EmptyInput, MalformedRecord, batch, decode
from fdiscope.ingest import read_path as ingest_read_path
from fdiscope.model import Document, ProjectRecord, TradeRecord, content_id, make_evidence
from fdiscope.pipeline import Doc
from fdiscope.sources import (
    SourceError,
    decode_bytes,
    document_from_text,
    guess_language,
    read_jsonl,
    read_paths,
    read_text_file,
)
from fdiscope.store import Store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

GOOD = (
    "2024-03-14\n"
    "Pump plant for Kaluga\n"
    "\n"
    "Chinese company Hengda will build a pump plant in the Kaluga SEZ. It will invest 2.4 billion rubles."
)


def fake_extract(document: Document) -> Doc:
    """A stand-in extractor: one project per document that mentions a plant, with real spans."""
    doc = Doc(document=document)
    text = document.text
    at = text.rfind("plant")
    if at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find(".", at) + 1
        doc.projects.append(
            ProjectRecord(
                investors=["Hengda"],
                investor_countries=["CN"],
                host_country="RU",
                host_region="RU-KLU",
                sector="machinery",
                status="announced",
                amount={"value": 2_400_000_000, "currency": "RUB"},
                evidence=make_evidence(document.id, text, start, end),
                provenance={"sector": make_evidence(document.id, text, at, at + 5)},
            )
        )
    return doc


@pytest.fixture
def fake_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "_default_extractor", lambda: fake_extract)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"  \n")
    (folder / "sub" / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    # any file in a folder is read; this one as plain text
    (folder / "notes.md").write_text("Notes about the new road in the region.", encoding="utf-8")
    lines = [
        json.dumps({"doc_id": "j1", "text": "Trade of Kaluga with China grew.", "published": "2024-02"}),
        '{"doc_id": "j2", "text": "broken',
        json.dumps({"doc_id": "j3", "text": "A new plant opens in Tula.", "title": "Tula", "language": "en"}),
        "",
        json.dumps({"doc_id": "j4", "text": ""}),
    ]
    (folder / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


# -- sources: the compatibility names over fdiscope.ingest ---------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Калуга и Китай".encode(), "Калуга и Китай"),
        (codecs.BOM_UTF8 + "Калуга".encode(), "Калуга"),
        ("Калуга".encode("utf-16"), "Калуга"),  # with BOM
        (codecs.BOM_UTF16_BE + "Tula".encode("utf-16-be"), "Tula"),
        ("Товарооборот вырос".encode("cp1251"), "Товарооборот вырос"),
        # ingest's decoding: koi8-r is told from cp1251 (the old stack read it as cp1251 mojibake)
        ("Товарооборот вырос".encode("koi8_r"), "Товарооборот вырос"),
    ],
)
def test_decode_bytes(data: bytes, expected: str) -> None:
    assert decode_bytes(data) == expected == decode(data).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"abc\x00def", "binary input (contains NUL bytes)"),
        (bytes(range(1, 32)) * 4, "binary input (104 control characters in 124)"),
        (b"PK\x03\x04zipped", "a zip archive"),
        (b" \n", "empty input"),
    ],
)
def test_decode_bytes_refuses_what_is_not_text(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        decode_bytes(data)


def test_document_from_text_reads_date_title_language() -> None:
    raw = "\r\n28.10.2024 - 11:16\r\nЗавод в Калуге\r\n\r\nКитайская компания построит завод.\r\n"
    d = document_from_text(raw)
    assert d.text == raw.strip().replace("\r\n", "\n")
    assert (d.published, d.title, d.language) == ("2024-10-28", "Завод в Калуге", "ru")
    one_line = document_from_text("Just one long sentence about a plant in Kaluga.")
    assert one_line.title is None and one_line.published is None
    given = document_from_text(raw, "api", title="Plant", published="2024-10", language="en", url="u")
    assert (given.id, given.title, given.published, given.language) == (d.id, "Plant", "2024-10", "en")
    assert (given.source, given.url) == ("api", "u")
    with pytest.raises(ValueError, match="empty text"):
        document_from_text(" \r\n ")


def test_guess_language_is_ingest_detection() -> None:
    assert guess_language("Китайская компания построит завод в регионе.") == "ru"
    assert guess_language("The company will build a plant in the region.") == "en"
    # not forced into en/ru any more: other languages are told and stored unextracted
    assert guess_language("Das Unternehmen wird im nächsten Jahr ein neues Werk in der Region bauen.") == "de"
    assert guess_language("12345") == "und"


def test_read_paths_reports_bad_items_and_keeps_going(mixed: Path) -> None:
    items = list(read_paths([mixed, mixed / "missing.txt"]))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [(Path(e.source).name, e.reason) for e in items if isinstance(e, SourceError)]
    jsonl = mixed / "docs.jsonl"
    assert [d.source for d in docs] == [
        f"{jsonl}:1#j1",
        f"{jsonl}:3#j3",
        str(mixed / "good.txt"),
        str(mixed / "notes.md"),  # every file in a folder is read, as `fdiscope ingest` does
    ]
    assert docs[0].published == "2024-02" and docs[0].language == "en"
    assert docs[1].title == "Tula"
    assert docs[2].title == "Pump plant for Kaluga" and docs[2].published == "2024-03-14"
    assert docs[3].text == "Notes about the new road in the region." and docs[3].title is None
    assert errors == [
        ("docs.jsonl:2", "invalid JSON (Unterminated string starting at at column 26)"),
        ("docs.jsonl:5", '"text" is empty or not a string'),
        ("empty.txt", "empty input (no bytes or only blank space)"),
        ("binary.txt", "binary input (a PNG image), not text"),
        ("missing.txt", "no such file or folder"),
    ]


def test_every_route_gives_the_same_document(mixed: Path, tmp_path: Path) -> None:
    """A file read by the old names or by ingest, and its text given directly: one content id."""
    good = mixed / "good.txt"
    (via_ingest,) = ingest_read_path(good)
    (via_sources,) = read_paths([good])
    from_file = read_text_file(good)
    from_text = document_from_text(good.read_text(encoding="utf-8"), str(good))
    assert isinstance(via_ingest, Document)
    assert via_ingest == via_sources == from_file  # raw_sha256 included
    assert from_text.id == via_ingest.id == content_id(GOOD)
    assert (from_text.title, from_text.published, from_text.language) == (
        via_ingest.title,
        via_ingest.published,
        via_ingest.language,
    )
    # a JSON line and the same text given directly; a cp1251 copy of the file with CRLF
    line = next(d for d in read_jsonl(mixed / "docs.jsonl") if isinstance(d, Document))
    assert line.id == document_from_text("Trade of Kaluga with China grew.").id
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(GOOD.encode("cp1251") + b"\r\n")
    assert read_text_file(legacy).id == via_ingest.id


def test_read_text_file_refuses_what_makes_no_single_document(mixed: Path) -> None:
    with pytest.raises(ValueError, match="empty input"):
        read_text_file(mixed / "empty.txt")
    with pytest.raises(ValueError, match="makes 4 documents or errors"):
        read_text_file(mixed / "docs.jsonl")


def test_empty_jsonl_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "none.jsonl").write_bytes(b"\n  \n")
    (err,) = read_jsonl(tmp_path / "none.jsonl")
    assert err == SourceError(str(tmp_path / "none.jsonl"), "empty input (no bytes or only blank space)")
    (exc,) = ingest_read_path(tmp_path / "none.jsonl")
    assert isinstance(exc, EmptyInput)


def test_source_error_from_ingest_error() -> None:
    err = MalformedRecord("invalid JSON", source="dump.jsonl", line=7)
    assert SourceError.of(err) == SourceError("dump.jsonl:7", "invalid JSON")
    assert str(SourceError.of(err)) == str(err) == "dump.jsonl:7: invalid JSON"


# -- ingest --------------------------------------------------------------------------------


def test_ingest_mixed_folder(runner: CliRunner, mixed: Path, db_path: Path, fake_extractor: None) -> None:
    result = runner.invoke(main, ["ingest", str(mixed), "--db", str(db_path)])
    assert result.exit_code == 1, result.output
    assert result.stdout.strip().splitlines()[-1] == "ingested 4, duplicates 0, failed 4"
    skips = result.stderr.strip().splitlines()
    assert len(skips) == 4
    assert skips[0].startswith(f"skip {mixed / 'docs.jsonl'}:2: invalid JSON")
    assert skips[1] == f'skip {mixed / "docs.jsonl"}:5: "text" is empty or not a string'
    assert skips[2] == f"skip {mixed / 'empty.txt'}: empty input (no bytes or only blank space)"
    assert skips[3] == f"skip {mixed / 'sub' / 'binary.txt'}: binary input (a PNG image), not text"

    with Store(db_path) as s:
        assert [(Path(e.source).name, e.reason.split(" (")[0]) for e in s.errors()] == [
            ("docs.jsonl:2", "invalid JSON"),
            ("docs.jsonl:5", '"text" is empty or not a string'),
            ("empty.txt", "empty input"),
            ("binary.txt", "binary input"),
        ]
        assert s.count("documents") == 4
        assert s.count("projects") == 2  # good.txt and the Tula line mention a plant

    again = runner.invoke(
        main, ["ingest", str(mixed / "good.txt"), str(mixed / "docs.jsonl"), "--db", str(db_path)]
    )
    assert again.exit_code == 1
    assert again.stdout.strip() == "ingested 0, duplicates 3, failed 2"
    with Store(db_path) as s:
        assert s.count("documents") == 4 and s.count("projects") == 2 and s.count("evidence") == 2
        assert s.count("ingest_errors") == 6


def test_ingest_all_good_exits_zero(
    runner: CliRunner, tmp_path: Path, db_path: Path, fake_extractor: None
) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(GOOD + "\n\n", encoding="utf-8")  # same text after stripping
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "copy.txt")]
    result = runner.invoke(main, ["ingest", *paths, "--db", str(db_path)])
    assert result.exit_code == 0
    assert result.stdout.strip() == "ingested 1, duplicates 1, failed 0"
    assert result.stderr == ""


def test_ingest_uses_fdiscope_db_env(runner: CliRunner, tmp_path: Path, fake_extractor: None) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    target = tmp_path / "from-env.db"
    result = runner.invoke(main, ["ingest", str(tmp_path / "a.txt")], env={"FDISCOPE_DB": str(target)})
    assert result.exit_code == 0 and target.exists()


def test_extraction_failure_is_reported_not_fatal(
    runner: CliRunner, tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def flaky(document: Document) -> Doc:
        if "boom" in document.text:
            raise RuntimeError("cannot parse")
        return fake_extract(document)

    def bad_span(document: Document) -> Doc:
        doc = Doc(document=document)
        doc.trade.append(TradeRecord(evidence=make_evidence("elsewhere", "x" * 10, 0, 3)))
        return doc

    monkeypatch.setattr(batch, "_default_extractor", lambda: flaky)
    (tmp_path / "a.txt").write_text("boom goes the article", encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    paths = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    result = runner.invoke(main, ["ingest", *paths, "--db", str(db_path)])
    assert result.exit_code == 1
    expected = f"skip {tmp_path / 'a.txt'}: extraction failed: RuntimeError: cannot parse"
    assert result.stderr.strip() == expected
    assert result.stdout.strip() == "ingested 1, duplicates 0, failed 1"

    monkeypatch.setattr(batch, "_default_extractor", lambda: bad_span)
    (tmp_path / "c.txt").write_text("Another article entirely.", encoding="utf-8")
    result = runner.invoke(main, ["ingest", str(tmp_path / "c.txt"), "--db", str(db_path)])
    assert result.exit_code == 1 and "bad evidence, document not stored" in result.stderr
    with Store(db_path) as s:
        assert s.count("documents") == 1 and s.count("ingest_errors") == 2


def test_ingest_help_documents_exit_status(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ingest", "--help"])
    assert result.exit_code == 0
    assert "0 when no item failed, 1 when at least one item failed" in " ".join(result.output.split())


def test_examples_ingest_cleanly_with_the_real_extractor(runner: CliRunner, db_path: Path) -> None:
    files = sorted(EXAMPLES.glob("*.txt"))
    assert len(files) >= 6
    result = runner.invoke(main, ["ingest", str(EXAMPLES), "--db", str(db_path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"ingested {len(files)}, duplicates 0, failed 0"
    with Store(db_path) as s:
        languages = sorted({d.language for d in s.iter_documents()})
        assert languages == ["en", "ru"]
        assert all(d.published and d.title for d in s.iter_documents())


# -- query and show ------------------------------------------------------------------------


@pytest.fixture
def ingested(runner: CliRunner, mixed: Path, db_path: Path, fake_extractor: None) -> Path:
    # good.txt first, so its project is project:1
    first = runner.invoke(main, ["ingest", str(mixed / "good.txt"), "--db", str(db_path)])
    assert first.exit_code == 0
    runner.invoke(main, ["ingest", str(mixed), "--db", str(db_path)])
    return db_path


def test_projects_json_parses(runner: CliRunner, ingested: Path) -> None:
    result = runner.invoke(main, ["projects", "--db", str(ingested), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["project:1", "project:2"]
    assert rows[0]["investors"] == ["Hengda"]
    assert rows[0]["amount"] == {"value": 2400000000, "currency": "RUB"}
    assert rows[1]["document"]["title"] == "Tula"
    assert rows[0]["provenance"]["sector"]["quote"] == "plant"


def test_projects_table_and_filters(runner: CliRunner, ingested: Path) -> None:
    table = runner.invoke(main, ["projects", "--db", str(ingested)])
    assert table.exit_code == 0
    header, rule, *rows = table.stdout.splitlines()
    assert header.split() == [
        "id",
        "investors",
        "countries",
        "region",
        "sector",
        "kind",
        "status",
        "amount",
        "jobs",
        "document",
    ]
    assert set(rule.replace(" ", "")) == {"-"}
    assert len(rows) == 2 and "2 400 000 000 RUB" in rows[0] and "Pump plant for Kaluga" in rows[0]
    only = runner.invoke(main, ["projects", "--db", str(ingested), "--q", 'Tula" OR 1=1', "--json"])
    assert only.exit_code == 0
    assert [json.loads(x)["document"]["title"] for x in only.stdout.splitlines()] == []
    args = ["projects", "--db", str(ingested), "--q", "tula", "--country", "CN", "--json"]
    tula = runner.invoke(main, args)
    assert [json.loads(x)["document"]["title"] for x in tula.stdout.splitlines()] == ["Tula"]
    since = runner.invoke(main, ["projects", "--db", str(ingested), "--since", "2024-03", "--json"])
    assert [json.loads(x)["id"] for x in since.stdout.splitlines()] == ["project:1"]
    none = runner.invoke(main, ["trade", "--db", str(ingested)])
    assert none.exit_code == 0 and none.stdout == "" and "no trade records match" in none.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["projects", "--since", "2024-13"], "--since '2024-13' is not a date"),
        (["projects", "--q", '" *'], "has no word to search for"),
        (["trade", "--flow", "sideways"], "Invalid value for '--flow'"),
    ],
)
def test_bad_query_options_are_usage_errors(
    runner: CliRunner, ingested: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(main, [*args, "--db", str(ingested)])
    assert result.exit_code == 2
    assert message in result.stderr


def test_query_without_database_says_how_to_make_one(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["events", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "fdiscope ingest" in result.stderr
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("ref", ["project:1", "p1", "P1", "projects:1"])
def test_show_marks_the_evidence(runner: CliRunner, ingested: Path, ref: str) -> None:
    result = runner.invoke(main, ["show", ref, "--db", str(ingested)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.splitlines()[0] == "project:1"
    assert re.search(r"investors:\s+Hengda", out)
    assert "Pump plant for Kaluga" in out and "published: 2024-03-14" in out
    assert "Chinese company Hengda will build a pump »plant« in the Kaluga SEZ." in out
    assert "»Chinese company Hengda will build a pump plant in the Kaluga SEZ.«" in out


@pytest.mark.parametrize(
    ("ref", "code", "message"), [("x:1", 2, "cannot read record id"), ("event:9", 1, "no event record")]
)
def test_show_bad_reference(runner: CliRunner, ingested: Path, ref: str, code: int, message: str) -> None:
    result = runner.invoke(main, ["show", ref, "--db", str(ingested)])
    assert result.exit_code == code
    assert message in result.stderr


def test_python_dash_m_runs_the_command_line() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "fdiscope", "--help"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0 and "ingest" in out.stdout and "extract" in out.stdout
