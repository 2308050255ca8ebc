"""Streamlit widgets whose own words are English (a multiselect's "Choose options", the uploader's
"Upload" and "10MB per file • JPG, PNG, WEBP") speak the reader's language."""

from __future__ import annotations

from lib.i18n import translate
from tests.ui.conftest import PASSWORD

KO = lambda key, **kw: translate("ko", key, **kw)  # noqa: E731


def _korean(at):  # type: ignore[no-untyped-def]
    at.selectbox(key="shell.lang_select").set_value("ko").run()
    assert not at.exception
    return at


def test_the_status_filter_asks_in_korean(make_app):
    at = _korean(make_app())
    [status] = at.multiselect
    assert status.placeholder == KO("common.choose_options")
    assert "Choose" not in status.placeholder


def test_an_image_uploader_states_its_button_and_limits_in_korean(make_app, new_account):
    person = new_account("Korean Uploader")  # switching language is saved on the account: not a shared demo one
    at = _korean(make_app(email=person.email, password=PASSWORD, page="pages/submit_idea.py"))
    assert not at.exception
    assert KO("upload.hint_many", mb=10, types="JPG, PNG, WEBP") in [c.value for c in at.caption]
    styles = [e.proto.body for e in at.get("html") if "--cc-upload-label:" in e.proto.body]
    assert styles and all(f'"{KO("upload.browse")}"' in body for body in styles), styles
