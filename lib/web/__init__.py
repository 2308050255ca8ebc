"""HTTP routes served next to the Streamlit app (st.App): health, JSON API, sign-in cookie."""
