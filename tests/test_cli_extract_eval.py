"""``fdiscope extract`` and ``fdiscope eval`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fdiscope.cli import main
from fdiscope.model import Document, make_evidence
from fdiscope.pipeline import Doc

TEXT = "Kaluga signs a deal. The plant will cost 1 billion rubles."


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------ extract


def test_extract_writes_one_prediction_per_good_line_and_reports_malformed(tmp_path: Path) -> None:
    docs = write_jsonl(
        tmp_path / "docs.jsonl",
        [
            {"doc_id": "a", "text": TEXT, "language": "en", "published": "2015-06-02", "extra": 1},
            "{not json",
            {"doc_id": "b", "text": "Калуга.", "language": "ru", "url": "https://x", "title": "T"},
            {"doc_id": "c"},  # no text
            ["a", "list"],
            "",
            {"doc_id": "a", "text": "again"},  # repeated id
        ],
    )
    out = tmp_path / "out" / "pred.jsonl"
    result = CliRunner().invoke(main, ["extract", str(docs), "-o", str(out)])
    assert result.exit_code == 1, result.output
    preds = read_jsonl(out)
    assert [p["doc_id"] for p in preds] == ["a", "b"]
    assert preds[0]["language"] == "en" and preds[1]["language"] == "ru"
    assert preds[0]["published"] == "2015-06-02" and preds[1]["url"] == "https://x"
    for p in preds:
        assert {"projects", "trade", "events"} <= set(p)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 5  # four bad lines and the summary
    assert f"{docs}:2: invalid JSON" in errors[0]
    assert ":4:" in errors[1] and "'text'" in errors[1]
    assert ":5:" in errors[2] and "JSON object" in errors[2]
    assert ":7:" in errors[3] and "repeated" in errors[3]
    assert "extracted 2 documents in " in result.stderr and "docs/s)" in result.stderr


def test_extract_clean_input_exits_zero(tmp_path: Path) -> None:
    docs = write_jsonl(tmp_path / "docs.jsonl", [{"doc_id": f"d{i}", "text": TEXT} for i in range(60)])
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, ["extract", str(docs), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert len(read_jsonl(out)) == 60
    assert "extracted 60 documents" in result.stderr
    assert "it/s" not in result.stderr and "doc/s]" not in result.stderr  # no bar: stderr is not a tty


def test_extract_uses_the_input_doc_id_and_survives_a_failing_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fdiscope.cli import cmd_extract
    from fdiscope.model import ProjectRecord

    seen: list[Document] = []

    def fake_extract(document: Document) -> Doc:
        seen.append(document)
        if document.id == "boom":
            raise RuntimeError("extractor bug")
        ev = make_evidence(document.id, document.text, 0, 6)
        rec = ProjectRecord(host_region="RU-KLU", evidence=ev, provenance={"host_region": ev})
        return Doc(document=document, lang=document.language or "en", projects=[rec])

    monkeypatch.setattr(cmd_extract, "extract", fake_extract)
    docs = write_jsonl(
        tmp_path / "docs.jsonl",
        [{"doc_id": "k-1", "text": TEXT, "language": "en"}, {"doc_id": "boom", "text": TEXT}],
    )
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, ["extract", str(docs), "-o", str(out)])
    assert result.exit_code == 1
    assert "extraction failed for 'boom'" in result.stderr
    assert [d.id for d in seen] == ["k-1", "boom"]
    (pred,) = read_jsonl(out)
    assert pred["doc_id"] == "k-1"
    assert pred["projects"][0]["provenance"]["host_region"] == {
        "doc_id": "k-1",
        "start": 0,
        "end": 6,
        "quote": "Kaluga",
    }
    # ... and those predictions pass the evidence check of eval
    gold = write_jsonl(
        tmp_path / "gold.jsonl",
        [{"doc_id": "k-1", "language": "en", "text": TEXT, "projects": [{"host_region": "RU-KLU"}]}],
    )
    ev = CliRunner().invoke(main, ["eval", str(gold), str(out), "--json"])
    data = json.loads(ev.stdout)
    assert data["bad_evidence"]["count"] == 0
    assert data["types"]["projects"]["fields"]["host_region"]["tp"] == 1


# --------------------------------------------------------------------------------------------- eval

GOLD = [
    {
        "doc_id": "e1",
        "language": "en",
        "text": TEXT,
        "projects": [
            {
                "investors": ["IG BR"],
                "host_region": "RU-KLU",
                "amount": {"value": 1e9, "currency": "RUB"},
                "status": "agreement",
            }
        ],
        "trade": [],
        "events": [],
    },
    {
        "doc_id": "r1",
        "language": "ru",
        "text": "Форум в Сочи.",
        "projects": [],
        "trade": [],
        "events": [{"name": "Форум", "kind": "forum", "city": "Сочи", "country": "RU"}],
    },
]
PRED = [
    {
        "doc_id": "e1",
        "projects": [
            {
                "investors": ['LLC "IGBR"'],
                "host_region": "RU-KLU",
                "amount": {"value": 1.004e9, "currency": "RUB"},
                "status": "construction",
                "provenance": {"host_region": {"doc_id": "e1", "start": 0, "end": 6, "quote": "Kaluga"}},
            }
        ],
        "trade": [],
        "events": [],
    },
    {
        "doc_id": "r1",
        "projects": [],
        "trade": [],
        "events": [{"name": "Форум", "kind": "forum", "city": "Сочи", "country": "RU"}],
    },
    {"doc_id": "stray", "projects": [], "trade": [], "events": []},
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    return write_jsonl(tmp_path / "gold.jsonl", GOLD), write_jsonl(tmp_path / "pred.jsonl", PRED)


def floors_file(tmp_path: Path, **floors: float) -> Path:
    path = tmp_path / "floors.json"
    path.write_text(json.dumps(floors), encoding="utf-8")
    return path


def test_eval_table(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["eval", *map(str, files)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for needle in (
        "projects records",
        "projects slots",
        "trade slots",
        "events slots",
        "overall slots",
        "en overall",
        "ru overall",
        "projects.investors",
        "events.city",
        "bad evidence quotes: 0",
    ):
        assert needle in out, needle
    # projects: investors, host_region, amount TP; status FP+FN -> 3 TP 1 FP 1 FN; events 3 TP
    assert "overall slots          P  0.857  R  0.857  F1  0.857   TP     6  FP     1  FN     1" in out
    assert "warning: prediction for unknown doc_id 'stray' ignored" in result.stderr


def test_eval_json(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["eval", *map(str, files), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"documents", "overall", "types", "languages", "bad_evidence", "metrics", "warnings"} <= set(data)
    assert set(data["types"]) == {"projects", "trade", "events"}
    assert {"records", "slots", "fields"} <= set(data["types"]["projects"])
    assert data["overall"]["slots"]["tp"] == 6
    assert data["metrics"]["en_overall_slot_f1"] == 0.75
    assert data["metrics"]["ru_overall_slot_f1"] == 1.0
    assert data["types"]["projects"]["fields"]["status"] == {
        "tp": 0,
        "fp": 1,
        "fn": 1,
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
    }
    assert "gate" not in data


def test_eval_lang_filter(files: tuple[Path, Path]) -> None:
    result = CliRunner().invoke(main, ["eval", *map(str, files), "--json", "--lang", "ru"])
    data = json.loads(result.stdout)
    assert data["documents"] == 1 and list(data["languages"]) == ["ru"]
    assert data["overall"]["slots"]["f1"] == 1.0


def test_eval_floors_pass(files: tuple[Path, Path], tmp_path: Path) -> None:
    floors = floors_file(tmp_path, overall_slot_f1=0.85, en_overall_slot_f1=0.75, ru_overall_slot_f1=1.0)
    result = CliRunner().invoke(main, ["eval", *map(str, files), "--floors", str(floors)])
    assert result.exit_code == 0, result.output
    assert "PASS  overall_slot_f1 = 0.857 (floor 0.850)" in result.stdout
    assert "PASS  bad_evidence = 0 (must be 0)" in result.stdout
    assert "gate: PASSED" in result.stdout


def test_eval_floors_fail(files: tuple[Path, Path], tmp_path: Path) -> None:
    floors = floors_file(tmp_path, overall_slot_f1=0.9, projects_slot_f1=0.1)
    result = CliRunner().invoke(main, ["eval", *map(str, files), "--floors", str(floors)])
    assert result.exit_code == 1
    assert "FAIL  overall_slot_f1 = 0.857 (floor 0.900)" in result.stdout
    assert "PASS  projects_slot_f1 = 0.750 (floor 0.100)" in result.stdout
    assert "gate: FAILED" in result.stdout
    as_json = CliRunner().invoke(main, ["eval", *map(str, files), "--floors", str(floors), "--json"])
    assert as_json.exit_code == 1
    gate = json.loads(as_json.stdout)["gate"]
    assert gate["passed"] is False
    assert [c["name"] for c in gate["checks"]] == ["overall_slot_f1", "projects_slot_f1", "bad_evidence"]


def test_eval_bad_evidence_fails_the_gate(tmp_path: Path) -> None:
    pred = json.loads(json.dumps(PRED))
    pred[0]["projects"][0]["provenance"]["host_region"]["quote"] = "Kaluga signs"
    gold_path = write_jsonl(tmp_path / "gold.jsonl", GOLD)
    pred_path = write_jsonl(tmp_path / "pred.jsonl", pred)
    floors = floors_file(tmp_path, overall_slot_f1=0.0)
    result = CliRunner().invoke(main, ["eval", str(gold_path), str(pred_path), "--floors", str(floors)])
    assert result.exit_code == 1
    assert "bad evidence quotes: 1" in result.stdout
    assert "e1 projects[0].host_region: quote 'Kaluga signs' is not text[0:6]" in result.stdout
    assert "FAIL  bad_evidence = 1 (must be 0)" in result.stdout


def test_eval_repository_floors_and_input_errors(files: tuple[Path, Path], tmp_path: Path) -> None:
    repo_floors = Path(__file__).parents[1] / "eval" / "floors.json"
    gold, _ = files
    perfect = CliRunner().invoke(main, ["eval", str(gold), str(gold), "--floors", str(repo_floors)])
    assert perfect.exit_code == 0, perfect.output
    broken = write_jsonl(tmp_path / "broken.jsonl", ["{oops"])
    result = CliRunner().invoke(main, ["eval", str(gold), str(broken)])
    assert result.exit_code == 2
    assert f"{broken}:1: invalid JSON" in result.stderr
    bad_floors = tmp_path / "bad.json"
    bad_floors.write_text('{"overall_slot_f1": 2}', encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(gold), str(gold), "--floors", str(bad_floors)])
    assert result.exit_code == 2 and "between 0 and 1" in result.stderr


def test_extract_reads_a_text_or_html_file_as_ingest_does(tmp_path: Path) -> None:
    text = tmp_path / "plant.txt"
    text.write_text(
        "2024-03-14\nPlant in Kaluga\n\nThe Chinese company Redwood Pumps will build a pump plant in "
        "Kaluga Region for 1 billion rubles, creating 80 jobs.\n",
        encoding="utf-8",
    )
    page = tmp_path / "plant.html"
    page.write_text(
        "<html><head><title>Plant in Tula</title></head><body><article><p>The Chinese company "
        "Redwood Pumps will build a pump plant in Tula Region for 2 billion rubles.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    for path, region, value in ((text, "RU-KLU", 1e9), (page, "RU-TUL", 2e9)):
        out = tmp_path / f"{path.stem}-{path.suffix[1:]}.jsonl"
        result = CliRunner().invoke(main, ["extract", str(path), "-o", str(out)])
        assert result.exit_code == 0, result.output
        (pred,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        assert pred["doc_id"] == str(path)
        (p,) = pred["projects"]
        assert (p["investors"], p["host_region"], p["amount"]["value"]) == (["Redwood Pumps"], region, value)


def test_extract_of_an_empty_text_file_fails_with_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(empty), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    assert "empty" in result.output.lower()
