#!/usr/bin/env python
"""Build the tile-grid cartogram of Russia's federal subjects the dashboard map draws.

No region boundaries could be shipped: the machine has no internet, and the registry packages
that carry Russian region geometry (amCharts geodata: linkware that forbids redistribution on
its own and requires its logo; the Highcharts map collection: needs a Highcharts licence) do
not fit an Apache-2.0 project.  So the map is a *cartogram*: every subject is one equal square
placed on a hand-made grid that keeps neighbours roughly next to each other (north at the top,
west on the left).  Its coordinates are abstract grid units (column, -row), NOT longitude and
latitude; the file says so in its ``fdiscope:coordinates`` member.

The subjects are the 83 ISO 3166-2:RU codes of ``src/fdiscope/data/gazetteer/hand_ru_subjects.tsv``
(names in English and Russian come from there).  The script fails if a code is missing from the
grid, placed twice, or unknown.

Usage::

    python scripts/build_region_grid.py           # write src/fdiscope/web/static/ru_regions_grid.geojson
    python scripts/build_region_grid.py --check   # exit 1 if the file is not current
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBJECTS = ROOT / "src" / "fdiscope" / "data" / "gazetteer" / "hand_ru_subjects.tsv"
OUT = ROOT / "src" / "fdiscope" / "web" / "static" / "ru_regions_grid.geojson"

# One line per grid row, north to south; "column:CODE" (code without the "RU-" prefix).
GRID = """
2:MUR 6:NEN 9:YAN 17:CHU
2:KR 4:ARK 6:KO 9:KHM 11:KYA 13:SA 15:MAG 17:KAM
1:SPE 2:LEN 4:VLG 6:KIR 7:PER 8:SVE 9:TYU 10:TOM 12:IRK 14:AMU 15:KHA 17:SAK
0:KGD 1:PSK 2:NGR 3:TVE 4:YAR 5:KOS 6:ME 7:UD 8:CHE 9:KGN 10:NVS 11:KEM 12:BU 13:ZAB 14:YEV 15:PRI
1:SMO 2:MOS 3:MOW 4:VLA 5:IVA 6:NIZ 7:CU 8:TA 9:BA 10:OMS 11:ALT 12:KK
1:BRY 2:KLU 3:TUL 4:RYA 5:MO 6:PNZ 7:ULY 8:SAM 9:ORE 11:AL 12:TY
1:KRS 2:ORL 3:LIP 4:TAM 5:SAR
1:BEL 2:VOR 3:VGG
1:KDA 2:ROS 3:KL 4:AST
1:AD 2:STA 3:CE 4:DA
1:KC 2:KB 3:SE 4:IN
"""


def read_subjects() -> dict[str, tuple[str, str]]:
    """code -> (English name, first Russian name)."""
    out: dict[str, tuple[str, str]] = {}
    for line in SUBJECTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("code\t"):
            continue
        cols = line.split("\t")
        ru = cols[3].split("|")[0].split("=")[0] if len(cols) > 3 else ""
        out[cols[0]] = (cols[1], ru)
    return out


def build() -> dict[str, object]:
    subjects = read_subjects()
    placed: dict[str, tuple[int, int]] = {}
    cells: set[tuple[int, int]] = set()
    for row, line in enumerate(l for l in GRID.strip().splitlines()):
        for item in line.split():
            col_s, short = item.split(":")
            code, col = f"RU-{short}", int(col_s)
            if code not in subjects:
                raise SystemExit(f"grid has {code}, which is not in {SUBJECTS.name}")
            if code in placed:
                raise SystemExit(f"{code} is placed twice")
            if (col, row) in cells:
                raise SystemExit(f"cell column {col} row {row} is used twice")
            placed[code] = (col, row)
            cells.add((col, row))
    missing = sorted(set(subjects) - set(placed))
    if missing:
        raise SystemExit(f"not on the grid: {', '.join(missing)}")
    features = []
    for code in sorted(placed):
        col, row = placed[code]
        x0, y0, x1, y1 = col, -row - 1, col + 1, -row
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "code": code,
                    "name": subjects[code][0],
                    "name_ru": subjects[code][1],
                    "col": col,
                    "row": row,
                },  # fmt: skip
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "fdiscope:coordinates": "tile-grid cartogram in abstract grid units (column, -row); not longitude/latitude",
        "fdiscope:generated_by": "scripts/build_region_grid.py",
        "features": features,
    }


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--check", action="store_true", help="exit 1 if the shipped file is not current")
    args = p.parse_args(argv)
    text = render()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is not current; run python scripts/build_region_grid.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(build()['features'])} regions)")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
