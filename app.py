"""Streamlit UI: the Article 7 contact line for a chosen date (first page)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from zones import ArgumentError, contact_line
from zones.export import geojson_bytes
from zones.settings import DRAFT_PUBLISHED, NATO_FOUNDED


@st.cache_data(max_entries=64)
def _contact(date: dt.date, allies: str):
    return contact_line(date, allies)


st.set_page_config(page_title="Article 7 zones", layout="wide")
st.title("Article 7 buffer zones")
date = st.date_input("NATO membership on", value=DRAFT_PUBLISHED, min_value=NATO_FOUNDED, max_value=dt.date.today())
allies = st.radio("Russia's side", ["union-state", "csto"], horizontal=True)
try:
    pairs = _contact(date, allies)
except ArgumentError as exc:
    st.warning(str(exc))
    st.stop()
st.metric("Land border between the sides", f"{pairs['length_km'].sum():,.0f} km")
st.dataframe(pairs.drop(columns="geometry"), hide_index=True)
st.download_button("Contact line (GeoJSON)", geojson_bytes(pairs), "contact.geojson", "application/geo+json")
