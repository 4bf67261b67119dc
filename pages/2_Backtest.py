import streamlit as st

st.set_page_config(page_title="Back-test: China's trade surplus", layout="wide")
st.title("Back-test")
st.info("This page needs the scenario model, which is not in this version yet.")
