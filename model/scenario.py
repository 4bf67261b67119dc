"""The scenario: every input of one model run, validated and frozen.

A :class:`Scenario` holds the horizon, the tariff levels on Chinese goods by
region, demand growth by region, China's demand, prices and the behavioural
parameters. Field names are flat and double as URL keys in the app; their
defaults, ranges, units and sources are in :data:`model.params.PARAMETERS`.

Tariff paths
------------
For region ``r`` (slug ``s``) and projection year ``y`` the tariff level is

* ``tariff_path[s][y]`` if that year is given in the per-year path, else
* ``tariff_<s>`` if ``y >= tariff_from``, else
* the level in force at the end of the base year (from the data).

China's tariff on US goods follows the same rule with the key ``china`` and the
field ``tariff_china``.

Dated steps
-----------
``tariff_steps[s]`` maps ISO dates to levels: the level changes on that day. In a year
holding steps for ``s`` the level is, on each day, that of the latest step of the year
on or before it, and before the year's first step the level in force at the end of the
year before (its last step, else its level by the rules above). Steps thus decide
their own years, and the rules above the other years: the sliders stay the simple way
in. The default is the policy as it happened after the base year
(:data:`model.params.POLICY_STEPS`). The model time-weights the pieces of a year
(:func:`model.engine.effective_log_tariff`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date
from numbers import Real
from typing import Any

from model.params import FIRST_YEAR, LAST_YEAR, SLUGS, SPECS, policy_steps_by_key

#: Keys allowed in ``tariff_path``: the region slugs and ``china``.
PATH_KEYS: tuple[str, ...] = (*SLUGS.values(), "china")
TARIFF_RANGE = (0.0, 200.0)


def _default(name: str):
    """The default of a field, from the one parameters table."""
    spec = SPECS[name]
    return int(spec.default) if spec.integer else float(spec.default)


PathItems = tuple[tuple[str, tuple[tuple[int, float], ...]], ...]
StepItems = tuple[tuple[str, tuple[tuple[str, float], ...]], ...]


@dataclass(frozen=True)
class Scenario:
    """One set of model inputs. Percent values are entered as percent (47.5, not 0.475).

    Every field is checked on construction: a value that is not a finite number
    of the right kind, or lies outside its range (see
    :data:`model.params.PARAMETERS`), raises ``ValueError`` naming the field, the
    value and the allowed range. ``sigma_1`` may not exceed ``sigma`` (the
    adjustment speed :math:`\\lambda = \\sigma_1/\\sigma` is at most 1).

    ``tariff_path`` maps a region slug (or ``"china"``) to ``{year: level}``; it
    is stored as a sorted tuple so that the scenario stays hashable.
    """

    end_year: int = _default("end_year")
    tariff_from: int = _default("tariff_from")
    tariff_united_states: float = _default("tariff_united_states")
    tariff_european_union: float = _default("tariff_european_union")
    tariff_asean: float = _default("tariff_asean")
    tariff_japan: float = _default("tariff_japan")
    tariff_south_korea: float = _default("tariff_south_korea")
    tariff_hong_kong: float = _default("tariff_hong_kong")
    tariff_india: float = _default("tariff_india")
    tariff_russia: float = _default("tariff_russia")
    tariff_latin_america: float = _default("tariff_latin_america")
    tariff_africa: float = _default("tariff_africa")
    tariff_rest_of_world: float = _default("tariff_rest_of_world")
    growth_united_states: float = _default("growth_united_states")
    growth_european_union: float = _default("growth_european_union")
    growth_asean: float = _default("growth_asean")
    growth_japan: float = _default("growth_japan")
    growth_south_korea: float = _default("growth_south_korea")
    growth_hong_kong: float = _default("growth_hong_kong")
    growth_india: float = _default("growth_india")
    growth_russia: float = _default("growth_russia")
    growth_latin_america: float = _default("growth_latin_america")
    growth_africa: float = _default("growth_africa")
    growth_rest_of_world: float = _default("growth_rest_of_world")
    tariff_china: float = _default("tariff_china")
    growth_china: float = _default("growth_china")
    growth_world: float = _default("growth_world")
    world_trade: float = _default("world_trade")
    rmb: float = _default("rmb")
    commodity: float = _default("commodity")
    price: float = _default("price")
    psi: float = _default("psi")
    phi: float = _default("phi")
    eps_p: float = _default("eps_p")
    sigma: float = _default("sigma")
    sigma_1: float = _default("sigma_1")
    cut_half_life: float = _default("cut_half_life")
    omega: float = _default("omega")
    kappa: float = _default("kappa")
    eps_y: float = _default("eps_y")
    eps_m: float = _default("eps_m")
    mu: float = _default("mu")
    s_com: float = _default("s_com")
    eta: float = _default("eta")
    eta_m: float = _default("eta_m")
    rho: float = _default("rho")
    tariff_path: Any = field(default=())
    tariff_steps: Any = field(default_factory=policy_steps_by_key)

    def __post_init__(self) -> None:
        for spec in SPECS.values():
            value = getattr(self, spec.name)
            object.__setattr__(self, spec.name, _check(spec.name, value, spec))
        if self.sigma_1 > self.sigma:
            raise ValueError(
                f"sigma_1 = {self.sigma_1:g} exceeds sigma = {self.sigma:g}: the year-one "
                "elasticity may not exceed the long-run one"
            )
        object.__setattr__(self, "tariff_path", _check_path(self.tariff_path))
        object.__setattr__(self, "tariff_steps", _check_steps(self.tariff_steps))

    # ------------------------------------------------------------------ access

    def path_levels(self, key: str) -> dict[int, float]:
        """The per-year tariff levels given for ``key`` (a region slug or ``"china"``)."""
        for name, items in self.tariff_path:
            if name == key:
                return dict(items)
        return {}

    def tariff_level(self, key: str, year: int, base_level: float) -> float:
        """Tariff level (%) for ``key`` in ``year``; ``base_level`` is the level in force
        at the end of the base year. Before ``tariff_from`` the level in force holds: the
        last dated step of an earlier year, else ``base_level``."""
        given = self.path_levels(key)
        if year in given:
            return given[year]
        if year >= self.tariff_from:
            return getattr(self, "tariff_china" if key == "china" else f"tariff_{key}")
        earlier = [level for when, level in self.step_items(key) if int(when[:4]) < year]
        return earlier[-1] if earlier else base_level

    def year_pieces(self, key: str, year: int, base_level: float) -> list[tuple[str, float]]:
        """The levels of ``key`` within ``year``: ``[(first day ISO, level), ...]``, the
        first piece starting on 1 January (see *Dated steps* above)."""
        steps = dict(self.step_items(key))
        inside = sorted((d, v) for d, v in steps.items() if int(d[:4]) == year)
        if not inside:
            return [(f"{year}-01-01", self.tariff_level(key, year, base_level))]
        earlier = sorted((d, v) for d, v in steps.items() if int(d[:4]) == year - 1)
        if earlier:
            start = earlier[-1][1]
        elif year - 1 < FIRST_YEAR:
            start = base_level
        else:
            start = self.tariff_level(key, year - 1, base_level)
        pieces = [] if inside[0][0] == f"{year}-01-01" else [(f"{year}-01-01", start)]
        return pieces + inside

    def step_items(self, key: str) -> tuple[tuple[str, float], ...]:
        """The dated steps given for ``key``: ``((date ISO, level), ...)`` in date order."""
        for name, items in self.tariff_steps:
            if name == key:
                return items
        return ()

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        """Plain dict: every field; ``tariff_path`` as ``{key: {"year": level}}``."""
        data = asdict(self)
        data["tariff_path"] = {
            key: {str(year): level for year, level in items} for key, items in self.tariff_path
        }
        data["tariff_steps"] = {key: dict(items) for key, items in self.tariff_steps}
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """JSON text of :meth:`to_dict` (round-trips exactly through :meth:`from_json`)."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Build a scenario from a dict; missing keys take their defaults.

        Raises
        ------
        ValueError
            On an unknown key or a bad value (the message names it).
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a scenario must be a JSON object, not {json_kind(data)}")
        known = {f.name for f in fields(cls)}
        unknown = [k for k in data if k not in known]
        if unknown:
            named = ", ".join(shown_value(k) for k in unknown[:10])
            more = f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else ""
            raise ValueError(f"unknown scenario key(s): {named}{more}")
        return cls(**dict(data))

    @classmethod
    def from_json(cls, text: str | bytes) -> Scenario:
        """Parse JSON text made by :meth:`to_json` (or by hand, with a subset of keys).

        Raises
        ------
        ValueError
            For anything that is not a scenario (see :func:`read_scenario_json`).
        """
        return cls.from_dict(read_scenario_json(text))

    def inert_inputs(self) -> list[str]:
        """Inputs that cannot act in this scenario, each with why (empty when all can)."""
        if self.tariff_from > self.end_year:
            return [
                f"the tariff levels take effect in {self.tariff_from} ('tariff_from'), after "
                f"the last year of the projection, {self.end_year} ('end_year'): the tariffs "
                "set here change nothing"
            ]
        return []


