"""Family feedback pages: importing in the browser, the figures, comments, "you said, we did" and who sees what."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from inspect_app.models import AuditEvent, Survey, SurveyComment, SurveyResponse, SurveyWave, YouSaidWeDid
from tests.factories import FEEDBACK_FILES, create_feedback
from tests.page import text_of


@pytest.fixture
def world(two_partnerships):  # type: ignore[no-untyped-def]
    return two_partnerships


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model)) or 0


def upload(client, survey_id: int, name: str, label: str = "", mapping: bytes | None = None):  # type: ignore[no-untyped-def]
    data = {"export": (io.BytesIO((FEEDBACK_FILES / name).read_bytes()), name), "label": label}
    if mapping is not None:
        data["mapping"] = (io.BytesIO(mapping), "mapping.yml")
    return client.post(f"/p/alpha/feedback/surveys/{survey_id}/import", data=data, content_type="multipart/form-data")


def form_values(soup) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The values a browser would send from the mapping page as it stands (each select's chosen option)."""
    values = {}
    for select_tag in soup.select("form select"):
        chosen = select_tag.select_one("option[selected]") or select_tag.select_one("option")
        values[select_tag["name"]] = chosen.get("value", "")
    return values


def add_survey(client, name: str = "Parent carer survey") -> int:  # type: ignore[no-untyped-def]
    response = client.post("/p/alpha/feedback/surveys/new", data={"name": name, "audience": "parents_carers"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return int(re.search(r"/surveys/(\d+)/import", response.headers["Location"]).group(1))


def test_surveys_page_explains_how_to_import_when_there_are_none(pages, world, sign_in):
    sign_in(world.a.viewer)
    text = text_of(pages.get("/p/alpha/feedback/"))
    assert "No surveys yet" in text and "Microsoft Forms, Google Forms, SurveyMonkey or SmartSurvey" in text
    assert "inspect-app import feedback FILE --partnership alpha --survey NAME" in text
    assert "Add a survey" not in text  # viewers read only


def test_adding_a_survey_shows_gov_uk_errors_then_creates_it(pages, client, session, world, sign_in):
    sign_in(world.a.contributor)
    soup = pages.post(
        "/p/alpha/feedback/surveys/new",
        data={"name": "", "opened_on": ["3", "6", "2026"], "closed_on": ["1", "6", "2026"]},
    )
    assert soup.title.get_text().startswith("Error: ")
    summary = text_of(soup.select_one(".govuk-error-summary"))
    assert "Enter the survey's name" in summary and "Select who the survey is for" in summary
    assert "The closing date must be the same as or after the opening date" in summary
    assert count(session, Survey) == 0
    survey_id = add_survey(client)
    soup = pages.post(
        "/p/alpha/feedback/surveys/new", data={"name": "parent CARER survey", "audience": "practitioners"}
    )
    assert "There is already a survey called Parent carer survey" in text_of(soup)
    assert session.get(Survey, survey_id).audience == "parents_carers"


def test_uploading_an_export_proposes_a_mapping_then_imports_it_all(pages, client, session, world, sign_in):
    sign_in(world.a.lead)
    survey_id = add_survey(client)
    response = upload(client, survey_id, "smartsurvey.csv", label="Summer 2024")
    assert response.status_code == 302
    mapping_url = response.headers["Location"]
    soup = pages.get(mapping_url)
    text = text_of(soup)
    assert "The file is a SmartSurvey export with 28 responses" in text
    assert "Columns never imported" in text and "IP Address" in text
    values = form_values(soup)
    names = [text_of(legend) for legend in soup.select("fieldset legend.govuk-fieldset__legend--s")]
    roles = dict(zip(names, (values[f"role_{i}"] for i in range(len(names))), strict=True))
    assert roles["Which best describes you?"] == "group"
    assert roles["Is there anything else you would like to tell us about the support your family gets?"] == "free_text"
    assert list(roles.values()).count("likert") == 6
    assert count(session, SurveyResponse) == 0  # nothing until confirmed
    response = client.post(mapping_url, data=values)
    assert response.status_code == 302, text_of(pages.post(mapping_url, data=values))[:500]
    wave = session.scalars(select(SurveyWave)).one()
    assert (wave.label, wave.respondents, wave.source) == ("Summer 2024", 28, "smartsurvey")
    soup = pages.get(response.headers["Location"])
    text = text_of(soup)
    assert "Imported 28 responses as wave Summer 2024" in text
    assert "1 email address" in text and "Agreement with each statement" in text
    assert soup.select_one(".app-chart svg title")
    assert "fewer than 5" in text  # small groups are suppressed
    assert client.get(mapping_url).status_code == 404  # the held upload is deleted once imported


def test_the_next_wave_reuses_the_saved_mapping_in_one_go(pages, client, session, world, sign_in):
    sign_in(world.a.lead)
    survey, _, _, _ = create_feedback(session, world.a.partnership)
    smaller = (FEEDBACK_FILES / "google_forms.csv").read_text().splitlines()
    next_wave = "\n".join([smaller[0], *smaller[20:]]) + "\n"  # the later responses: a later wave
    response = client.post(
        f"/p/alpha/feedback/surveys/{survey.id}/import",
        data={"export": (io.BytesIO(next_wave.encode()), "wave2.csv"), "label": "Autumn"},
        content_type="multipart/form-data",
    )
    soup = pages.get(response.headers["Location"])
    assert "Every column is mapped as it was for this survey's last wave" in text_of(soup)
    response = client.post(response.headers["Location"], data=form_values(soup))
    assert response.status_code == 302
    assert [w.label for w in session.scalars(select(SurveyWave).order_by(SurveyWave.id))] == ["Summer 2024", "Autumn"]
    text = text_of(
        pages.get(
            f"/p/alpha/feedback/surveys/{survey.id}?wave={session.scalars(select(SurveyWave.id).order_by(SurveyWave.id.desc())).first()}"
        )
    )
    assert "Change since Summer 2024" in text


def test_unknown_answers_are_reported_then_placed_on_the_scale_by_a_person(pages, client, session, world, sign_in):
    sign_in(world.a.contributor)
    survey_id = add_survey(client)
    mapping_url = upload(client, survey_id, "bad_answers.csv").headers["Location"]
    soup = pages.get(mapping_url)
    assert "Answers not on the agree scale" in text_of(soup)
    labels = [text_of(label) for label in soup.select("label[for^=answer_]")]
    assert sorted(labels) == ["“Mostly”", "“Somewhat agree”"]
    values = form_values(soup)
    soup = pages.post(mapping_url, data=values)  # left unplaced: every row error shown, nothing stored
    assert soup.title.get_text().startswith("Error: ")
    assert "The file has 2 problems, so nothing was imported" in text_of(soup.select_one(".govuk-error-summary"))
    rows = [[text_of(td) for td in tr.select("td")] for tr in soup.select("#problems ~ .app-table-wrapper tbody tr")]
    assert {row[0] for row in rows} == {"3", "5"}
    assert count(session, SurveyWave) == 0
    errors_csv = client.get(mapping_url + "/errors.csv")
    assert errors_csv.status_code == 200 and errors_csv.mimetype == "text/csv"
    assert errors_csv.get_data(as_text=True).splitlines()[0] == "row,column,value,message"
    assert "Somewhat agree" in errors_csv.get_data(as_text=True)
    for name in [n for n in values if n.startswith("answer_")]:
        values[name] = "agree"
    response = client.post(mapping_url, data=values)
    assert response.status_code == 302
    assert count(session, SurveyResponse) == 5
    assert "somewhat agree: agree" in session.scalars(select(Survey)).one().mapping_yaml


def test_bad_files_are_refused_on_the_upload_page(pages, client, session, world, sign_in):
    sign_in(world.a.lead)
    survey, _, _, _ = create_feedback(session, world.a.partnership)
    url = f"/p/alpha/feedback/surveys/{survey.id}/import"
    cases = {
        "empty.csv": "The file is empty",
        "unknown_tool.csv": "not a survey export this service can read",
        "headers_only.csv": "The file has no responses",
        "google_forms.csv": "This file was already imported into Parent survey as wave 'Summer 2024'",
    }
    for name, message in cases.items():
        data = {"export": (io.BytesIO((FEEDBACK_FILES / name).read_bytes()), name)}
        soup = pages.post(url, data=data, content_type="multipart/form-data")
        assert message in text_of(soup.select_one(".govuk-error-summary")), name
    soup = pages.post(url, data={"export": (io.BytesIO(b"x"), "notes.txt")}, content_type="multipart/form-data")
    assert "The selected file must be a CSV or XLSX file" in text_of(soup)
    soup = pages.post(
        url,
        data={
            "export": (io.BytesIO((FEEDBACK_FILES / "smartsurvey.csv").read_bytes()), "s.csv"),
            "mapping": (io.BytesIO(b"columns: [oops"), "m.yml"),
            "label": "summer 2024",
        },
        content_type="multipart/form-data",
    )
    summary = text_of(soup.select_one(".govuk-error-summary"))
    assert "The mapping is not valid YAML" in summary and "already has a wave called Summer 2024" in summary
    assert count(session, SurveyWave) == 1


def test_a_mapping_file_uploaded_with_the_export_is_proposed(pages, client, world, sign_in):
    sign_in(world.a.lead)
    survey_id = add_survey(client)
    mapping = (FEEDBACK_FILES / "google_forms_mapping.yml").read_bytes()
    soup = pages.get(upload(client, survey_id, "google_forms.csv", mapping=mapping).headers["Location"])
    assert "Every column is mapped as it was" in text_of(soup)
    assert form_values(soup)["link_0"] == "item:fam_needs_identified_early"


def test_mapping_choices_that_do_not_fit_are_errors_on_the_field(pages, client, world, sign_in):
    sign_in(world.a.lead)
    survey_id = add_survey(client)
    mapping_url = upload(client, survey_id, "google_forms.csv").headers["Location"]
    values = form_values(pages.get(mapping_url))
    group_fields = [n for n, v in values.items() if n.startswith("role_") and v == "group"]
    first, second = (n.replace("role_", "group_") for n in group_fields[:2])
    values[second] = values[first]
    values["group_0"] = "need"
    soup = pages.post(mapping_url, data=values)
    summary = text_of(soup.select_one(".govuk-error-summary"))
    assert "already gives this group" in summary and "Only a group column gives a group" in summary
    assert soup.select_one(".govuk-error-summary a[href='#group_0']")


def test_an_upload_of_one_survey_cannot_be_mapped_into_another(client, session, world, sign_in):
    sign_in(world.a.lead)
    first = add_survey(client)
    second = add_survey(client, "Another survey")
    token = upload(client, first, "google_forms.csv").headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/p/alpha/feedback/surveys/{second}/import/{token}").status_code == 404
    assert client.get(f"/p/alpha/feedback/surveys/{first}/import/{'x' * 32}").status_code == 404


def test_survey_page_shows_items_criteria_groups_and_a_download_of_the_mapping(pages, client, session, world, sign_in):
    sign_in(world.a.lead)
    survey, wave, _, _ = create_feedback(session, world.a.partnership)
    soup = pages.get(f"/p/alpha/feedback/surveys/{survey.id}")
    text = text_of(soup)
    assert "Wave: Summer 2024" in text and "Agreement by criterion" in text and "By role" in text
    assert "95% confidence interval" in text and "google_forms.csv" in text
    header = [text_of(th) for th in soup.select("caption:-soup-contains('Answers to each statement') ~ thead th")]
    assert header[:5] == ["Statement", "Criterion", "n", "% agree", "95% confidence interval"]
    mapping = client.get(f"/p/alpha/feedback/surveys/{survey.id}/mapping.yml")
    assert mapping.status_code == 200 and "fam_needs_identified_early" in mapping.get_data(as_text=True)


def test_deleting_a_wave_asks_first_then_removes_it(pages, client, session, world, sign_in):
    sign_in(world.a.contributor)
    survey, wave, _, _ = create_feedback(session, world.a.partnership)
    url = f"/p/alpha/feedback/surveys/{survey.id}/waves/{wave.id}/delete"
    assert "Delete wave Summer 2024?" in text_of(pages.get(url))
    assert client.post(url).status_code == 302
    assert count(session, SurveyWave) == count(session, SurveyResponse) == 0
    assert "No responses imported yet" in text_of(pages.get(f"/p/alpha/feedback/surveys/{survey.id}"))


def test_comments_can_be_filtered_themed_and_quoted(pages, client, session, world, sign_in):
    sign_in(world.a.contributor)
    create_feedback(session, world.a.partnership)
    text = text_of(pages.get("/p/alpha/feedback/comments"))
    assert "Suggested" in text and "Themes across these comments" in text
    comment = session.scalars(select(SurveyComment).order_by(SurveyComment.id)).first()
    soup = pages.get(f"/p/alpha/feedback/comments/{comment.id}")
    assert "Review a comment" in text_of(soup)
    response = client.post(
        f"/p/alpha/feedback/comments/{comment.id}",
        data={"themes": ["EXP2", "LEAD2"], "is_quote": "y", "quote_note": "Strong voice"},
    )
    assert response.status_code == 302
    session.refresh(comment)
    assert (comment.themes, comment.theme_status, comment.is_quote) == (["EXP2", "LEAD2"], "confirmed", True)
    soup = pages.get("/p/alpha/feedback/comments?quotes=y")
    assert "1 comment" in text_of(soup) and "Marked for the self-evaluation: Strong voice" in text_of(soup)
    assert "LEAD2" in text_of(pages.get("/p/alpha/feedback/comments?theme=LEAD2&status=confirmed"))
    soup = pages.post(f"/p/alpha/feedback/comments/{comment.id}", data={"themes": ["NOPE"]})
    assert "'NOPE' is not a valid choice" in text_of(soup.select_one(".govuk-error-summary"))


def test_you_said_we_did_can_be_added_from_a_comment_changed_and_deleted(pages, client, session, world, sign_in):
    sign_in(world.a.lead)
    _, _, comment, entry = create_feedback(session, world.a.partnership)
    soup = pages.get(f"/p/alpha/feedback/you-said-we-did/new?comment={comment.id}")
    assert comment.text in text_of(soup)
    soup = pages.post(f"/p/alpha/feedback/you-said-we-did/new?comment={comment.id}", data={"said": "", "did": ""})
    summary = text_of(soup.select_one(".govuk-error-summary"))
    assert "Enter what families said" in summary and "Enter the owner" in summary
    response = client.post(
        f"/p/alpha/feedback/you-said-we-did/new?comment={comment.id}",
        data={
            "said": "More clubs",
            "did": "Funded two clubs",
            "criterion": "EXP5",
            "done_on": ["1", "9", "2026"],
            "owner": "Short breaks team",
        },
    )
    assert response.status_code == 302
    new = session.scalars(select(YouSaidWeDid).where(YouSaidWeDid.said == "More clubs")).one()
    assert (new.comment_id, new.criterion, str(new.done_on)) == (comment.id, "EXP5", "2026-09-01")
    text = text_of(pages.get("/p/alpha/feedback/you-said-we-did"))
    assert "Funded two clubs" in text and "1 September 2026" in text
    response = client.post(
        f"/p/alpha/feedback/you-said-we-did/{new.id}/edit",
        data={"said": "More clubs", "did": "Funded three clubs", "criterion": "", "owner": "Team"},
    )
    assert response.status_code == 302 and session.get(YouSaidWeDid, new.id).did == "Funded three clubs"
    assert client.post(f"/p/alpha/feedback/you-said-we-did/{new.id}/delete").status_code == 302
    assert session.get(YouSaidWeDid, new.id) is None
    assert client.get(f"/p/alpha/feedback/you-said-we-did/new?comment={comment.id + 10_000}").status_code == 404


def test_inspectors_read_summaries_and_quotes_only(pages, client, session, world, sign_in):
    _, _, comment, _ = create_feedback(session, world.a.partnership)
    sign_in(world.a.inspector)
    survey_id = session.scalars(select(Survey.id)).one()
    text = text_of(pages.get(f"/p/alpha/feedback/surveys/{survey_id}"))
    assert "Agreement by criterion" in text and "fewer than 5" in text
    assert "google_forms.csv" not in text and "Import a new wave" not in text
    soup = pages.get("/p/alpha/feedback/comments")
    assert "No comments have been marked as quotes yet" in text_of(soup)
    comment.is_quote = True
    session.commit()
    soup = pages.get("/p/alpha/feedback/comments?quotes=")
    assert comment.text in text_of(soup) and "1 quote" in text_of(soup)
    assert "Review" not in text_of(soup)
    assert "You said, we did" in text_of(pages.get("/p/alpha/feedback/you-said-we-did"))
    for url in (
        f"/p/alpha/feedback/comments/{comment.id}",
        f"/p/alpha/feedback/surveys/{survey_id}/import",
        "/p/alpha/feedback/surveys/new",
        f"/p/alpha/feedback/surveys/{survey_id}/mapping.yml",
    ):
        assert client.get(url).status_code == 403, url
    assert session.scalars(select(AuditEvent).where(AuditEvent.action == "inspector.viewed")).first()


@pytest.mark.parametrize("role", ["viewer", "inspector"])
def test_readers_cannot_change_feedback(client, session, world, sign_in, role):
    survey, wave, comment, entry = create_feedback(session, world.a.partnership)
    sign_in(getattr(world.a, role))
    for url in (
        "/p/alpha/feedback/surveys/new",
        f"/p/alpha/feedback/surveys/{survey.id}/edit",
        f"/p/alpha/feedback/surveys/{survey.id}/import",
        f"/p/alpha/feedback/surveys/{survey.id}/waves/{wave.id}/delete",
        f"/p/alpha/feedback/comments/{comment.id}",
        "/p/alpha/feedback/you-said-we-did/new",
        f"/p/alpha/feedback/you-said-we-did/{entry.id}/edit",
        f"/p/alpha/feedback/you-said-we-did/{entry.id}/delete",
    ):
        assert client.post(url, data={"name": "x"}).status_code == 403, url
    assert count(session, SurveyWave) == 1


def test_framework_overview_and_dashboard_show_family_feedback(pages, session, world, sign_in):
    create_feedback(session, world.a.partnership)
    sign_in(world.a.viewer)
    text = text_of(pages.get("/p/alpha/framework/"))
    assert re.search(r"\d+ family responses, [\d.]+% agree", text)
    dashboard = text_of(pages.get("/p/alpha/"))
    assert "Family feedback" in dashboard and "1 survey, 36 responses in the latest waves" in dashboard


def test_a_file_missing_columns_of_the_saved_mapping_is_flagged_before_import(pages, client, session, world, sign_in):
    sign_in(world.a.lead)
    survey, _, _, _ = create_feedback(session, world.a.partnership)
    response = client.post(
        f"/p/alpha/feedback/surveys/{survey.id}/import",
        data={"export": (io.BytesIO((FEEDBACK_FILES / "bad_answers.csv").read_bytes()), "bad_answers.csv")},
        content_type="multipart/form-data",
    )
    text = text_of(pages.get(response.headers["Location"]))
    assert "The saved mapping imports 5 columns this file does not have" in text
    assert "How old is your child?" in text
