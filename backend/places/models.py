"""Saved delivery addresses: one partition per person (a buyer, or a shipper's staff member ordering)."""

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute

from backend.common.table_model import Model


class SavedPlace(Model):
    """An address a person delivers to again: its label, words, point and county (for the regulatory feed)."""

    class Meta:
        table_name = "saved_places"

    user_id = UnicodeAttribute(hash_key=True)
    place_id = UnicodeAttribute(range_key=True)
    label = UnicodeAttribute()
    address = UnicodeAttribute()
    point = ListAttribute(of=NumberAttribute)  # [lon, lat] WGS-84
    place_code = UnicodeAttribute(null=True)  # the gazetteer place it was picked from: an order repeats it
    county_code = UnicodeAttribute(null=True)
    county_name = UnicodeAttribute(null=True)
    created_at = NumberAttribute()
