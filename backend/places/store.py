"""Saved places: one person's partition, queried whole (it is capped), written with conditions."""

from pynamodb.exceptions import DeleteError

from backend.places.models import SavedPlace


def list_saved(user_id, limit):
    """A person's saved places (at most `limit`: the cap keeps this one page)."""
    return list(SavedPlace.query(user_id, limit=limit, page_size=limit))


def save(place):
    """Store a new saved place (its id is fresh, so it cannot overwrite another)."""
    place.save(condition=SavedPlace.place_id.does_not_exist())
    return place


def delete(user_id, place_id):
    """Remove a saved place; False when there was none."""
    try:
        SavedPlace(user_id, place_id).delete(condition=SavedPlace.place_id.exists())
    except DeleteError as error:
        if getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException":
            return False
        raise
    return True
