"""Time a SEN2 XML return of 200,000 requests: importing it against lxml's iterparse just walking the same file.

    .venv/bin/python bench/bench_sen2_import.py [--requests 200000] [--seed 7] [--repeat 3] \
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/DBNAME]

The database named by --database-url is EMPTIED (its schema is dropped and rebuilt by the migrations); without
it a new SQLite file in a temporary folder is used. The return (2026 layout, invented people) is written by
`sen2_returns.write_xml_to` into bench/out/ (not committed) and kept for later runs. Its requests are a mix of
every state: plans issued (about a fifth with an annual review, some ceased, some with phase-transfer dates),
refusals (some appealed, a few overturned), withdrawals, assessments ending without a plan, requests still
being decided or assessed, moves out, 20-week exceptions, and plans older than the data (H) with their reviews.

Timed, each `--repeat` times, taking turns so that load on a shared machine hits every side alike, best kept:

- walk: `for _ in lxml.etree.iterparse(path): pass`, lxml's defaults: the baseline the target names;
- walk and clear: the same, clearing each finished `<Person>` and its earlier siblings (what a streaming reader
  must do to stay small), shown for comparison;
- read: `read_sen2(path)`, the reader and checker alone (no database);
- import: `import_sen2` from the path into a partnership with no cases, then COMMIT (reading, checking,
  pseudonymising, tying H records to stored cases, comparing and storing every case and review).

Then the peak memory (VmHWM) of each of the walk, the read and the import in a fresh process.
Targets (issue 15): the import at most 3x the walk, in the same run; peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.bench_case_import import load_average  # noqa: E402
from bench.bench_case_import_db import child, make_app, new_partnership  # noqa: E402
from inspect_app.domain.sen2_returns import (  # noqa: E402
    ActivePlan,
    Assessment,
    Header,
    NamedPlan,
    Person,
    Request,
    Setting,
    write_xml_to,
)
from inspect_app.importers.sen2 import Sen2ImportResult, read_sen2  # noqa: E402
from inspect_app.services.sen2_imports import Sen2Stored  # noqa: E402

TODAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 9, 0)
YEAR = 2026
CENSUS = date(2026, 1, 15)
RATIO_TARGET = 3.0
MEMORY_TARGET_MB = 1024
SECRET = b"bench-secret-0123456789abcdef0123"


def sen2_file(requests: int, seed: int) -> Path:
    """Write (once) the 2026 return of `requests` requests into bench/out/ and return its path."""
    path = ROOT / "bench" / "out" / f"sen2_{requests}_{seed}.xml"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    with partial.open("wb") as stream:
        write_xml_to(stream, Header(YEAR, "805", CENSUS), people(requests, seed))
    partial.rename(path)
    return path


def people(requests: int, seed: int) -> Iterator[Person]:
    """Invented people whose requests total `requests`: most one, some a second (a re-assessment or a new ask)."""
    rng = random.Random(seed)
    written = number = 0
    while written < requests:
        number += 1
        wanted = min(requests - written, 2 if rng.random() < 0.12 else 1)
        born = date(2006, 9, 1) + timedelta(days=rng.randrange(18 * 365))
        upn = f"A{number:012d}" if rng.random() < 0.9 else None
        uln = None if upn else f"{1_000_000_000 + number}"
        made: list[Request] = []
        while len(made) < wanted:  # one request per person and day (the reader refuses two)
            request = _request(rng, first=not made)
            if request.received is None or request.received not in {earlier.received for earlier in made}:
                made.append(request)
        written += wanted
        yield Person(f"Surname{number}", f"Forename{number}", born, upn=upn, uln=uln, requests=made)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _known(day: date) -> date | None:
    return day if day <= CENSUS else None


def _request(rng: random.Random, *, first: bool) -> Request:
    draw = rng.random()
    if first and draw < 0.18:
        return _historical(rng)
    received = _day(rng, date(2023, 1, 1), date(2025, 12, 20))
    decided = received + timedelta(days=int(rng.triangular(20, 70, 40)))
    if decided > CENSUS:
        return Request(received, "A")
    if draw < 0.30:  # refused; some appealed, a few overturned with a plan after the tribunal
        tribunal = rng.random() < 0.08
        overturned = tribunal and rng.random() < 0.5
        plan_day = decided + timedelta(days=rng.randrange(150, 300))
        if overturned and plan_day <= CENSUS:
            assessment = Assessment("Y", plan_day, plan=NamedPlan(plan_day))
            return Request(received, "N", decided, tribunal=True, assessment=assessment, active_plan=ActivePlan())
        return Request(received, "N", decided, mediation=rng.random() < 0.05, tribunal=tribunal)
    if draw < 0.34:
        return Request(received, "W", _known(received + timedelta(days=rng.randrange(5, 40))))
    if draw < 0.36:
        return Request(received, "Y", decided, exported=rng.choice(("936", "873", "886")))
    ended = received + timedelta(days=int(rng.triangular(90, 400, 135)))
    if ended > CENSUS:
        return Request(received, "Y", decided, assessment=Assessment("A"))
    if draw < 0.42:
        return Request(received, "Y", decided, assessment=Assessment(rng.choice("NNNW"), ended))
    return _plan(rng, received, decided, ended)


def _plan(rng: random.Random, received: date, decided: date, issued: date) -> Request:
    plan = NamedPlan(issued, settings=[Setting(urn=str(100_000 + rng.randrange(400)))])
    active = ActivePlan(
        placements=[Setting(urn=plan.settings[0].urn)], needs=[(rng.choice(("ASD", "SLCN", "SEMH", "MLD")), 1)]
    )
    meeting = issued + timedelta(days=int(rng.triangular(300, 420, 350)))
    if meeting <= CENSUS:
        active.review_meeting = meeting
        active.review_outcome = rng.choice("MMMAAC")
        active.last_review = _known(meeting + timedelta(days=rng.randrange(3, 40)))
        if active.review_outcome == "A" and active.last_review:
            active.review_draft = active.last_review
        if active.review_outcome == "C" and active.last_review:
            plan.cease_date, plan.cease_reason = active.last_review, rng.choice("12345")
    if rng.random() < 0.1:
        active.phase_transfer_due = date(2026, 2, 15)
        active.phase_transfer_final = _known(date(2026, 1, rng.randrange(1, 15)))
    assessment = Assessment(
        "Y",
        issued,
        plan=plan,
        mediation=rng.random() < 0.03,
        tribunal=rng.random() < 0.02,
        week20=rng.random() < 0.03,
    )
    return Request(received, "Y", decided, assessment=assessment, active_plan=active)


def _historical(rng: random.Random) -> Request:
    """A plan older than the data (RequestOutcome H), with this year's review."""
    started = _day(rng, date(2012, 1, 1), date(2022, 12, 31))
    meeting = _day(rng, date(2025, 1, 1), date(2025, 12, 31))
    outcome = rng.choice("MMMA")
    active = ActivePlan(
        transfer_la="936" if rng.random() < 0.03 else None,
        review_meeting=meeting,
        review_outcome=outcome,
        last_review=_known(meeting + timedelta(days=rng.randrange(3, 40))),
    )
    return Request(None, "H", assessment=Assessment("H", plan=NamedPlan(started)), active_plan=active)


