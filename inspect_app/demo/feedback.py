"""Demo family feedback, built the way a partnership would: real-layout exports imported through the importer.

A parent carer forum survey in SmartSurvey's CSV layout, two waves a year apart (with identification and
waiting weaker than inclusion, and a modest improvement in the second wave), and a young people's survey in
Microsoft Forms' Excel layout. Free text mixes the themes families raise, and a few comments hold the kind of
personal details people type, which the import removes. Everything is drawn from `context.rng`.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta

from openpyxl import Workbook

from inspect_app.demo.context import DemoContext
from inspect_app.services import audit
from inspect_app.services import feedback as feedback_service
from inspect_app.services import feedback_comments as comment_service
from inspect_app.services.frameworks import partnership_framework

AGREE_SCALE = ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree")
GRID = "How far do you agree with the following statements?"

# Parent items: (survey item id, weights for strongly agree .. strongly disagree in the first wave).
PARENT_ITEMS = (
    ("fam_needs_identified_early", (6, 18, 16, 34, 26)),
    ("fam_support_while_waiting", (4, 14, 18, 34, 30)),
    ("fam_listened_to_in_plan", (14, 32, 20, 22, 12)),
    ("fam_information_easy_to_find", (8, 24, 22, 28, 18)),
    ("fam_help_at_right_time", (10, 28, 20, 26, 16)),
    ("fam_prepared_next_steps", (12, 30, 24, 22, 12)),
    ("fam_included_community", (22, 38, 18, 14, 8)),
    ("fam_leaders_listen", (8, 22, 26, 26, 18)),
)
# How much each item's agreement moves in the second wave (weight shifted from disagree to agree).
SECOND_WAVE_SHIFT = {
    "fam_needs_identified_early": 8,
    "fam_support_while_waiting": 6,
    "fam_listened_to_in_plan": 4,
    "fam_information_easy_to_find": 10,
    "fam_leaders_listen": 5,
}
YOUNG_PEOPLE_ITEMS = (
    ("cyp_people_understand_me", (18, 34, 22, 16, 10)),
    ("cyp_have_a_say", (12, 26, 24, 22, 16)),
    ("cyp_help_when_needed", (14, 32, 22, 20, 12)),
    ("cyp_ready_for_next_step", (10, 26, 30, 20, 14)),
    ("cyp_do_things_i_enjoy", (20, 36, 20, 14, 10)),
)
ROLES = (("Parent or carer", 86), ("Foster carer", 6), ("Grandparent or other relative", 5), ("Other", 3))
AGES = (("0 to 4", 14), ("5 to 10", 34), ("11 to 15", 32), ("16 to 25", 20))
NEEDS = (
    ("Autism", 36),
    ("Speech, language and communication", 20),
    ("Social, emotional and mental health", 20),
    ("Moderate learning difficulty", 12),
    ("Physical disability", 6),
    ("Hearing impairment", 3),
)
SETTINGS = (
    ("Mainstream school", 58),
    ("Special school", 22),
    ("College", 10),
    ("Early years setting", 8),
    ("Alternative provision", 2),
)
YP_AGES = (("11 to 13", 40), ("14 to 16", 38), ("17 to 19", 22))
PARENT_COMMENTS = (
    "We waited eighteen months for an autism assessment and had no support while we waited.",
    "The wait for the EHC needs assessment was far too long and nobody kept us updated.",
    "Our SENCo has been brilliant and really listened to what our son needs.",
    "Nobody explained what would happen when my daughter moves to secondary school.",
    "The transition to college was well planned and the college visited him at school.",
    "Communication from the SEND team is poor: emails go unanswered for weeks.",
    "The local offer website is hard to find your way around.",
    "Short breaks have made a real difference to our family.",
    "We had to go to tribunal to get the right school placement.",
    "Speech and language therapy stopped when he turned 11 and we don't know why.",
    "CAMHS waiting lists are too long and there is no help while you wait.",
    "The annual review was late and the plan still has not been updated.",
    "The parent carer forum helped us more than anyone else.",
    "Our daughter loves the after-school club; it is the only place she is included.",
    "I felt listened to at the review meeting for the first time.",
    "Transport to school keeps changing without notice.",
    "Health visitor spotted his speech delay early and referred him quickly.",
    "There is nothing for teenagers with SEND to do in the holidays.",
)
PERSONAL_COMMENTS = (
    "Please call me on 07700 900123, the review is overdue.",
    "Email me at parent.demo@example.com if you want to hear more.",
    "We are at DE1 2AB and no activities near us take children with additional needs.",
)
YOUNG_PEOPLE_COMMENTS = (
    "I want more say in my plan.",
    "My teaching assistant helps me a lot.",
    "I do not know what I will do after year 11.",
    "I would like more clubs that I can go to with my friends.",
    "People talk to my mum instead of me.",
    "The college open day was good.",
    "I had to wait a long time to see someone about my anxiety.",
)


def build_feedback_demo(context: DemoContext) -> None:
    """Import the demo surveys through the real importer, then confirm some themes and mark quotes."""
    session, partnership, rng, now = context.session, context.partnership, context.rng, context.now
    actor = audit.Actor.of(context.people.get("contributor@demo.example"))
    _, framework = partnership_framework(session, partnership)
    statements = {item.id: item.statement for item in framework.survey_items}

    parents = feedback_service.create_survey(
        session,
        actor,
        partnership.id,
        name="Parent carer forum annual survey",
        audience="parents_carers",
        opened_on=(now - timedelta(days=240)).date(),
        closed_on=(now - timedelta(days=205)).date(),
        when=now,
    )
    for label, start, count, shift in (
        (f"Spring {(now - timedelta(days=600)).year}", now - timedelta(days=600), rng.randint(240, 270), False),
        (f"Spring {(now - timedelta(days=240)).year}", now - timedelta(days=240), rng.randint(300, 340), True),
    ):
        data = smartsurvey_export(rng, statements, start, count, shift)
        _import(
            session, actor, parents, data, f"smartsurvey-{label.lower().replace(' ', '-')}.csv", label, framework, now
        )

    young = feedback_service.create_survey(
        session,
        actor,
        partnership.id,
        name="Young people's voice survey",
        audience="children_young_people",
        opened_on=(now - timedelta(days=150)).date(),
        closed_on=(now - timedelta(days=120)).date(),
        when=now,
    )
    data = microsoft_forms_export(rng, statements, now - timedelta(days=150), rng.randint(110, 140))
    _import(session, actor, young, data, "young-people-voice.xlsx", None, framework, now)
    _review_comments(session, actor, partnership.id, framework, now, rng)
    context.summary.append("Family feedback: a parent carer survey (two waves) and a young people's survey")


def _import(session, actor, survey, data, file_name, label, framework, now) -> None:  # type: ignore[no-untyped-def]
    proposal = feedback_service.propose_mapping(survey, data, framework)
    outcome = feedback_service.import_wave(
        session,
        actor,
        survey,
        data=data,
        file_name=file_name,
        mapping=proposal.mapping,
        framework=framework,
        label=label,
        when=now,
    )
    if not outcome.ok:  # the demo's own exports must import cleanly
        raise RuntimeError(f"demo survey did not import: {outcome.result.errors[:3]}")


def _pick(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]


def _answer(rng: random.Random, weights: tuple[int, ...], shift: int = 0) -> str:
    draw = rng.random()
    if draw < 0.04:
        return ""
    if draw < 0.09:
        return "Don't know"
    sa, a, n, d, sd = weights
    moved = [sa + shift // 2, a + shift - shift // 2, n, max(d - shift // 2, 1), max(sd - (shift - shift // 2), 1)]
    return rng.choices(AGREE_SCALE, weights=moved)[0]


def _comment(rng: random.Random, pool: tuple[str, ...], chance: float) -> str:
    if rng.random() > chance:
        return ""
    if rng.random() < 0.02:
        return rng.choice(PERSONAL_COMMENTS)
    return rng.choice(pool)


def smartsurvey_export(
    rng: random.Random, statements: dict[str, str], start: datetime, count: int, second_wave: bool
) -> bytes:
    """A parent carer survey as SmartSurvey exports it: UserID, IP Address, Started, Ended, then questions."""
    likert = [f"{GRID}: {statements[item]}" for item, _ in PARENT_ITEMS]
    header = [
        "UserID",
        "IP Address",
        "Started",
        "Ended",
        *likert,
        "Which best describes you?",
        "How old is your child?",
        "What is your child's main area of need?",
        "Where does your child go to school or college?",
        "Is there anything else you would like to tell us about the support your family gets?",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for number in range(count):
        began = start + timedelta(days=rng.randint(0, 34), minutes=rng.randint(0, 1439))
        ended = began + timedelta(minutes=rng.randint(4, 25))
        answers = [
            _answer(rng, weights, SECOND_WAVE_SHIFT.get(item, 2) if second_wave else 0)
            for item, weights in PARENT_ITEMS
        ]
        writer.writerow(
            [
                90000000 + number * 7 + (500000 if second_wave else 0),
                f"198.51.100.{number % 250}",
                f"{began:%d/%m/%Y %H:%M:%S}",
                f"{ended:%d/%m/%Y %H:%M:%S}",
                *answers,
                _pick(rng, ROLES),
                _pick(rng, AGES),
                _pick(rng, NEEDS),
                _pick(rng, SETTINGS),
                _comment(rng, PARENT_COMMENTS, 0.45),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def microsoft_forms_export(rng: random.Random, statements: dict[str, str], start: datetime, count: int) -> bytes:
    """A young people's survey as Microsoft Forms exports it (XLSX): ID, times, Email, Name, then questions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            *[statements[item] for item, _ in YOUNG_PEOPLE_ITEMS],
            "How old are you?",
            "What would make things better for you?",
        ]
    )
    for number in range(1, count + 1):
        began = start + timedelta(days=rng.randint(0, 29), minutes=rng.randint(0, 1439))
        sheet.append(
            [
                number,
                began,
                began + timedelta(minutes=rng.randint(3, 15)),
                "anonymous",
                "",
                *[_answer(rng, weights) for _, weights in YOUNG_PEOPLE_ITEMS],
                _pick(rng, YP_AGES),
                _comment(rng, YOUNG_PEOPLE_COMMENTS, 0.5),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _review_comments(session, actor, partnership_id, framework, now, rng) -> None:  # type: ignore[no-untyped-def]
    """Confirm themes on some comments, mark a few as quotes and record what was done about them."""
    comments = comment_service.list_comments(session, partnership_id, comment_service.CommentFilter())
    themed = [comment for comment in comments if comment.themes]
    reviewed = rng.sample(themed, min(len(themed), 40))
    quoted = set()
    for comment in reviewed:
        quote = len(quoted) < 6 and len(comment.text) > 40 and comment.text not in quoted
        if quote:
            quoted.add(comment.text)
        comment_service.update_comment(
            session,
            actor,
            comment,
            themes=list(comment.themes),
            is_quote=quote,
            quote_note="For the self-evaluation" if quote else None,
            framework=framework,
            when=now,
        )
    waiting = next((c for c in reviewed if "wait" in c.text.lower()), None)
    entries = (
        (
            "Families told us they had no help while waiting for an autism assessment.",
            "We opened a weekly drop-in with the neurodevelopmental team and sent every waiting family a support pack.",
            "EXP1",
            120,
            "Neurodevelopmental pathway lead",
            waiting,
        ),
        (
            "The local offer website was hard to find your way around.",
            "We rebuilt the local offer with the parent carer forum and tested it with twelve families.",
            "EXP2",
            200,
            "Local offer manager",
            None,
        ),
        (
            "Moving to secondary school was not explained.",
            "Every Year 6 child with an EHC plan now has a transition review by the end of the spring term.",
            "EXP4",
            60,
            "SEND casework manager",
            None,
        ),
    )
    for said, did, criterion, days_ago, owner, comment in entries:
        comment_service.create_entry(
            session,
            actor,
            partnership_id,
            said=said,
            did=did,
            criterion=criterion,
            done_on=(now - timedelta(days=days_ago)).date(),
            owner=owner,
            comment_id=comment.id if comment else None,
            framework=framework,
            when=now,
        )
