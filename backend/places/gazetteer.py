"""The packaged gazetteer (gazetteer.csv, see build_gazetteer.py), searched in memory: no table, no Scan.

Loaded once per process (~9k rows, a few MB); a search walks the rows in memory (about a millisecond).
"""

import csv
import os
import unicodedata
from functools import lru_cache

TABLE = os.path.join(os.path.dirname(__file__), "gazetteer.csv")
# Ties are broken by kind: a demo delivery site, then a town, a county, a village.
LEVEL_ORDER = {"site": 0, "town": 1, "county": 2, "village": 3}


def _normal(text):
    return unicodedata.normalize("NFKC", text or "").strip().lower()


@lru_cache(maxsize=1)
def _rows():
    """The places as dicts, and an index by code; read once."""
    with open(TABLE, encoding="utf-8") as handle:
        rows = [
            {
                "code": r["code"],
                "name": r["name"],
                "level": r["level"],
                "county_code": r["county_code"] or None,
                "context": r["context"],
                "point": [float(r["lon"]), float(r["lat"])],
                "approx": r["approx"] == "1",
                "_key": _normal(f"{r['name']} {r['context']}"),
            }
            for r in csv.DictReader(handle)
        ]
    return rows, {row["code"]: row for row in rows}


def _public(row):
    return {k: v for k, v in row.items() if not k.startswith("_")}


def search(query, limit):
    """Places whose name (with its town and county) holds every word of the query, best first."""
    words = _normal(query).split()
    if not words:
        return []
    rows, _ = _rows()
    found = [row for row in rows if all(w in row["_key"] for w in words)]
    found.sort(key=lambda r: (not r["name"].lower().startswith(words[0]), LEVEL_ORDER[r["level"]], len(r["name"])))
    return [_public(row) for row in found[:limit]]


def find(code):
    """The place with this code, or None."""
    row = _rows()[1].get(code)
    return _public(row) if row else None


def county_name(code):
    """A county's name by its code (GB/T 2260), or None."""
    row = _rows()[1].get(code)
    return row["name"] if row and row["level"] == "county" else None
