"""Memory and speed of the evidence pack: a ~1 GB pack against an empty one and against a plain ZIP copy.

Target (issue 9): the pack is streamed, so building a 1 GB pack grows peak memory by less than 100 MB over
building an empty pack, whether the command line or the scheduled-export runner builds it. Speed is reported
against a baseline measured in the same run: the same blobs copied into a ZIP with `shutil.copyfileobj` and
nothing else (no database, no hashing, no index or manifest).

    .venv/bin/python bench/bench_evidence_pack.py [--files 64] [--size-mb 16] [--runs 2]

Setup (not timed): a fresh instance folder with a SQLite database built by the migrations, the shipped
framework, partnership "full" with FILES approved evidence items whose files are SIZE-MB of random bytes
behind a PDF header (linked to two criteria each, so "stored once" is exercised) plus partnership "empty"
with none. Each measurement then runs in its own process, so its peak memory is its own:

- `empty`: `inspect-app report evidence-pack` work for the empty partnership (app, plan, reports, write);
- `full`: the same for the 1 GB partnership;
- `scheduled-empty` and `scheduled`: the pack of each partnership made as a scheduled export, by the runner
  (`services.exports.run_due`, as `inspect-app exports run-due` calls it) with one due "evidence-pack" schedule:
  claim, plan, stream to a temporary file in the export folder while hashing, fsync, rename, record the run;
- `baseline`: the blobs of "full" copied into a ZIP64 file with shutil.copyfileobj.

Peak memory growth is the process's peak resident set size during the build minus its resident set size
just before (Linux: VmHWM after resetting it through /proc/self/clear_refs; RSS sampling otherwise).
The measurements take turns on every run, so a burst of load on the shared machine hits them all.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WHEN = datetime(2026, 11, 27, 12, 0)
TARGET_GROWTH_MB = 100
MODES = ("baseline", "full", "empty", "scheduled", "scheduled-empty")
PAIRS = (("command line", "full", "empty"), ("scheduled export", "scheduled", "scheduled-empty"))


# --- Memory ------------------------------------------------------------------------------------------------------


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


class PeakMemory:
    """Measure the peak RSS growth of a block: VmHWM reset before it, or sampling every 5 ms as a fallback."""

    def __enter__(self) -> PeakMemory:
        self.before_kb = _status_kb("VmRSS")
        try:
            Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
            self.hwm = True
        except OSError:
            self.hwm = False
        self.sampled_kb = self.before_kb
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.sampled_kb = max(self.sampled_kb, _status_kb("VmRSS"))

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        peak = _status_kb("VmHWM") if self.hwm else self.sampled_kb
        self.growth_mb = (max(peak, self.sampled_kb) - self.before_kb) / 1024


# --- Setup (parent) ----------------------------------------------------------------------------------------------


def setup(files: int, size_mb: int) -> int:
    """Build the database and the store; return the bytes of evidence in partnership "full"."""
    from flask_migrate import upgrade

    from inspect_app import create_app
    from inspect_app.config import TestingConfig
    from inspect_app.extensions import db
    from inspect_app.services import audit
    from inspect_app.services import evidence as evidence_service
    from inspect_app.services.evidence import EvidenceSettings, ItemFields, Upload
    from inspect_app.services.frameworks import partnership_framework
    from inspect_app.storage import get_store
    from tests.factories import add_member, create_partnership, create_user, load_shipped_framework

    app = create_app(TestingConfig())
    settings = EvidenceSettings(max_bytes=(size_mb + 1) * 1024 * 1024)
    total = 0
    with app.app_context():
        upgrade()
        session = db.session
        version = load_shipped_framework(session)
        lead = create_user(session, email="lead@bench.example")
        made = {
            slug: create_partnership(session, slug=slug, framework_version_id=version.id) for slug in ("full", "empty")
        }
        for partnership in made.values():
            add_member(session, partnership, lead, "lead")
        session.commit()
        full = made["full"]
        _, framework = partnership_framework(session, full)
        criteria = [c.id for c in framework.criteria]
        actor = audit.Actor.of(lead)
        for number in range(files):
            item = evidence_service.create_item(
                session,
                actor,
                full,
                ItemFields(
                    title=f"Evidence {number}", evidence_type="send_strategy", partner="council", owner_id=lead.id
                ),
                kind="document",
                framework=framework,
                settings=settings,
                when=WHEN,
            )
            with tempfile.TemporaryFile() as blob:
                blob.write(b"%PDF-1.7\n")
                for _ in range(size_mb):
                    blob.write(os.urandom(1024 * 1024))
                blob.seek(0)
                revision = evidence_service.add_revision(
                    session,
                    get_store(),
                    actor,
                    item,
                    Upload(f"evidence {number}.pdf", blob),
                    settings=settings,
                    when=WHEN,
                )
            total += revision.size
            links = {criteria[number % len(criteria)]: "Shows it.", criteria[(number + 1) % len(criteria)]: "And this."}
            evidence_service.set_links(session, actor, item, links, framework=framework, when=WHEN)
            evidence_service.submit_for_review(session, actor, item, when=WHEN)
            evidence_service.approve(session, actor, item, when=WHEN)
            session.commit()
    return total


# --- Measurements (children) -------------------------------------------------------------------------------------


def scheduled_child(partnership_slug: str, instance: Path) -> dict:
    """Make the partnership's pack through the export runner, measuring only the runner's work."""
    from datetime import time as time_of_day
    from datetime import timedelta

    from sqlalchemy.orm import sessionmaker

    from inspect_app import create_app
    from inspect_app.config import TestingConfig
    from inspect_app.extensions import db
    from inspect_app.models import ExportSchedule, Partnership
    from inspect_app.services.exports import RunnerSettings, run_due
    from inspect_app.services.report_kinds import ReportSettings

    app = create_app(TestingConfig())
    export_root = instance / "exports"
    export_root.mkdir(exist_ok=True)
    with app.app_context():
        partnership = db.session.query(Partnership).filter_by(slug=partnership_slug).one()
        # Due now, once: earlier children's schedules were moved to their next regular time by their run.
        db.session.add(
            ExportSchedule(
                partnership_id=partnership.id,
                report_kind="evidence-pack",
                format="zip",
                cadence="daily",
                time_of_day=time_of_day(7, 0),
                destination="bench",
                keep_last=1,
                enabled=True,
                next_due_at=WHEN - timedelta(minutes=1),
                consecutive_failures=0,
                created_by="bench",
                created_at=WHEN,
                updated_at=WHEN,
            )
        )
        db.session.commit()
        factory = sessionmaker(bind=db.engine)
        with PeakMemory() as memory:
            started = time.perf_counter()
            settings = RunnerSettings(export_root=export_root, reports=ReportSettings.from_config(app.config))
            summary = run_due(factory, WHEN, "bench", settings, timer=lambda: WHEN)
            seconds = time.perf_counter() - started
    [outcome] = summary.outcomes
    if outcome.status != "succeeded":
        raise RuntimeError(f"the scheduled pack failed: {outcome.error}")
    written = export_root / outcome.file_path
    size = written.stat().st_size
    written.unlink()
    return {"seconds": seconds, "bytes": size, "growth_mb": memory.growth_mb, "hwm": memory.hwm}


def child(mode: str, output: Path) -> dict:
    from inspect_app import create_app
    from inspect_app.config import TestingConfig
    from inspect_app.extensions import db
    from inspect_app.models import EvidenceRevision, Partnership
    from inspect_app.services import audit
    from inspect_app.services import evidence_pack as pack_service
    from inspect_app.services.readiness import ReadinessSettings
    from inspect_app.storage import get_store

    if mode.startswith("scheduled"):
        slug = "empty" if mode == "scheduled-empty" else "full"
        return {"mode": mode, **scheduled_child(slug, output.parent)}
    app = create_app(TestingConfig())
    with app.app_context():
        store = get_store()
        if mode == "baseline":
            full = db.session.query(Partnership).filter_by(slug="full").one()
            keys = [r.sha256 for r in db.session.query(EvidenceRevision).filter_by(partnership_id=full.id)]
            with PeakMemory() as memory:
                started = time.perf_counter()
                with output.open("wb") as out, zipfile.ZipFile(out, "w", allowZip64=True) as archive:
                    for number, key in enumerate(keys):
                        with store.open(key) as source, archive.open(f"{number}.pdf", "w", force_zip64=True) as target:
                            shutil.copyfileobj(source, target)
                seconds = time.perf_counter() - started
        else:
            partnership = db.session.query(Partnership).filter_by(slug=mode).one()
            with PeakMemory() as memory:
                started = time.perf_counter()
                with output.open("wb") as out:
                    pack_service.build_pack(
                        db.session,
                        audit.SYSTEM,
                        partnership,
                        out,
                        store=store,
                        now=WHEN,
                        today=WHEN.date(),
                        settings=ReadinessSettings.from_app_config(app.config),
                    )
                db.session.commit()
                seconds = time.perf_counter() - started
    size = output.stat().st_size
    output.unlink()
    return {"mode": mode, "seconds": seconds, "bytes": size, "growth_mb": memory.growth_mb, "hwm": memory.hwm}


def _ratio(full: dict, empty: dict) -> str:
    return f"{full['growth_mb'] / empty['growth_mb']:.2f}x" if empty["growth_mb"] > 0 else "n/a (empty grew 0 MB)"


def run_child(mode: str, instance: Path) -> dict:
    env = {**os.environ, "INSPECT_APP_INSTANCE": str(instance), "INSPECT_APP_ENV": "test"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, "--instance", str(instance)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=64)
    parser.add_argument("--size-mb", type=int, default=16)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", choices=MODES)
    parser.add_argument("--instance", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.instance / f"bench-{args.child}.zip")))
        return

    instance = Path(tempfile.mkdtemp(prefix="bench-evidence-pack-"))
    os.environ["INSPECT_APP_INSTANCE"] = str(instance)
    os.environ["INSPECT_APP_ENV"] = "test"
    os.environ.pop("DATABASE_URL", None)
    try:
        started = time.perf_counter()
        total = setup(args.files, args.size_mb)
        print(f"setup: {args.files} files, {total / 1e6:.0f} MB of evidence in {time.perf_counter() - started:.0f} s")
        best: dict[str, dict] = {}
        for run in range(args.runs):
            for mode in MODES:
                outcome = run_child(mode, instance)
                print(
                    f"run {run + 1} {mode:15} {outcome['seconds']:6.2f} s  {outcome['bytes'] / 1e6:8.1f} MB  "
                    f"peak RSS growth {outcome['growth_mb']:6.1f} MB"
                )
                kept = best.get(mode)
                best[mode] = {
                    "seconds": min(outcome["seconds"], kept["seconds"]) if kept else outcome["seconds"],
                    "growth_mb": max(outcome["growth_mb"], kept["growth_mb"]) if kept else outcome["growth_mb"],
                    "bytes": outcome["bytes"],
                    "hwm": outcome["hwm"],
                }
        method = "VmHWM reset via clear_refs" if best["full"]["hwm"] else "RSS sampled every 5 ms"
        print(f"\npeak RSS growth (worst of {args.runs}, {method}):")
        for path, full, empty in PAIRS:
            growth = best[full]["growth_mb"] - best[empty]["growth_mb"]
            print(
                f"  {path:16}: {best[full]['bytes'] / 1e6:.0f} MB pack {best[full]['growth_mb']:.1f} MB, "
                f"empty pack {best[empty]['growth_mb']:.1f} MB; "
                f"{full} over {empty} {growth:.1f} MB, ratio {_ratio(best[full], best[empty])} "
                f"(target < {TARGET_GROWTH_MB} MB: {'met' if growth < TARGET_GROWTH_MB else 'NOT met'})"
            )
        base_rate = best["baseline"]["bytes"] / 1e6 / best["baseline"]["seconds"]
        print(f"throughput (best of {args.runs}), copyfileobj baseline {base_rate:.0f} MB/s:")
        for _path, full, empty in PAIRS:
            rate = best[full]["bytes"] / 1e6 / best[full]["seconds"]
            times = best[full]["seconds"] / best["baseline"]["seconds"]
            print(
                f"  {full:9}: {rate:.0f} MB/s, {times:.2f}x the baseline's time "
                f"({empty} {best[empty]['seconds']:.2f} s)"
            )
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
