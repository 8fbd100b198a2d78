"""Scheduled exports: schedules, the runner, retries, pruning, folders, and runners racing each other."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import multiprocessing
import zipfile
from collections import Counter
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from inspect_app.domain.errors import ValidationFailed
from inspect_app.domain.self_evaluation import EntryContent
from inspect_app.extensions import db
from inspect_app.models import AuditEvent, ExportRun, ExportSchedule
from inspect_app.services import audit, report_kinds
from inspect_app.services import evidence_pack as pack_service
from inspect_app.services import exports as export_service
from inspect_app.services import self_evaluation as sef_service
from inspect_app.services.exports import RunnerSettings, ScheduleDetails, check_destination, run_due
from inspect_app.services.frameworks import partnership_framework
from inspect_app.services.readiness import ReadinessSettings
from inspect_app.services.report_kinds import REPORT_KINDS, ReportKind, ReportSettings
from inspect_app.storage import get_store
from tests.evidence_factories import docx, make_item
from tests.factories import create_export_schedule
from tests.services.export_workers import SLOW_KIND, run_worker

NOW = datetime(2026, 11, 27, 10, 0)  # a Friday; GMT, so UK time = UTC


@pytest.fixture
def world(two_partnerships, session):  # type: ignore[no-untyped-def]
    # The world's own schedules are not due at NOW; these tests make their own.
    return two_partnerships


@pytest.fixture
def export_root(tmp_path) -> Path:
    root = tmp_path / "exports"
    root.mkdir()
    return root


@pytest.fixture
def run(app, export_root):  # type: ignore[no-untyped-def]
    """Run the runner at a given time, as `inspect-app exports run-due` does."""

    def _run(now: datetime = NOW, runner_id: str = "test-runner", **settings):  # type: ignore[no-untyped-def]
        factory = sessionmaker(bind=db.engine)
        reports = ReportSettings.from_config(app.config)
        settings = RunnerSettings(export_root=export_root, reports=reports, **settings)
        return run_due(factory, now, runner_id, settings, timer=lambda: now)

    return _run


def due(session, partnership, **overrides) -> ExportSchedule:  # type: ignore[no-untyped-def]
    schedule = create_export_schedule(
        session, partnership, **{"report_kind": "audit-log", "next_due_at": NOW - timedelta(hours=3), **overrides}
    )
    session.commit()
    return schedule


def runs_of(session, schedule: ExportSchedule) -> list[ExportRun]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(select(ExportRun).where(ExportRun.schedule_id == schedule.id).order_by(ExportRun.id)))


@pytest.fixture
def broken_report(monkeypatch):  # type: ignore[no-untyped-def]
    def build(session, partnership, fmt, settings):  # type: ignore[no-untyped-def]
        raise RuntimeError("no data for /srv/secret/path\nsecond line")

    monkeypatch.setitem(REPORT_KINDS, "broken", ReportKind("Broken", ("csv",), build))


# --- Running ----------------------------------------------------------------------------------------------------


def test_a_due_export_is_written_once_with_its_hash_and_the_run_is_recorded(world, session, run, export_root):
    schedule = due(session, world.a.partnership, destination="weekly/audit")
    summary = run()
    assert [o.status for o in summary.outcomes] == ["succeeded"]
    [record] = runs_of(session, schedule)
    assert record.file_path == f"alpha/weekly/audit/audit-log-2026-11-27-1000-{record.id}.csv"
    content = (export_root / record.file_path).read_bytes()
    assert content.startswith(b"when,who,action,object_type,object_id,details")
    assert (record.status, record.sha256, record.size_bytes) == (
        "succeeded",
        hashlib.sha256(content).hexdigest(),
        len(content),
    )
    assert (record.started_at, record.finished_at, record.runner_id, record.error) == (NOW, NOW, "test-runner", None)
    assert record.due_at == NOW - timedelta(hours=3)
    session.refresh(schedule)
    assert schedule.next_due_at == datetime(2026, 11, 28, 7, 0)  # the next regular time after now
    assert schedule.claimed_by == "test-runner"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export.run_succeeded")).one()
    assert event.partnership_id == world.a.partnership.id
    assert event.details["sha256"] == record.sha256
    assert not list(export_root.rglob("*.tmp")), "the temporary file is renamed, never left behind"
    # Running again at the same time does nothing: the export is not due any more.
    assert run().outcomes == []


def test_a_missed_window_runs_once_not_once_per_missed_period(world, session, run):
    schedule = due(session, world.a.partnership, next_due_at=NOW - timedelta(days=10))
    summary = run()
    assert len(summary.outcomes) == 1
    assert len(runs_of(session, schedule)) == 1
    session.refresh(schedule)
    assert schedule.next_due_at == datetime(2026, 11, 28, 7, 0)


def test_disabled_and_future_schedules_do_not_run(world, session, run):
    due(session, world.a.partnership, enabled=False)
    due(session, world.a.partnership, next_due_at=NOW + timedelta(seconds=1))
    assert run().outcomes == []


def test_a_failing_export_is_recorded_and_does_not_block_the_others(
    world, session, run, broken_report, export_root, caplog
):
    broken = due(session, world.a.partnership, report_kind="broken", next_due_at=NOW - timedelta(days=1))
    good = [due(session, world.a.partnership), due(session, world.b.partnership, report_kind="members")]
    with caplog.at_level(logging.ERROR):
        summary = run()
    assert Counter(o.status for o in summary.outcomes) == {"succeeded": 2, "failed": 1}
    assert all(runs_of(session, s)[0].status == "succeeded" for s in good)
    [failed] = runs_of(session, broken)
    assert failed.status == "failed"
    assert failed.error == "The report could not be built (RuntimeError: no data for /srv/secret/path)"
    assert failed.file_path is None and failed.finished_at == NOW
    # The full traceback goes to the log, not the run record.
    assert any(r.exc_info and "no data" in str(r.exc_info[1]) for r in caplog.records)
    assert "Traceback" not in failed.error
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export.run_failed")).one()
    assert event.details["error"] == failed.error
    session.refresh(broken)
    assert (broken.next_due_at, broken.consecutive_failures) == (NOW + timedelta(minutes=1), 1)
    assert not list((export_root / "alpha").rglob("broken-*"))


def test_a_failed_export_is_retried_by_the_next_run_backing_off_until_it_succeeds(
    world, session, run, broken_report, monkeypatch
):
    schedule = due(session, world.a.partnership, report_kind="broken")
    run()
    assert run(NOW + timedelta(seconds=30)).outcomes == []  # not before the retry time
    assert [o.status for o in run(NOW + timedelta(minutes=1)).outcomes] == ["failed"]
    session.refresh(schedule)
    assert (schedule.next_due_at, schedule.consecutive_failures) == (NOW + timedelta(minutes=3), 2)  # waited 2 min
    monkeypatch.setitem(REPORT_KINDS, "broken", REPORT_KINDS["audit-log"])  # the cause is fixed
    assert [o.status for o in run(NOW + timedelta(minutes=3)).outcomes] == ["succeeded"]
    session.refresh(schedule)
    assert (schedule.next_due_at, schedule.consecutive_failures) == (datetime(2026, 11, 28, 7, 0), 0)
    assert [r.status for r in runs_of(session, schedule)] == ["failed", "failed", "succeeded"]


def test_a_retry_is_never_later_than_the_next_regular_time(world, session, run, broken_report):
    schedule = due(session, world.a.partnership, report_kind="broken", consecutive_failures=30)
    run(retry_max=timedelta(days=7))
    session.refresh(schedule)
    assert schedule.next_due_at == datetime(2026, 11, 28, 7, 0)


def test_an_unregistered_report_kind_fails_with_a_clear_message(world, session, run):
    schedule = due(session, world.a.partnership, report_kind="retired-report")
    run()
    assert (
        runs_of(session, schedule)[0].error == "The retired-report report is not available in this version of the app"
    )


def test_the_readiness_report_and_the_self_evaluation_can_be_scheduled(world, session, run, export_root):
    readiness = due(session, world.a.partnership, report_kind="readiness", format="pdf")
    sef = due(session, world.a.partnership, report_kind="sef", format="docx")
    run()
    readiness_run, sef_run = runs_of(session, readiness)[0], runs_of(session, sef)[0]
    assert (readiness_run.status, sef_run.status) == ("succeeded", "succeeded"), (readiness_run.error, sef_run.error)
    assert (export_root / readiness_run.file_path).read_bytes().startswith(b"%PDF")
    assert (export_root / sef_run.file_path).read_bytes().startswith(b"PK")


# --- The evidence pack, a streamed report -----------------------------------------------------------------------


@pytest.fixture
def pack_library(app, session, world):  # type: ignore[no-untyped-def]
    """Partnership A's evidence in the app's own store (the runner reads that one): an approved file, a draft,
    an unsigned self-evaluation draft; and B's approved file. Only the first belongs in A's pack."""
    app.config["FIXED_NOW"] = NOW.isoformat()  # the pack's generated_at, reset after each test
    a = world.a
    approved = make_item(
        session, get_store(), a, title="SEND strategy", links={"EXP1": "Early help first."}, status="approved"
    )
    make_item(session, get_store(), a, title="Unfinished draft", data=docx(), filename="draft.docx")
    make_item(session, get_store(), world.b, title="Beta strategy", status="approved")
    _, framework = partnership_framework(session, a.partnership)
    sef_service.save_entry(
        session,
        audit.Actor.of(a.lead),
        a.partnership,
        framework,
        "EXP1",
        EntryContent(grade="strong", strengths="Words nobody signed off"),
        grades=("strong", "secure", "developing", "weak"),
        when=NOW,
    )
    session.commit()
    return approved


def _sha256_of(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as source:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def test_a_scheduled_evidence_pack_is_the_inspectors_pack_recorded_with_its_hash_and_verified(
    app, world, session, run, export_root, pack_library
):
    schedule = due(session, world.a.partnership, report_kind="evidence-pack", format="zip", destination="packs")
    summary = run()
    assert [(o.status, o.error) for o in summary.outcomes] == [("succeeded", None)]
    [record] = runs_of(session, schedule)
    assert record.file_path == f"alpha/packs/evidence-pack-2026-11-27-1000-{record.id}.zip"
    path = export_root / record.file_path
    assert (record.sha256, record.size_bytes) == _sha256_of(path)
    assert not list(export_root.rglob("*.tmp")), "the temporary file is renamed, never left behind"

    verified = app.test_cli_runner().invoke(args=["pack", "verify", str(path)])
    assert verified.exit_code == 0, verified.output
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        index = archive.read("index.html").decode()
    assert verified.stdout.strip() == f"{path.name}: all {len(manifest['files'])} files match the manifest"
    # What an inspector may see, not what the partnership's own reports show: approved evidence of A only, and
    # the self-evaluation as signed off (the `sef` export would show the unsigned draft).
    assert [f["evidence_id"] for f in manifest["files"] if f["kind"] == "evidence"] == [pack_library.id]
    assert "Unfinished draft" not in index and "Beta strategy" not in index
    assert "Words nobody signed off" not in index
    assert manifest["omitted"] == [] and manifest["generated_at"] == "2026-11-27T10:00:00Z"

    # The same pack the command line writes: the same files with the same bytes (the PDFs carry their own
    # creation time, so only their presence is compared).
    cli_pack = io.BytesIO()
    pack_service.build_pack(
        session,
        audit.SYSTEM,
        world.a.partnership,
        cli_pack,
        store=get_store(),
        now=NOW,
        today=NOW.date(),
        settings=ReadinessSettings.from_app_config(app.config),
    )
    session.rollback()
    with zipfile.ZipFile(cli_pack) as archive:
        cli_files = json.loads(archive.read("manifest.json"))["files"]

    def comparable(files):  # type: ignore[no-untyped-def]
        return [(f["path"], f["kind"], None if f["kind"] == "report" else f["sha256"]) for f in files]

    assert comparable(manifest["files"]) == comparable(cli_files)


def test_a_scheduled_evidence_pack_is_audited_once_as_a_run_and_once_as_a_pack(
    app, world, session, run, export_root, pack_library
):
    schedule = due(session, world.a.partnership, report_kind="evidence-pack", format="zip")
    run()
    [record] = runs_of(session, schedule)
    with zipfile.ZipFile(export_root / record.file_path) as archive:
        manifest_sha256 = hashlib.sha256(archive.read("manifest.json")).hexdigest()
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action.in_(["export.run_succeeded", "evidence_pack.built"]))
    ).all()
    by_action = {event.action: event for event in events}
    assert sorted(by_action) == ["evidence_pack.built", "export.run_succeeded"] and len(events) == 2
    ran, built = by_action["export.run_succeeded"], by_action["evidence_pack.built"]
    assert (ran.object_id, ran.details["sha256"], ran.details["report"]) == (
        str(record.id),
        record.sha256,
        "evidence-pack (zip)",
    )
    # The pack entry says what the pack held, as the command line's does, and points at the run that wrote it.
    assert (built.actor, built.partnership_id, built.occurred_at) == ("scheduled export", world.a.partnership.id, NOW)
    assert built.details["via"] == "scheduled export"
    assert (built.details["export_run_id"], built.details["file"]) == (record.id, record.file_path)
    assert (built.details["evidence_items"], built.details["evidence_files"]) == (1, 1)
    assert built.details["manifest_sha256"] == manifest_sha256


def test_a_failing_evidence_pack_write_leaves_no_partial_file_and_is_recorded(
    world, session, run, export_root, pack_library, caplog
):
    # The approved file vanished from the store: the index and reports are already written when it is reached.
    get_store().delete(pack_library.latest_revision.sha256)
    schedule = due(session, world.a.partnership, report_kind="evidence-pack", format="zip", destination="packs")
    with caplog.at_level(logging.ERROR):
        summary = run()
    assert [o.status for o in summary.outcomes] == ["failed"]
    [record] = runs_of(session, schedule)
    assert (record.status, record.file_path, record.sha256) == ("failed", None, None)
    assert record.error == f"The file of evidence {pack_library.reference} is missing from the evidence store"
    assert [p for p in export_root.rglob("*") if p.is_file()] == [], "no partial pack, no temporary file"
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%.run_%"))).all()
    assert actions == ["export.run_failed"]
    assert not session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence_pack.built")).all()
    session.refresh(schedule)
    assert (schedule.next_due_at, schedule.consecutive_failures) == (NOW + timedelta(minutes=1), 1)


def test_a_streamed_kind_cannot_be_built_in_memory(app, session, world):
    with pytest.raises(TypeError):
        report_kinds.build_report(
            session, world.a.partnership, "evidence-pack", "zip", ReportSettings.from_config(app.config)
        )


def test_a_report_kind_has_either_a_builder_or_a_writer():
    with pytest.raises(TypeError):
        ReportKind("Neither", ("csv",))
    with pytest.raises(TypeError):
        ReportKind("Both", ("csv",), lambda *_: b"", prepare=lambda *_: lambda out: None)


def test_keep_last_deletes_only_the_oldest_files_this_schedule_wrote(world, session, run, export_root):
    schedule = due(session, world.a.partnership, keep_last=2, destination="shared")
    neighbour = due(session, world.a.partnership, keep_last=1, destination="shared", report_kind="members")
    folder = export_root / "alpha" / "shared"
    folder.mkdir(parents=True)
    (folder / "someone-elses-file.csv").write_text("keep me")
    for day in range(3):
        run(NOW + timedelta(days=day))
    runs = runs_of(session, schedule)
    assert [r.pruned_at is not None for r in runs] == [True, False, False]
    assert not (export_root / runs[0].file_path).exists()
    assert all((export_root / r.file_path).exists() for r in runs[1:])
    assert (folder / "someone-elses-file.csv").read_text() == "keep me"
    neighbour_runs = runs_of(session, neighbour)
    assert [(export_root / r.file_path).exists() for r in neighbour_runs] == [False, False, True]


def test_a_symbolic_link_out_of_the_export_folder_fails_the_run(world, session, run, export_root, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (export_root / "alpha").mkdir()
    (export_root / "alpha" / "out").symlink_to(outside)
    schedule = due(session, world.a.partnership, destination="out")
    run()
    [record] = runs_of(session, schedule)
    assert record.error == "The folder leads outside the export folder through a symbolic link"
    assert list(outside.iterdir()) == []


def test_a_run_left_running_by_a_stopped_runner_is_marked_failed_and_retried(world, session, run):
    schedule = due(session, world.a.partnership, next_due_at=NOW + timedelta(hours=20))
    stale = ExportRun(
        partnership_id=schedule.partnership_id,
        schedule_id=schedule.id,
        due_at=NOW - timedelta(hours=3),
        runner_id="a runner that was killed",
        started_at=NOW - timedelta(hours=3),
        status="running",
    )
    session.add(stale)
    session.commit()
    summary = run()
    assert summary.abandoned == 1
    runs = runs_of(session, schedule)
    assert [(r.status, r.error is not None) for r in runs] == [("failed", True), ("succeeded", False)]
    assert "stopped before the export finished" in runs[0].error


def test_a_recent_running_run_is_left_alone(world, session, run):
    schedule = due(session, world.a.partnership, next_due_at=NOW + timedelta(hours=20))
    session.add(
        ExportRun(
            partnership_id=schedule.partnership_id,
            schedule_id=schedule.id,
            due_at=NOW,
            runner_id="busy",
            started_at=NOW - timedelta(minutes=5),
            status="running",
        )
    )
    session.commit()
    assert run().abandoned == 0
    assert [r.status for r in runs_of(session, schedule)] == ["running"]


# --- Runners racing -------------------------------------------------------------------------------------------


def _race(session, world, export_root, runners: int, schedules: int):  # type: ignore[no-untyped-def]
    """Start `runners` processes at once on `schedules` due schedules; return their reports and the schedules."""
    made = [
        create_export_schedule(
            session,
            world.a.partnership if i % 2 else world.b.partnership,
            report_kind=SLOW_KIND,
            next_due_at=NOW - timedelta(minutes=i),
            destination=f"race/{i % 3}",
        )
        for i in range(schedules)
    ]
    session.commit()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(runners)
    results = context.Queue()
    processes = [
        context.Process(target=run_worker, args=(f"runner-{n}", NOW, str(export_root), barrier, results))
        for n in range(runners)
    ]
    for process in processes:
        process.start()
    reports = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert [error for _, _, error in reports if error] == []
    return reports, made


def _assert_each_schedule_ran_once(session, export_root, reports, made) -> None:  # type: ignore[no-untyped-def]
    outcomes = [o for _, runner_outcomes, _ in reports for o in runner_outcomes]
    assert len(outcomes) == len(made)
    assert {status for _, status, _, _ in outcomes} == {"succeeded"}
    assert sorted(schedule_id for schedule_id, *_ in outcomes) == sorted(s.id for s in made)
    session.expire_all()
    runs = session.scalars(select(ExportRun)).all()
    per_schedule = Counter(r.schedule_id for r in runs if r.schedule_id in {s.id for s in made})
    assert set(per_schedule.values()) == {1}, "no schedule ran twice"
    files = {r.file_path for r in runs if r.schedule_id in per_schedule}
    assert len(files) == len(made)
    assert all((export_root / f).is_file() for f in files)
    written = [p for p in export_root.rglob("*") if p.is_file()]
    assert len(written) == len(made), "no stray or duplicate files"


def test_two_runner_processes_racing_produce_each_due_export_once(world, session, export_root):
    reports, made = _race(session, world, export_root, runners=2, schedules=10)
    _assert_each_schedule_ran_once(session, export_root, reports, made)


@pytest.mark.postgres_only(why="row locks, SKIP LOCKED")
def test_four_runner_processes_on_postgresql_produce_20_files_without_duplicates(world, session, export_root):
    reports, made = _race(session, world, export_root, runners=4, schedules=20)
    _assert_each_schedule_ran_once(session, export_root, reports, made)
    # SKIP LOCKED let more than one runner work at once (with 20 slow reports, one runner alone is unlikely).
    busy = [runner for runner, outcomes, _ in reports if outcomes]
    assert len(busy) >= 2


# --- Schedules ------------------------------------------------------------------------------------------------


def details(**overrides) -> ScheduleDetails:  # type: ignore[no-untyped-def]
    values = {
        "report_kind": "audit-log",
        "format": "csv",
        "cadence": "weekly",
        "time_of_day": time(7, 0),
        "weekday": 0,
        "destination": "weekly",
        "keep_last": 4,
        **overrides,
    }
    return ScheduleDetails(**values)


def test_create_schedule_is_first_due_at_its_next_uk_time_and_is_audited(world, session, export_root):
    lead = audit.Actor.of(world.a.lead)
    summer = datetime(2026, 7, 1, 12, 0)  # a Wednesday in BST
    schedule = export_service.create_schedule(
        session, lead, world.a.partnership, details(), export_root=export_root, when=summer
    )
    assert schedule.next_due_at == datetime(2026, 7, 6, 6, 0)  # Monday 7:00am BST
    assert schedule.created_by == "lead@alpha.example"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export.schedule_created")).one()
    assert event.details["time_of_day"] == "07:00" and event.details["weekday"] == 0


def test_create_schedule_keeps_only_the_fields_its_cadence_uses(world, session, export_root):
    schedule = export_service.create_schedule(
        session,
        audit.SYSTEM,
        world.a.partnership,
        details(cadence="daily", day_of_month=3, destination=" a//b/ "),
        export_root=export_root,
        when=NOW,
    )
    assert (schedule.weekday, schedule.day_of_month, schedule.destination) == (None, None, "a/b")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"report_kind": "nope"}, "Select a report from the list"),
        ({"format": "pdf"}, "Audit log cannot be exported as pdf"),
        ({"weekday": None}, "Select the day of the week"),
        ({"cadence": "monthly", "day_of_month": 31}, "Select the day of the month: 1 to 28, or the last day"),
        ({"destination": "../other"}, "The folder must not contain .. (it must stay inside the export folder)"),
        ({"keep_last": 0}, "The number of files to keep must be between 1 and 1000"),
    ],
)
def test_invalid_schedules_are_refused_and_change_nothing(world, session, export_root, overrides, message):
    before = session.scalars(select(ExportSchedule)).all()
    with pytest.raises(ValidationFailed) as raised:
        export_service.create_schedule(
            session, audit.SYSTEM, world.a.partnership, details(**overrides), export_root=export_root, when=NOW
        )
    assert raised.value.messages == [message]
    assert session.scalars(select(ExportSchedule)).all() == before


def test_changing_the_time_makes_the_schedule_due_at_its_new_time(world, session, export_root):
    schedule = export_service.create_schedule(
        session, audit.SYSTEM, world.a.partnership, details(), export_root=export_root, when=NOW
    )
    export_service.update_schedule(
        session,
        audit.SYSTEM,
        schedule,
        details(cadence="daily", weekday=None, time_of_day=time(18, 0)),
        export_root=export_root,
        when=NOW,
    )
    assert schedule.next_due_at == datetime(2026, 11, 27, 18, 0)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export.schedule_changed")).one()
    assert event.details["time_of_day"] == ["07:00", "18:00"]
    assert event.details["cadence"] == ["weekly", "daily"]


def test_a_schedule_turned_back_on_does_not_catch_up_on_missed_runs(world, session, export_root):
    schedule = export_service.create_schedule(
        session,
        audit.SYSTEM,
        world.a.partnership,
        details(cadence="daily", weekday=None),
        export_root=export_root,
        when=NOW,
    )
    export_service.set_enabled(session, audit.SYSTEM, schedule, False, when=NOW)
    later = NOW + timedelta(days=20)
    export_service.set_enabled(session, audit.SYSTEM, schedule, True, when=later)
    assert schedule.next_due_at == datetime(2026, 12, 18, 7, 0)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "export_schedule")).all()
    assert actions == ["export.schedule_created", "export.schedule_disabled", "export.schedule_enabled"]


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("", ""),
        ("weekly", "weekly"),
        (" weekly//audit/ ", "weekly/audit"),
        ("./weekly", "weekly"),
        ("Team files/2026", "Team files/2026"),
    ],
)
def test_destination_folders_are_normalised(text, normal):
    assert check_destination(text) == normal


@pytest.mark.parametrize(
    "text", ["/etc", "../x", "a/../../b", "C:\\x", "C:/x", "~/x", ".hidden", "a\\b", "a/.ssh", "x" * 201]
)
def test_destination_folders_that_could_leave_the_export_folder_are_refused(text):
    with pytest.raises(ValidationFailed):
        check_destination(text)
