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
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from numbers import Real
from typing import Any

from model.params import FIRST_YEAR, LAST_YEAR, SLUGS, SPECS

#: Keys allowed in ``tariff_path``: the region slugs and ``china``.
PATH_KEYS: tuple[str, ...] = (*SLUGS.values(), "china")
TARIFF_RANGE = (0.0, 200.0)

PathItems = tuple[tuple[str, tuple[tuple[int, float], ...]], ...]


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

    end_year: int = 2035
    tariff_from: int = 2026
    tariff_united_states: float = 47.5
    tariff_european_union: float = 0.0
    tariff_asean: float = 0.0
    tariff_japan: float = 0.0
    tariff_south_korea: float = 0.0
    tariff_hong_kong: float = 0.0
    tariff_india: float = 0.0
    tariff_russia: float = 0.0
    tariff_latin_america: float = 0.0
    tariff_africa: float = 0.0
    tariff_rest_of_world: float = 0.0
    growth_united_states: float = 2.4
    growth_european_union: float = 1.3
    growth_asean: float = 3.3
    growth_japan: float = 3.3
    growth_south_korea: float = 3.3
    growth_hong_kong: float = 3.3
    growth_india: float = 3.3
    growth_russia: float = 3.3
    growth_latin_america: float = 3.3
    growth_africa: float = 3.3
    growth_rest_of_world: float = 3.3
    tariff_china: float = 32.6
    growth_china: float = 4.5
    growth_world: float = 3.3
    world_trade: float = 2.6
    rmb: float = 0.0
    commodity: float = 0.0
    price: float = 0.0
    psi: float = 1.0
    phi: float = 2.0
    eps_p: float = 2.0
    sigma: float = 3.5
    sigma_1: float = 1.4
    omega: float = 0.09
    kappa: float = 0.05
    eps_y: float = 1.3
    eps_m: float = 0.5
    mu: float = 0.172
    s_com: float = 0.29
    eta: float = 0.68
    eta_m: float = 0.0
    rho: float = 0.5
    tariff_path: Any = field(default=())

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

    # ------------------------------------------------------------------ access

    def path_levels(self, key: str) -> dict[int, float]:
        """The per-year tariff levels given for ``key`` (a region slug or ``"china"``)."""
        for name, items in self.tariff_path:
            if name == key:
                return dict(items)
        return {}

    def tariff_level(self, key: str, year: int, base_level: float) -> float:
        """Tariff level (%) for ``key`` in ``year``; ``base_level`` is the level in force
        at the end of the base year."""
        given = self.path_levels(key)
        if year in given:
            return given[year]
        if year >= self.tariff_from:
            return getattr(self, "tariff_china" if key == "china" else f"tariff_{key}")
        return base_level

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
            raise ValueError(f"a scenario must be a JSON object, not {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            raise ValueError(f"unknown scenario key(s): {', '.join(unknown)}")
        return cls(**dict(data))

    @classmethod
    def from_json(cls, text: str | bytes) -> Scenario:
        """Parse JSON text made by :meth:`to_json` (or by hand, with a subset of keys)."""
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except json.JSONDecodeError as error:
            raise ValueError(f"not valid JSON: {error}") from None
        return cls.from_dict(data)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not allowed in a scenario")


def _range_text(low: float, high: float) -> str:
    return f"{low:g} to {high:g}"


def _check(name: str, value: Any, spec) -> float | int:
    allowed = _range_text(spec.min, spec.max)
    if spec.integer:
        whole = isinstance(value, Real) and math.isfinite(value) and float(value).is_integer()
        if isinstance(value, bool) or not whole:
            raise ValueError(f"{name} = {value!r} is not a whole year; allowed: {allowed}")
        value = int(value)
    else:
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ValueError(f"{name} = {value!r} is not a number; allowed range: {allowed}")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{name} = {value} is not a finite number; allowed range: {allowed}")
    if not spec.min <= value <= spec.max:
        raise ValueError(f"{name} = {value:g} is outside the allowed range {allowed}")
    return value


def _check_path(path: Any) -> PathItems:
    if path is None or path == ():
        return ()
    if isinstance(path, tuple):  # already normalised (from a replace())
        path = {key: dict(items) for key, items in path}
    if not isinstance(path, Mapping):
        raise ValueError("tariff_path must map a region slug to {year: level}")
    low, high = TARIFF_RANGE
    out = []
    for key in sorted(path):
        if key not in PATH_KEYS:
            raise ValueError(
                f"tariff_path key {key!r} is not a region slug; allowed: {', '.join(PATH_KEYS)}"
            )
        levels = path[key]
        if not isinstance(levels, Mapping):
            raise ValueError(f"tariff_path[{key!r}] must map a year to a level")
        items: dict[int, float] = {}
        for year_key, level in levels.items():
            try:
                year = int(year_key)
            except (TypeError, ValueError):
                year = None
            if year is None or str(year) != str(year_key).strip() or isinstance(year_key, bool):
                raise ValueError(f"tariff_path[{key!r}] year {year_key!r} is not a whole year")
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValueError(
                    f"tariff_path[{key!r}] year {year} is outside the allowed range "
                    f"{FIRST_YEAR} to {LAST_YEAR}"
                )
            name = f"tariff_path[{key!r}][{year}]"
            if isinstance(level, bool) or not isinstance(level, Real):
                raise ValueError(f"{name} = {level!r} is not a number; allowed range 0 to 200")
            level = float(level)
            if not math.isfinite(level) or not low <= level <= high:
                raise ValueError(f"{name} = {level} is outside the allowed range 0 to 200")
            if year in items:
                raise ValueError(f"tariff_path[{key!r}] gives year {year} twice")
            items[year] = level
        if items:
            out.append((key, tuple(sorted(items.items()))))
    return tuple(out)
