"""Entry point: the Streamlit app plus its extra HTTP routes on the same server."""

import streamlit as st
from starlette.middleware import Middleware

from lib.web.middleware import SecurityHeadersMiddleware
from lib.web.routes import ROUTES

app = st.App("streamlit_app.py", routes=ROUTES, middleware=[Middleware(SecurityHeadersMiddleware)])

if __name__ == "__main__":
    from lib.ui.shell import main

    main()
