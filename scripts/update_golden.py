"""Regenerate the golden extraction outputs of the example articles.

    python scripts/update_golden.py          # rewrite tests/golden/*.json
    python scripts/update_golden.py --check  # exit 1 and list the files that would change

Review the diff of tests/golden/ before committing: a golden file is a promise about what the
extractor reads from an article, so every change to it should be one you meant.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fdiscope.extract import extract, to_prediction
from fdiscope.model import Document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"


def language_of(path: Path) -> str:
    """Examples name their language in the file name: ``05-novosibirsk-ru.txt`` is Russian."""
    return "ru" if path.stem.endswith("-ru") else "en"


def golden_of(path: Path) -> dict:
    document = Document(text=path.read_text(encoding="utf-8"), language=language_of(path))
    prediction = to_prediction(extract(document))
    prediction["doc_id"] = path.stem
    return prediction


def render(prediction: dict) -> str:
    return json.dumps(prediction, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that would change")
    args = parser.parse_args(argv)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    changed = []
    for path in sorted(EXAMPLES.glob("*.txt")):
        target = GOLDEN / f"{path.stem}.json"
        text = render(golden_of(path))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            changed.append(target.name)
            if not args.check:
                target.write_text(text, encoding="utf-8")
    for name in changed:
        print(("would change " if args.check else "wrote ") + name)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