def walk(path: Path) -> int:
    events = 0
    for _event in etree.iterparse(str(path)):
        events += 1
    return events


def walk_and_clear(path: Path) -> int:
    people = 0
    for _event, element in etree.iterparse(str(path)):
        if element.tag == "Person":
            people += 1
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return people


def read(path: Path) -> Sen2ImportResult:
    result = read_sen2(path, today=TODAY, secret=SECRET, la_code="805")
    if not result.ok:
        raise SystemExit(f"The bench return has errors: {result.errors[:3]}")
    return result


def timed_import(session: Session, number: int, path: Path) -> tuple[float, Sen2Stored, dict[str, float]]:
    """Import the return into a new partnership from its path and commit; return (seconds, stored, stages)."""
    from inspect_app.models import Partnership
    from inspect_app.services.sen2_imports import import_sen2

    partnership = session.get(Partnership, new_partnership(session, number))
    assert partnership is not None
    stages: list[tuple[str, float]] = []

    def progress(stage: str, done: int, total: int) -> None:
        if not stages or stages[-1][0] != stage:
            stages.append((stage, time.perf_counter()))

    start = time.perf_counter()
    stored = import_sen2(session, partnership, path, today=TODAY, when=NOW, progress=progress)
    session.commit()
    end = time.perf_counter()
    if stored.message or not stored.result.ok:
        raise SystemExit(f"The bench return was refused: {stored.message or stored.result.errors[:3]}")
    marks = [("reading", start), *stages, ("commit", end)]
    split = {name: later - at for (name, at), (_, later) in zip(marks, marks[1:], strict=False)}
    return end - start, stored, split


