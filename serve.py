"""Production entry point: Tandem (app.py and pages/) behind security headers.

Start it with `streamlit run serve.py` (./run demo and ./run serve do): Streamlit finds the
st.App below and serves app.py with the middleware in front of every response.
"""

import streamlit as st
from starlette.middleware import Middleware

from core.headers import SecurityHeaders

app = st.App("app.py", middleware=[Middleware(SecurityHeaders)])
