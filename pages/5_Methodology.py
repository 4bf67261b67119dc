"""Methodology: the equations, every parameter with its source, what is left out, who does more."""

from pathlib import Path

import streamlit as st

from model import parameter_table
from views.text import dollars, markdown_with_math, split_sections

st.set_page_config(
    page_title="Methodology: China's trade surplus", page_icon=":material/functions:", layout="wide"
)
st.title("How the model works")

DOC = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"


@st.cache_data(max_entries=2, show_spinner=False)
def read_doc(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return None


text = read_doc(str(DOC))
if text:
    for heading, body in split_sections(text):
        if heading:
            st.header(dollars(heading), anchor=False)
        if body:
            st.markdown(markdown_with_math(body))
else:
    st.markdown(
        "An annual export-demand model. Exports to each destination grow with the "
        "destination's demand and China's export prices, and adjust, part by part each "
        "year, to the change of the tariff that destination applies to Chinese goods. "
        "Imports grow with China's own demand, commodity prices and the import content of "
        "exports. The surplus is exports less imports; the world share is China's exports "
        "over world exports, with the other exporters growing with world trade."
    )
    st.subheader("Exports to region r in year t", anchor=False)
    st.latex(
        r"\ln Q_{r,t} = \ln Q_{r,t-1} + \varepsilon_Y \ln(1+g_{r,t}) + \ln(1+\pi_t)"
        r" - \eta \ln(1+e_t) + (a_{r,t} - a_{r,t-1})"
    )
    st.subheader("The tariff wedge, with partial adjustment", anchor=False)
    st.latex(
        r"a^*_{r,t} = -\bigl(\sigma(1-\omega)+\omega\bigr)\ln\frac{1+t_{r,t}}{1+t_{r,0}},"
        r"\qquad a_{r,t} = a_{r,t-1} + \lambda\,(a^*_{r,t} - a_{r,t-1}),"
        r"\qquad \lambda = \min(\sigma_1/\sigma,\,1)"
    )
    st.subheader("Re-routing through connector regions", anchor=False)
    st.latex(
        r"L_t = Q_{US,t}\,\bigl(e^{-a_{US,t}} - 1\bigr)^+,\qquad R_{c,t} = \kappa\, w_c\, L_t,"
        r"\qquad X_{r,t} = Q_{r,t} + R_{r,t}"
    )
    st.subheader("Imports, balance and world share", anchor=False)
    st.latex(
        r"\ln \tilde M_t = \ln \tilde M_{t-1} + \varepsilon_M \ln(1+g^{CN}_t)"
        r" + s_c \ln(1+c_t) + (1-s_c)\ln(1+\pi_t) + \eta_M \ln(1+e_t) + \mu\,\Delta\ln X_t"
    )
    st.latex(
        r"M_t = \tilde M_t\bigl(1 - s_{US}(1-\rho)(1-e^{b_t-b_B})\bigr),\qquad"
        r"B_t = \textstyle\sum_r X_{r,t} - M_t,\qquad"
        r"\text{share}_t = \frac{X_t}{X_t + O_t}"
    )

st.header("Every parameter, its default, range and source", anchor=False)
st.caption(
    "The same table the sliders and the model's validation are built from. Move any "
    "of them on the Scenario page."
)
table = parameter_table()
st.dataframe(
    table.rename(
        columns={
            "name": "Key (in links)",
            "label": "Parameter",
            "default": "Default",
            "min": "Min",
            "max": "Max",
            "unit": "Unit",
            "group": "Group",
            "source": "Source",
        }
    ),
    hide_index=True,
    column_config={"Source": st.column_config.TextColumn(width="large")},
    alt="Every model input with its default, range, unit and source",
)

st.header("What the model leaves out", anchor=False)
st.markdown(
    dollars(
        "- **General equilibrium.** Wages, exchange rates and other countries' trade do "
        "not respond to the scenario; the RMB and prices are inputs, not results.\n"
        "- **Products.** One elasticity for all goods: a tariff on electronics and one on "
        "furniture act alike. Product detail (HS lines) is where tariffs really differ.\n"
        "- **Services and income.** Goods trade only, China customs basis; the current "
        "account is not modelled.\n"
        "- **Firms and supply chains.** Re-routing is a share of lost US sales, not a "
        "model of where factories move; transshipment and genuine relocation are not told apart.\n"
        "- **Timing within the year.** An annual model: front-loading before a tariff "
        "(2018, early 2025) shows only as far as it moves annual totals.\n"
        "- **Policy reaction.** No feedback from the surplus to tariffs, subsidies or "
        "the exchange rate: each scenario fixes them."
    )
)

st.header("Tools that do more", anchor=False)
st.markdown(
    "This model is small on purpose: every number on screen traces to a source or a "
    "slider, and every result is replayed against history on the Back-test page. "
    "For more detail, these go further:\n\n"
    "- **World Bank WITS SMART**: partial-equilibrium simulation of a tariff change, "
    "product by product, for one importing market.\n"
    "- **GSIM** (Francois and Hall): a global partial-equilibrium model of tariff "
    "changes across several markets at once.\n"
    "- **GTAP**: the standard computable general-equilibrium model and database of "
    "world trade, production and factor markets.\n"
    "- **USITC partial-equilibrium models** (such as the PE model used in its economy-wide "
    "studies): industry-level effects of US trade policy.\n"
    "- **OEC** (Observatory of Economic Complexity): detailed bilateral trade data by "
    "product, to check any flow the model aggregates.\n"
    "- **Yale Budget Lab**: tracking of the US effective tariff rate and its price and "
    "output effects.\n"
    "- **PIIE trackers** (Chad Bown): the US-China tariff timeline and trade-weighted "
    "average tariffs this model's tariff inputs come from."
)
