"""A field's problem reaches the client as a code with its limits, so the form words it in its own units."""

from backend.common import errors, field_problems


def test_marshmallow_messages_become_codes_with_their_limits():
    messages = {
        "tonnage_kg": ["Must be greater than or equal to 10000 and less than or equal to 49000."],
        "destination": {"point": {"coordinates": {0: ["Not a valid number."]}}},
        "name": ["Missing data for required field."],
        "note": ["Longer than maximum length 200."],
        "kind": ["Must be one of: camera, gate."],
        "extra": ["Unknown field."],
    }
    assert field_problems.problems(messages) == [
        {"field": "tonnage_kg", "code": "out_of_range", "min": 10000, "max": 49000},
        {"field": "destination.point.coordinates", "code": "not_a_number"},
        {"field": "name", "code": "required"},
        {"field": "note", "code": "too_long", "max": 200},
        {"field": "kind", "code": "not_one_of"},
        {"field": "extra", "code": "unknown_field"},
    ]


def test_a_services_field_error_keeps_its_message_and_adds_the_problem():
    error = errors.field_error("tonnage_kg", "one truckload is 10000–49000 kg")
    assert error.details["fields"] == {"tonnage_kg": ["one truckload is 10000–49000 kg"]}  # as before
    assert error.details["problems"] == [{"field": "tonnage_kg", "code": "out_of_range", "min": 10000, "max": 49000}]
    named = errors.field_error("axles", "too many", why="too_large", max=8)
    assert named.details["problems"] == [{"field": "axles", "code": "too_large", "max": 8}]
    assert errors.field_error("phone", "not a mainland mobile number").details["problems"][0]["code"] == "invalid"