def memory(path: Path, url: str) -> dict[str, float]:
    """Peak memory (VmHWM, MB) of the walk, the read and the whole import, each in a fresh process."""
    peaks = {}
    peaks["walk"] = child(
        f"from lxml import etree\nfor _ in etree.iterparse({str(path)!r}): pass\n"
        "print(json.dumps({'peak': peak_mb()}))",
        url,
    )["peak"]
    peaks["read"] = child(
        "from inspect_app.importers.sen2 import read_sen2\n"
        f"r = read_sen2({str(path)!r}, today=date(2026, 3, 1), secret=b'x' * 32, la_code='805')\n"
        "assert r.ok\nprint(json.dumps({'peak': peak_mb()}))",
        url,
    )["peak"]
    peaks["import"] = child(
        "from inspect_app.models import Partnership\n"
        "from inspect_app.services.sen2_imports import import_sen2\n"
        "with app.app_context():\n"
        "    p = Partnership(slug='bench-memory', name='Bench memory', la_code='805',\n"
        "                    created_at=datetime(2026, 3, 1))\n"
        "    db.session.add(p); db.session.commit()\n"
        f"    s = import_sen2(db.session, p, {str(path)!r}, today=date(2026, 3, 1), when=datetime(2026, 3, 1))\n"
        "    assert s.result.ok and not s.message\n"
        "    db.session.commit()\n"
        "print(json.dumps({'peak': peak_mb()}))",
        url,
    )["peak"]
    return peaks


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=None, help="a database the bench may EMPTY (default: SQLite)")
    args = parser.parse_args(argv)
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-db-')}/bench.sqlite"

    started = time.perf_counter()
    path = sen2_file(args.requests, args.seed)
    print(f"return: {path} ({path.stat().st_size / 1e6:.1f} MB, ready in {time.perf_counter() - started:.1f} s)")
    app = make_app(url)
    from inspect_app.extensions import db

    names = ("walk", "walk_clear", "read", "import")
    best = dict.fromkeys(names, float("inf"))  # wall seconds
    cpu = dict.fromkeys(names, float("inf"))  # this process's CPU seconds (the database server's not included)
    split: dict[str, float] = {}
    with app.app_context():
        for run in range(1, args.repeat + 1):
            print(f"run {run}: load average {load_average()}")
            results: dict[str, object] = {}
            for name, work in (("walk", walk), ("walk_clear", walk_and_clear), ("read", read)):
                begun, begun_cpu = time.perf_counter(), time.process_time()
                results[name] = work(path)
                best[name] = min(best[name], time.perf_counter() - begun)
                cpu[name] = min(cpu[name], time.process_time() - begun_cpu)
            result = results["read"]
            assert isinstance(result, Sen2ImportResult)
            print(
                f"  read: {result.people:,} people, {len(result.rows):,} cases, {len(result.reviews):,} "
                f"reviews, {len(result.historical):,} H records"
            )
            begun_cpu = time.process_time()
            seconds, stored, stages = timed_import(db.session(), run, path)
            cpu["import"] = min(cpu["import"], time.process_time() - begun_cpu)
            if seconds < best["import"]:
                best["import"], split = seconds, stages
            assert stored.cases is not None and stored.reviews is not None
            print(
                f"  import {seconds:.2f} s: {stored.cases.added:,} cases and {stored.reviews.added:,} reviews added, "
                f"{stored.tied:,} H records tied; stages " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
            )
    peaks = memory(path, url)
    print()
    print(f"database: {url.split(':', 1)[0]}; best of {args.repeat}, wall seconds (CPU seconds of this process)")
    for name, label in (
        ("walk", "walk (iterparse, defaults)"),
        ("walk_clear", "walk and clear each Person"),
        ("read", "read_sen2 (no database)"),
        ("import", "import_sen2 + commit"),
    ):
        peak = f"   peak {peaks[name]:6.0f} MB" if name in peaks else ""
        print(f"{label:30s} {best[name]:7.2f} ({cpu[name]:6.2f}){peak}")
    print("  stages of the best import: " + ", ".join(f"{k} {v:.2f} s" for k, v in split.items()))
    ratio = best["import"] / best["walk"]
    print(
        f"import / walk {ratio:.2f}x wall, {cpu['import'] / cpu['walk']:.2f}x CPU; against walk and clear "
        f"{best['import'] / best['walk_clear']:.2f}x wall, {cpu['import'] / cpu['walk_clear']:.2f}x CPU"
    )
    met = "met" if ratio <= RATIO_TARGET and peaks["import"] < MEMORY_TARGET_MB else "NOT met"
    print(f"target: import <= {RATIO_TARGET}x the walk (wall) and peak < {MEMORY_TARGET_MB} MB: {met}")
    if met != "met":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
