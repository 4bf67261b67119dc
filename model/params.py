"""Parameter metadata: one table for validation, sliders and the Methodology page.

Every input the model takes is described once here: its name (also its URL key
in the app), a label, the default, the allowed range, the unit and where the
default comes from. :class:`model.scenario.Scenario` validates against this
table; :func:`parameter_table` returns it as a DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from model.data import REGIONS, REST_OF_WORLD

#: Destinations of China's exports, in display order; Rest of world is the residual.
ALL_REGIONS: tuple[str, ...] = (*REGIONS, REST_OF_WORLD)

#: Region name -> slug used in field names and CSV columns (``united_states``).
SLUGS: dict[str, str] = {name: name.lower().replace(" ", "_") for name in ALL_REGIONS}

#: Slug -> region name.
REGION_OF_SLUG: dict[str, str] = {slug: name for name, slug in SLUGS.items()}

#: Regions through which part of the US-bound sales lost to US tariffs is re-routed.
CONNECTORS: tuple[str, ...] = ("ASEAN", "Latin America")

#: First projected year (the year after the base year of the shipped data) and the last allowed.
FIRST_YEAR = 2026
LAST_YEAR = 2040


@dataclass(frozen=True)
class ParamSpec:
    """One model input.

    Attributes
    ----------
    name : field name on :class:`~model.scenario.Scenario` and URL key.
    label : short human label (slider caption).
    default, min, max : default value and inclusive allowed range.
    unit : unit of the value as entered (``"%"``, ``"% a year"``, ``""``, ``"year"`` for a
        calendar year, ``"years"`` for a duration).
    group : ``"horizon"``, ``"tariff"``, ``"demand"``, ``"prices"``, ``"behaviour"`` or
        ``"retired"`` (kept so that old links and files still open; no effect).
    source : where the default (and the range) comes from.
    integer : True for year-valued inputs.
    """

    name: str
    label: str
    default: float
    min: float
    max: float
    unit: str
    group: str
    source: str
    integer: bool = False


# ----------------------------------------------------------------------------- sources

SRC_TRUCE = (
    "Level in force since 2026-07-24: 33.0% = PIIE's 47.5% after the Nov 2025 Busan truce "
    "(AP, Reuters, Dec 2025) less the 20 pp IEEPA layers the Supreme Court voided on "
    "2026-02-20 (Learning Resources v. Trump; MOFCOM 2026-02-24), plus the 12.5% Section 301 "
    "forced-labour tariff that replaced the Section 122 surcharge (EY, Nomura) at the "
    "surcharge's weight of 0.44 (Yale Budget Lab); data/tariffs.csv"
)


@dataclass(frozen=True)
class PolicyStep:
    """A dated change of a tariff level in force: ``key`` (region slug or ``"china"``)
    goes to ``level`` (%) on ``date`` (ISO), by ``source``."""

    key: str
    date: str
    level: float
    event: str
    source: str


#: The tariff steps of the years after the base year as they happened, in date order.
#: Each level is the ``PIIE trade-weighted average`` row of data/tariffs.csv of that date.
POLICY_STEPS: tuple[PolicyStep, ...] = (
    PolicyStep(
        "united_states",
        "2026-02-24",
        31.9,
        "IEEPA tariffs void (Supreme Court, 2026-02-20); Section 122 surcharge of 10% in force",
        "47.5 - 20 (IEEPA layers; MOFCOM 2026-02-24) + 4.4 (the surcharge's share, Yale Budget "
        "Lab tracker, June 2026); data/tariffs.csv",
    ),
    PolicyStep(
        "united_states",
        "2026-07-24",
        33.0,
        "Section 122 surcharge lapses; a Section 301 forced-labour tariff of 12.5% replaces it",
        "47.5 - 20 + 12.5 x 0.44 (the surcharge's weight, Yale Budget Lab); EY Tax News "
        "2026-07, Nomura 2026-06-09; data/tariffs.csv",
    ),
)


def policy_steps_by_key(steps: tuple[PolicyStep, ...] = POLICY_STEPS) -> dict:
    """``{key: {date: level}}`` of dated steps, the form of ``Scenario.tariff_steps``."""
    out: dict[str, dict[str, float]] = {}
    for step in steps:
        out.setdefault(step.key, {})[step.date] = step.level
    return out


SRC_NO_BASE_TARIFF = (
    "No average tariff of this region on Chinese goods is in the data: the base level is 0 "
    "and the value reads as the tariff added to today's"
)
SRC_CHINA_TARIFF = (
    "China's average tariff on US goods after the May 2025 Geneva deal, kept by the Nov 2025 "
    "truce: 32.6% (PIIE, Bown, mid-2025; data/tariffs.csv)"
)
SRC_IMF_2026 = "IMF World Economic Outlook Update, Jan 2026: projection for 2026 (data/drivers.csv)"
SRC_IMF_WORLD_2026 = (
    "No projection for this region in the data: IMF WEO Update (Jan 2026) world growth "
    "for 2026, 3.3% (data/drivers.csv)"
)

#: Default real GDP growth per region (% a year) and its source.
REGION_GROWTH_DEFAULTS: dict[str, tuple[float, str]] = {
    name: (3.3, SRC_IMF_WORLD_2026) for name in ALL_REGIONS
}
REGION_GROWTH_DEFAULTS["United States"] = (2.4, f"US: {SRC_IMF_2026}")
REGION_GROWTH_DEFAULTS["European Union"] = (1.3, f"Euro area: {SRC_IMF_2026}")
REGION_GROWTH_DEFAULTS["Japan"] = (0.7, f"Japan: {SRC_IMF_2026}")
REGION_GROWTH_DEFAULTS["South Korea"] = (1.9, f"South Korea: {SRC_IMF_2026}")
REGION_GROWTH_DEFAULTS["India"] = (6.4, f"India, fiscal year 2026/27: {SRC_IMF_2026}")
REGION_GROWTH_DEFAULTS["Russia"] = (0.8, f"Russia: {SRC_IMF_2026}")
REGION_GROWTH_DEFAULTS["Latin America"] = (
    2.2,
    f"Latin America and the Caribbean: {SRC_IMF_2026}; from a secondary copy of the table",
)
REGION_GROWTH_DEFAULTS["Africa"] = (4.6, f"Sub-Saharan Africa: {SRC_IMF_2026}")


def _spec(name, label, default, low, high, unit, group, source, integer=False) -> ParamSpec:
    return ParamSpec(name, label, default, low, high, unit, group, source, integer)


def _region_specs() -> list[ParamSpec]:
    specs = []
    for name in ALL_REGIONS:
        slug = SLUGS[name]
        default, source = (
            (33.0, SRC_TRUCE) if name == "United States" else (0.0, SRC_NO_BASE_TARIFF)
        )
        specs.append(
            _spec(
                f"tariff_{slug}",
                f"Tariff on Chinese goods: {name}",
                default,
                0.0,
                200.0,
                "%",
                "tariff",
                source,
            )
        )
    for name in ALL_REGIONS:
        slug = SLUGS[name]
        default, source = REGION_GROWTH_DEFAULTS[name]
        specs.append(
            _spec(
                f"growth_{slug}",
                f"Real demand growth: {name}",
                default,
                -10.0,
                10.0,
                "% a year",
                "demand",
                source,
            )
        )
    return specs


PARAMETERS: tuple[ParamSpec, ...] = (
    _spec(
        "end_year",
        "Last year of the projection",
        2035,
        FIRST_YEAR,
        LAST_YEAR,
        "year",
        "horizon",
        "Ten years past the 2025 base year; at most 2040",
        integer=True,
    ),
    _spec(
        "tariff_from",
        "Year the tariff levels take effect",
        FIRST_YEAR,
        FIRST_YEAR,
        LAST_YEAR,
        "year",
        "tariff",
        "The year after the base year; until then the level in force at the end of the "
        "base year holds",
        integer=True,
    ),
    *_region_specs(),
    _spec(
        "tariff_china",
        "China's tariff on US goods",
        32.6,
        0.0,
        200.0,
        "%",
        "tariff",
        SRC_CHINA_TARIFF,
    ),
    _spec(
        "growth_china",
        "China's real demand growth",
        4.5,
        -5.0,
        10.0,
        "% a year",
        "demand",
        f"China: {SRC_IMF_2026}",
    ),
    _spec(
        "growth_world",
        "World real GDP growth",
        3.3,
        -5.0,
        10.0,
        "% a year",
        "demand",
        "IMF World Economic Outlook Update, Jan 2026: world growth for 2026 (data/drivers.csv)",
    ),
    _spec(
        "world_trade",
        "World trade volume growth",
        2.6,
        -10.0,
        10.0,
        "% a year",
        "demand",
        "IMF WEO Update, Jan 2026: world trade volume 2026 (2.6%; 3.1% for 2027); "
        "WTO (2026-03-19): 1.9% for 2026, after 4.6% in 2025 (data/drivers.csv)",
    ),
    _spec(
        "rmb",
        "Real RMB appreciation (+) or depreciation (-)",
        0.0,
        -10.0,
        10.0,
        "% a year",
        "prices",
        "No change: a neutral default",
    ),
    _spec(
        "commodity",
        "Commodity price change",
        0.0,
        -30.0,
        30.0,
        "% a year",
        "prices",
        "No change: a neutral default",
    ),
    _spec(
        "price",
        "Change of China's export prices in dollars",
        0.0,
        -10.0,
        10.0,
        "% a year",
        "prices",
        "No change: projections in constant base-year dollars",
    ),
    # Behavioural parameters
    _spec(
        "psi",
        "Capacity elasticity ψ (China's export capacity to its output)",
        1.2,
        0.5,
        1.5,
        "",
        "behaviour",
        "The joint fit of the back-test (calibrate(): σ held at 3.5, φ at 2) on 2018-25: "
        "1.39 (s.e. 0.66) from 2017, 1.21 (s.e. 0.85) from 2019. Structural gravity scales "
        "an exporter's supply with its output, elasticity 1 (Anderson & van Wincoop 2003, "
        "AER; Head & Mayer 2014, Handbook of International Economics vol. 4); China's "
        "capacity has grown faster than its GDP (industrial value added +5.8% against GDP "
        "+5.0% in 2024, NBS Statistical Communique, 2025-02-28). The model's one supply "
        "term: the markets' income elasticity εY holds no supplier's trend",
    ),
    _spec(
        "phi",
        "Export supply elasticity φ (volume per log point of China's export price)",
        2.0,
        1.0,
        20.0,
        "",
        "behaviour",
        "Chosen between the absorption evidence of the two tariff waves: at φ = 2 China's "
        "export prices fall 5.7% per log point of a US tariff from 2025 (CICC, Sep 2025: "
        "9%; NY Fed, Feb 2026: 6-14%) and 9.8% from 2017, when the US bought more of "
        "China's exports (Amiti, Redding & Weinstein 2019 and Fajgelbaum et al. 2020: none; "
        "UNCTAD 2019: about 8%); φ = 1 gives 7.1% and 12.5%, φ = 4 gives 4.1% and 6.9%",
    ),
    _spec(
        "eps_p",
        "Price elasticity of a market's total imports εP",
        2.0,
        1.0,
        2.5,
        "",
        "behaviour",
        "Set so that the other suppliers take about 60% of China's lost US sales a year "
        "after a tariff rise, as UNCTAD found for H1 2019 (62%; 'Trade and trade diversion "
        "effects of United States tariffs on China', Nov 2019): 56% in 2026 and 63% by "
        "2030 for a US tariff of 72.5%. At most σ's minimum, so that a tariff on China "
        "never lowers the other suppliers' sales",
    ),
    _spec(
        "sigma",
        "Long-run tariff elasticity σ",
        3.5,
        2.5,
        6.0,
        "",
        "behaviour",
        "Amiti, Redding & Weinstein 2019 (JEP; -3.8 at sector level, -6 at variety level); "
        "Simonovska & Waugh 2014 (about 4); Tamberi 2025 (-3.7 long run)",
    ),
    _spec(
        "sigma_1",
        "Year-one tariff elasticity (sets λ = σ1/σ)",
        1.4,
        0.76,
        3.0,
        "",
        "behaviour",
        "Tamberi 2025 (-1.4 short run); Boehm, Levchenko & Pandalai-Nayar 2023 (-0.76 in "
        "year one, -1.75 to -2.25 over 7-10 years)",
    ),
    _spec(
        "cut_half_life",
        "Half-life of the return after a tariff cut τ",
        5.0,
        1.0,
        10.0,
        "years",
        "behaviour",
        "NBER WP 33568 (2025), 'Recovering Credible Trade Elasticities from Incredible Trade "
        "Reforms', from the US tariff cuts for China and Vietnam, 1974-2017: 'it takes about "
        "five years to close half of the gap between the current and long-run levels of "
        "trade'. Rises work through at λ = σ1/σ (half-life 1.4 years at the defaults; "
        "Tamberi 2025: the 2018 tariffs' effect stabilised within 15 months). Cuts are slower: "
        "Irwin (NBER WP 20635) finds imports 'collapse upon a tariff increase, but do not "
        "surge after a tariff reduction'; Swenson (2025, Asian Economic Papers) that the "
        "Section 301 exclusions 'provided only partial relief'",
    ),
    _spec(
        "omega",
        "Exporter absorption ω (not an input: it follows from the supply elasticity φ)",
        0.09,
        0.0,
        0.35,
        "",
        "retired",
        "CICC (Sep 2025): Chinese exporters bore 9% of the 2025 US tariffs (US import "
        "prices from China -2.4% against +27 pp, Apr-Jul 2025); NY Fed (Feb 2026): "
        "foreign exporters 6-14% in 2025; Amiti et al. 2019 and Fajgelbaum et al. 2020: "
        "none in 2018-19; UNCTAD 2019: Chinese prices about 8% lower against 25% tariffs",
    ),
    _spec(
        "kappa",
        "Re-routing share κ of lost US sales",
        0.05,
        0.02,
        0.16,
        "",
        "behaviour",
        "Iyoha, Malesky, Wen & Wu (HBS WP 24-072): re-routing 1.8% (firm level) to 16.1% "
        "(product level) of Vietnam's exports to the US in 2021",
    ),
    _spec(
        "eps_y",
        "Income elasticity of a market's imports εY",
        1.3,
        0.7,
        2.2,
        "",
        "behaviour",
        "Constantinescu, Mattoo & Ruta 2015 (IMF WP/15/6; World Bank PRWP 7158): long-run "
        "elasticity of world imports to world income about 1.3 in 2001-13, 2.2 in "
        "1986-2000. It is the elasticity of a market's total imports, from every supplier",
    ),
    _spec(
        "eps_m",
        "China's import elasticity to domestic demand εM",
        0.5,
        0.5,
        1.4,
        "",
        "behaviour",
        "The bottom of the published range (Ghosh 2020: +0.67 when demand rises; IMF WEO "
        "Oct 2015: 1.4), where the joint fit on 2018-25 puts it (calibrate(): China's "
        "imports rose 40% in US$ over 2017-25 while its real GDP rose 49%)",
    ),
    _spec(
        "mu",
        "Import content of exports μ (a share of gross exports)",
        0.172,
        0.10,
        0.30,
        "",
        "behaviour",
        "OECD TiVA country note China (Feb 2022, via ITIF): foreign content 17.2% of gross "
        "exports in 2018, 21.9% in 2008",
    ),
    _spec(
        "s_com",
        "Commodity share of China's imports",
        0.29,
        0.20,
        0.40,
        "",
        "behaviour",
        "Six commodities (crude oil, iron ore, gas, ...) are 29% of China's imports (World's "
        "Top Exports via kontango.com)",
    ),
    _spec(
        "eta",
        "Export elasticity to the real RMB η",
        0.68,
        0.0,
        1.9,
        "",
        "behaviour",
        "Marquez & Schindler 2006 (Fed IFDP 861): a 10% real appreciation lowers China's "
        "world export share by 0.5 pp, of a 7.3% share in 2005: 6.8% of exports; Liu, Lu & "
        "Zhou 2013: 1.89",
    ),
    _spec(
        "eta_m",
        "Import elasticity to the real RMB ηM",
        0.0,
        0.0,
        1.0,
        "",
        "behaviour",
        "Marquez & Schindler 2007 (RIE): the response of imports is negligible",
    ),
    _spec(
        "rho",
        "Share of lost US imports bought elsewhere ρ",
        0.5,
        0.0,
        1.0,
        "",
        "behaviour",
        "No direct estimate: midpoint of none (0) and full (1) replacement; calibrate() "
        "can test it",
    ),
)

#: Name -> spec.
SPECS: dict[str, ParamSpec] = {spec.name: spec for spec in PARAMETERS}

#: Names of the behavioural parameters (drawn in the uncertainty analysis).
BEHAVIOURAL: tuple[str, ...] = tuple(s.name for s in PARAMETERS if s.group == "behaviour")


def parameter_table() -> pd.DataFrame:
    """All inputs as a table: name, label, default, min, max, unit, group, source."""
    return pd.DataFrame(
        [
            {
                "name": s.name,
                "label": s.label,
                "default": s.default,
                "min": s.min,
                "max": s.max,
                "unit": s.unit,
                "group": s.group,
                "source": s.source,
            }
            for s in PARAMETERS
        ]
    )
