"""The baseline for `python -m bench ui`: a one-button Streamlit app, the floor any Streamlit page pays.

A title, a line of text, and a button that increments a counter shown on the page (drawn after the
button, so a click's run shows the new count).
"""

import streamlit as st

st.title("Baseline")
st.write("A one-button Streamlit app: what any Streamlit page costs at the least.")
if "clicks" not in st.session_state:
    st.session_state.clicks = 0
if st.button("Click me", key="click"):
    st.session_state.clicks += 1
st.markdown(f"Clicks: {st.session_state.clicks}")
