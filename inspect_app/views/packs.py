"""The evidence pack in the browser: a page saying what the pack holds, and a link that downloads it.

The ZIP is generated while it downloads (`stream_with_context` over `reports.evidence_pack.iter_pack`), not built
in the background to a file: the app stays stateless (any worker on any host can serve the request, no pack
files to store, expire or share between hosts, no status rows, no migration), memory stays flat because each
evidence file is copied in 1 MB chunks, and the first bytes leave as soon as the reports are built. The browser's
own download bar shows the progress. Everything that can fail for a reason a person can act on (no framework,
a report that cannot be built) happens before the first byte, so it still gets a proper error page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue

from inspect_app import clock
from inspect_app.domain.errors import NotFound
from inspect_app.extensions import db
from inspect_app.forms.packs import PackContentsForm
from inspect_app.reports.evidence_pack import INDEX, MANIFEST_CSV, MANIFEST_JSON, PackPlan, iter_pack, size_text
from inspect_app.services import evidence_pack as pack_service
from inspect_app.services.readiness import ReadinessSettings
from inspect_app.storage import get_store
from inspect_app.views.access import actor, allow, current_access, protect_partnership_blueprint
from inspect_app.views.downloads import attachment

bp = Blueprint("packs", __name__, url_prefix="/p/<slug>/evidence-pack")
protect_partnership_blueprint(bp)

# Leads hand the pack over and inspectors take it away. Contributors and viewers can read everything in it in
# the app already; the pack is a hand-over document that costs the server a full read of the evidence store.
PACK_ROLES = ("lead", "inspector")


def _settings() -> ReadinessSettings:
    return ReadinessSettings.from_app_config(current_app.config)


def _chosen() -> list[str] | None:
    """The extras a lead chose (None: every item of the list, the pack's default). Unknown items are a 404."""
    if not request.args.get("chosen"):
        return None
    keys = request.args.getlist("include")
    if any(key not in pack_service.EXTRA_KEYS for key in keys):
        raise NotFound("There is no such item to add to the pack")
    return keys


def _query(plan: PackPlan) -> dict[str, Any]:
    return {"chosen": "1", "include": list(plan.extras)}


def _form(plan: PackPlan) -> PackContentsForm:
    form = PackContentsForm(data={"include": list(plan.extras), "chosen": "1"})
    form.set_extras([(extra.key, extra.title) for extra in pack_service.PACK_EXTRAS])
    return form


@bp.route("/")
@allow(*PACK_ROLES)
def view_evidence_pack() -> ResponseReturnValue:
    access = current_access()
    plan = pack_service.plan_pack(
        db.session,
        access.partnership,
        now=clock.now(),
        today=clock.today(),
        settings=_settings(),
        extras=_chosen(),
        build_extras=False,
    )
    return render_template(
        "packs/prepare.html",
        access=access,
        plan=plan,
        form=_form(plan),
        extras=pack_service.PACK_EXTRAS,
        size_text=size_text,
        signed_off=sum(1 for c in plan.criteria if c.signed_off_version),
        links=sum(1 for e in plan.evidence if e.kind == "link"),
        download=url_for("packs.download_evidence_pack", **_query(plan)),
    )


@bp.route("/preview")
@allow(*PACK_ROLES)
def preview_evidence_pack() -> ResponseReturnValue:
    """Every file the pack will hold, built as it will be, before anyone downloads it."""
    access = current_access()
    plan = pack_service.plan_pack(
        db.session, access.partnership, now=clock.now(), today=clock.today(), settings=_settings(), extras=_chosen()
    )
    return render_template(
        "packs/preview.html",
        access=access,
        plan=plan,
        size_text=size_text,
        generated=(INDEX, MANIFEST_JSON, MANIFEST_CSV),
        change=url_for("packs.view_evidence_pack", **_query(plan)),
        download=url_for("packs.download_evidence_pack", **_query(plan)),
    )


# A GET: downloading changes nothing but the audit log, and inspectors (read-only) never send a POST.
@bp.route("/download")
@allow(*PACK_ROLES)
def download_evidence_pack() -> ResponseReturnValue:
    access = current_access()
    now = clock.now()
    plan = pack_service.plan_pack(
        db.session, access.partnership, now=now, today=clock.today(), settings=_settings(), extras=_chosen()
    )
    who = actor()
    name = f"evidence-pack-{access.partnership.slug}-{now:%Y-%m-%d-%H%M}.zip"
    pack_service.record_built(db.session, who, access.partnership, plan, when=now, via="web")
    # An inspector's download is also recorded as inspector.downloaded (views/access.py), for the activity log.
    db.session.commit()
    chunks = iter_pack(plan, pack_service.evidence_opener(plan, get_store()))
    response = attachment(stream_with_context(chunks), "application/zip", name)
    response.headers["X-Accel-Buffering"] = "no"  # a proxy should pass the chunks on, not hold the whole pack
    return response