#: A scenario file holds a few kB; anything far larger is not one.
MAX_SCENARIO_BYTES = 200_000


def read_scenario_json(raw: str | bytes) -> Any:
    """The JSON value of a scenario file, or ValueError with a one-line reason.

    The one way in for scenario text (the app's upload and the command line): text
    over :data:`MAX_SCENARIO_BYTES`, not UTF-8, not JSON, nested too deeply to read,
    or holding ``NaN``/``Infinity`` or a number too large for a float, is refused.
    Every JSON number is read as a float (an integer of any length too), so the
    field checks see one kind of number.
    """
    if len(raw) > MAX_SCENARIO_BYTES:
        return _refuse(
            f"the file is larger than {MAX_SCENARIO_BYTES // 1000} kB; a scenario file is a few kB"
        )
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _refuse("the file is not UTF-8 text")
    try:
        return json.loads(
            raw, parse_int=_json_number, parse_float=_json_number, parse_constant=_reject_constant
        )
    except RecursionError:
        return _refuse("not a scenario: the JSON is nested too deeply to read")
    except json.JSONDecodeError as error:
        return _refuse(f"not valid JSON: {error}")


def _json_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {shown_value(text)} is too large: not a finite number")
    return value


def _refuse(message: str):
    raise ValueError(message)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a scenario can hold")


