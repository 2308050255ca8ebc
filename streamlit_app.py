"""Entry point: the Streamlit app plus its extra HTTP routes on the same server."""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from lib.web.middleware import SecurityHeadersMiddleware, inline_script_hashes
from lib.web.routes import EXCEPTION_HANDLERS, ROUTES

try:
    # `streamlit run` imports this module (to find `app`) before any browser connects. Until the
    # first script run calls st.navigation, Streamlit 1.67 treats the `pages/` folder as a v1
    # multipage app, so the very first visitor of /sign_in (say) would run pages/sign_in.py
    # bare, without this shell. The pages here are st.navigation's: say so from the start.
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
except (ImportError, AttributeError):  # pragma: no cover - a later Streamlit without the flag
    pass

# The Content-Security-Policy allows Streamlit's own inline script by its hash, read from this install.
_INDEX_HTML = Path(st.__file__).parent / "static" / "index.html"
_SCRIPT_HASHES = inline_script_hashes(_INDEX_HTML.read_text(encoding="utf-8")) if _INDEX_HTML.exists() else []

app = st.App("streamlit_app.py", routes=ROUTES,
             middleware=[Middleware(SecurityHeadersMiddleware, script_hashes=_SCRIPT_HASHES)],
             exception_handlers=EXCEPTION_HANDLERS)

if __name__ == "__main__":
    from lib.ui.shell import main

    main()
