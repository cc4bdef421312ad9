"""Schemas shared by many endpoints."""
from marshmallow import Schema, fields, validate


class PageArgs(Schema):
    """?limit=&cursor= on every list."""

    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None)


class PointSchema(Schema):
    """A GeoJSON Point, [longitude, latitude] in WGS-84."""

    type = fields.String(required=True, validate=validate.Equal("Point"))
    coordinates = fields.List(fields.Float(), required=True, validate=validate.Length(equal=2))


class OkSchema(Schema):
    ok = fields.Boolean()


def page_schema(item_schema, name):
    """The {"items": [...], "next_cursor": ...} list shape for an item schema."""
    return Schema.from_dict({"items": fields.List(fields.Nested(item_schema)),
                             "next_cursor": fields.String(allow_none=True)}, name=name)