def shown_value(value: Any, limit: int = 40) -> str:
    """A value as a message names it: short, and built without recursion.

    Text and numbers are quoted as written (cut to ``limit`` characters); a list or
    an object is named by its kind, whatever it holds or however deep.
    """
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int) and value.bit_length() > 64:
        return f"a whole number of about {value.bit_length() * math.log10(2):,.0f} digits"
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}... ({len(value):,} characters)"
    if isinstance(value, str | int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def json_kind(value: Any) -> str:
    """What a JSON value is, in words: an object, a list, text, a number, true or false, null."""
    if isinstance(value, bool) or value is None:
        return "true or false" if isinstance(value, bool) else "null"
    for kind, words in ((Mapping, "an object"), (list | tuple, "a list"), (str, "text")):
        if isinstance(value, kind):
            return words
    return "a number" if isinstance(value, Real) else f"a {type(value).__name__}"


def _number(value: Any) -> float | None:
    """``value`` as a float (infinite if too large for one), or None if not a number."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _range_text(low: float, high: float) -> str:
    return f"{low:g} to {high:g}"


def check_number(name: str, value: Any, low: float, high: float, whole: bool = False) -> float:
    """``value`` as a finite float within ``[low, high]`` (whole if ``whole``).

    The one check of a number the model reads, whatever its size or type: anything
    else raises ValueError naming ``name``, the value (see :func:`shown_value`) and
    the allowed range, never another exception.
    """
    allowed = _range_text(low, high)
    number = _number(value)
    if number is None:
        kind = "a whole year" if whole else "a number"
        raise ValueError(f"{name} = {shown_value(value)} is not {kind}; allowed range: {allowed}")
    if not math.isfinite(number):
        raise ValueError(
            f"{name} = {shown_value(value)} is not a finite number; allowed range: {allowed}"
        )
    if whole and not number.is_integer():
        raise ValueError(f"{name} = {number:g} is not a whole year; allowed range: {allowed}")
    if not low <= number <= high:
        raise ValueError(f"{name} = {number:g} is outside the allowed range {allowed}")
    return number


def _check(name: str, value: Any, spec) -> float | int:
    number = check_number(name, value, spec.min, spec.max, whole=spec.integer)
    return int(number) if spec.integer else number


def _check_path(path: Any) -> PathItems:
    return _check_keyed("tariff_path", path, "{year: level}", "a year", _path_year)


def _check_steps(steps: Any) -> StepItems:
    """Validate ``{key: {"YYYY-MM-DD": level}}`` dated steps (or their stored form)."""
    return _check_keyed("tariff_steps", steps, '{"YYYY-MM-DD": level}', "a date", _step_date)


def _path_year(name: str, key: str, year_key: Any) -> int:
    text = year_key.strip() if isinstance(year_key, str) else None
    if isinstance(year_key, int) and not isinstance(year_key, bool):
        text = str(year_key) if year_key.bit_length() < 32 else None
    if text is None or not text.isdigit() or len(text) > 4:
        raise ValueError(f"{name}[{key!r}] year {shown_value(year_key)} is not a whole year")
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"{name}[{key!r}] year {year} is outside the allowed range {FIRST_YEAR} to {LAST_YEAR}"
        )
    return year


def _step_date(name: str, key: str, when: Any) -> str:
    try:
        day = date.fromisoformat(when) if isinstance(when, str) else None
    except ValueError:
        day = None
    if day is None or len(when) != 10:
        raise ValueError(f"{name}[{key!r}] date {shown_value(when)} is not a YYYY-MM-DD date")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(
            f"{name}[{key!r}] date {when} is outside the years allowed, {FIRST_YEAR} to {LAST_YEAR}"
        )
    return when


def _check_keyed(name: str, value: Any, form: str, what: str, parse) -> tuple:
    """``{key: {when: level}}`` checked: region keys, ``parse(name, key, when)`` for each
    time key, levels within :data:`TARIFF_RANGE`; stored as sorted tuples."""
    if value is None or value == ():
        return ()
    if isinstance(value, tuple):  # already normalised (from a replace())
        value = {key: dict(items) for key, items in value}
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must map a region slug to {form}")
    low, high = TARIFF_RANGE
    out = []
    for key in value:
        if key not in PATH_KEYS:
            raise ValueError(
                f"{name} key {shown_value(key)} is not a region slug; allowed: "
                f"{', '.join(PATH_KEYS)}"
            )
    for key in sorted(value):
        levels = value[key]
        if not isinstance(levels, Mapping):
            raise ValueError(f"{name}[{key!r}] must map {what} to a level")
        items: dict = {}
        for raw, level in levels.items():
            when = parse(name, key, raw)
            level = check_number(f"{name}[{key!r}][{when}]", level, low, high)
            if when in items:
                raise ValueError(f"{name}[{key!r}] gives {when} twice")
            items[when] = level
        if items:
            out.append((key, tuple(sorted(items.items()))))
    return tuple(out)


def steps_from_text(text: str) -> dict[str, dict[str, float]]:
    """Dated steps from their link form ``key:YYYY-MM-DD:level`` joined by ``;``
    (``"china:2026-11-10:56.6;united_states:2026-11-10:37.5"``); checked by
    :class:`Scenario`. Raises ``ValueError`` on a part not of that form."""
    out: dict[str, dict[str, float]] = {}
    for part in filter(None, (p.strip() for p in str(text).split(";"))):
        pieces = part.split(":")
        if len(pieces) != 3:
            raise ValueError(f"tariff_steps part {part!r} is not key:YYYY-MM-DD:level")
        key, when, level = (p.strip() for p in pieces)
        try:
            number = float(level)
        except ValueError:
            raise ValueError(f"tariff_steps level {level!r} is not a number") from None
        if when in out.get(key, {}):
            raise ValueError(f"tariff_steps gives {key} on {when} twice")
        out.setdefault(key, {})[when] = number
    return {key: dict(items) for key, items in _check_steps(out)}


def steps_to_text(scenario: Scenario) -> str:
    """The link form of a scenario's dated steps (inverse of :func:`steps_from_text`)."""
    return ";".join(
        f"{key}:{when}:{level:g}" for key, items in scenario.tariff_steps for when, level in items
    )
