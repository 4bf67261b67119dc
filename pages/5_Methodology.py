import streamlit as st

st.set_page_config(page_title="Methodology: China's trade surplus", layout="wide")
st.title("Methodology")
st.info("This page needs the scenario model, which is not in this version yet.")
