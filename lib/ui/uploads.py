"""Image uploaders that speak the reader's language: Streamlit 1.67 draws its uploader's button
("Upload") and instructions ("Drag and drop files here", "10MB per file • JPG, PNG, WEBP") in English
only, so the app hides those (assets/style.css) and draws its own, translated."""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib.ui.i18n import t

IMAGE_TYPES = ["jpg", "jpeg", "png", "webp"]
MAX_MB = 10  # .streamlit/config.toml [server] maxUploadSize


def _css_string(text: str) -> str:
    """A quoted CSS string that cannot end the string or the <style> element early."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ") + '"'


def image_uploader(label: str, key: str, *, multiple: bool = False, help: str | None = None) -> Any:
    """st.file_uploader for pictures, its button and limits in the session's language."""
    # The button's own label is drawn by CSS from this variable.
    st.html(f"<style>.stApp {{ --cc-upload-label: {_css_string(t('upload.browse'))}; }}</style>")
    uploaded = st.file_uploader(label, type=IMAGE_TYPES, accept_multiple_files=multiple, key=key, help=help)
    hint = t("upload.hint_many" if multiple else "upload.hint_one", mb=MAX_MB,
             types=", ".join(kind.upper() for kind in IMAGE_TYPES if kind != "jpeg"))
    st.caption(hint)
    return uploaded
