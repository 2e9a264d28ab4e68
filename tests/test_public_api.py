"""Every module's ``__all__`` names exist, and the top-level library API works end to end."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import fdiscope

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(fdiscope.__path__, "fdiscope.")
    if not m.name.startswith("fdiscope.web.")
)


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    for attr in getattr(module, "__all__", []):
        assert hasattr(module, attr), f"{name}.__all__ lists missing {attr!r}"


def test_library_round_trip(tmp_path) -> None:
    text = (
        "2024-05-02\nThe Chinese company Lotus Pumps signed an agreement to build a pump plant in Kaluga "
        "Region. "
        "The investment will total 2 billion rubles and the plant will create 150 jobs."
    )
    doc = fdiscope.extract(fdiscope.Document(text=text, language="en"))
    (project,) = doc.projects
    assert project.investors == ["Lotus Pumps"]
    assert project.amount == {"value": 2_000_000_000, "currency": "RUB"}
    assert project.jobs == 150
    assert project.host_region == "RU-KLU"
    assert all(text[ev.start : ev.end] == ev.quote for ev in project.provenance.values())
    prediction = fdiscope.to_prediction(doc)
    assert prediction["projects"][0]["status"] == "agreement"
    with fdiscope.Store(tmp_path / "lib.db") as store:
        assert store.count("documents") == 0
