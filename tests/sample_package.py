"""A complete, valid data package with round figures, for tests that must not
depend on the shipped files."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ANNUAL = """year,exports_usd_bn,imports_usd_bn,balance_usd_bn,world_exports_usd_bn,rounded_to_usd_bn,source,note
2021,3360,2690,670,22151,10,Test figures 2022-01,
2022,3590,2712.4,877.6,25300,10,Test figures 2023-01,
2023,3380.02,2556.8,823.22,24010,0.01,Test figures 2024-01,
2024,3577.17,2585.07,992.1,24430,0.1,Test figures 2025-01,
2025,3771.87,2582.9,1188.98,,0.01,Test figures 2026-01,world exports not yet published
"""

_MONTHLY_2024 = [170.2, 58.6, 72.3, 82.6, 98.9, 70.6, 91.0, 70.5, 95.7, 97.4, 104.8]
_MONTHLY_2025 = [170.5, 102.6, 96.2, 103.2, 114.8, 98.2, 102.3, 90.5, 90.1, 111.7, 114.1]


def _monthly() -> str:
    lines = [
        "month,months,exports_usd_bn,imports_usd_bn,balance_usd_bn,exports_yoy_pct,"
        "imports_yoy_pct,rounded_to_usd_bn,source,note,released"
    ]
    for year, balances in ((2024, _MONTHLY_2024), (2025, _MONTHLY_2025)):
        for i, balance in enumerate(balances):
            month = 2 + i
            months = 2 if i == 0 else 1
            imports = 200.0 * months
            exports = round(imports + balance, 2)
            lines.append(
                f"{year}-{month:02d},{months},{exports},{imports},{balance},,,0.01,Test {year},,"
            )
    return "\n".join(lines) + "\n"


MONTHLY = _monthly()

BY_REGION = """year,region,exports_usd_bn,imports_usd_bn,rounded_to_usd_bn,source,note
2023,United States,500.29,164.16,0.01,Test 2024-01,
2023,European Union,501.0,280.0,0.1,Test 2024-01,
2023,ASEAN,523.7,389.0,0.1,Test 2024-01,
2024,United States,524.66,163.63,0.01,Test 2025-01,
2024,European Union,516.4,269.0,0.1,Test 2025-01,
2024,ASEAN,586.5,396.0,0.1,Test 2025-01,
2025,United States,420.05,139.7,0.01,Test 2026-01,
2025,European Union,559.9,,0.1,Test 2026-01,imports not found
2025,ASEAN,665.2,389.4,0.1,Test 2026-01,
"""

TARIFFS = """date,imposed_by,imposed_on,measure,series,value_pct,event,source,note
2018-01-01,United States,China,average,PIIE trade-weighted average,3.1,,Test,
2025-01-20,United States,China,average,PIIE trade-weighted average,20.8,,Test,
2025-04-10,United States,China,average,PIIE trade-weighted average,124.1,Peak,Test,
2025-05-14,United States,China,average,PIIE trade-weighted average,51.1,Geneva,Test,
2025-11-10,United States,China,average,PIIE trade-weighted average,47.5,Busan,Test,
"""

DRIVERS = """year,series,value,unit,kind,source,note
2025,china_real_gdp_growth_pct,5.0,%,actual,Test,
2026,world_trade_volume_growth_pct,0.5,%,projection,Test,
"""

PARTNERS_YTD = """first_month,last_month,partner,exports_usd_bn,exports_yoy_pct,imports_usd_bn,source,note
2026-01,2026-02,United States,67.24,-11.0,,Test 2026-03,
2026-01,2026-02,ASEAN,,29.4,,Test 2026-03,level not given
"""

FILES = {
    "annual.csv": ANNUAL,
    "monthly.csv": MONTHLY,
    "exports_by_region.csv": BY_REGION,
    "tariffs.csv": TARIFFS,
    "drivers.csv": DRIVERS,
    "partners_ytd.csv": PARTNERS_YTD,
}


def write_package(folder: Path, files: dict[str, str] | None = None) -> Path:
    """Write a data package (schema from the repository, figures from ``files``)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "data" / "datapackage.json", folder / "datapackage.json")
    for name, text in (files or FILES).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
