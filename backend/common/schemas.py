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
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item_schema)), "next_cursor": fields.String(allow_none=True)}, name=name
    )


def model_schema(model, name, *, rename=None, exclude=(), floats=(), extra=None):
    """A reply schema that dumps a PynamoDB record as it is: fields come from the model, written once.

    `rename` maps attribute → reply name (e.g. waybill_id → id); `exclude` drops internal attributes
    (index keys, TTLs); `floats` are number attributes that are not integers; `extra` adds computed or
    joined fields (they read the record by attribute, or come from a dict the route builds).
    """
    from pynamodb.attributes import (
        BooleanAttribute,
        JSONAttribute,
        ListAttribute,
        MapAttribute,
        NumberAttribute,
        TTLAttribute,
        UnicodeAttribute,
    )

    rename, declared = rename or {}, {}
    for attr_name, attribute in model.get_attributes().items():
        if attr_name in exclude or isinstance(attribute, TTLAttribute):
            continue
        options = {"allow_none": True} if attribute.null else {}
        if attr_name in rename:
            options["attribute"] = attr_name
        if isinstance(attribute, NumberAttribute):
            field = fields.Float(**options) if attr_name in floats else fields.Integer(**options)
        elif isinstance(attribute, BooleanAttribute):
            field = fields.Boolean(**options)
        elif isinstance(attribute, (JSONAttribute, MapAttribute)):
            field = fields.Raw(**options)
        elif isinstance(attribute, ListAttribute):
            field = fields.List(fields.Raw(), **options)
        elif isinstance(attribute, UnicodeAttribute):
            field = fields.String(**options)
        else:
            field = fields.Raw(**options)
        declared[rename.get(attr_name, attr_name)] = field
    declared.update(extra or {})
    return Schema.from_dict(declared, name=name)


class Joined:
    """A record with joined or computed values beside it: what a model_schema with `extra` fields dumps."""

    def __init__(self, record, **extra):
        self.__dict__.update(extra, _record=record)

    def __getattr__(self, name):
        # Only called for names not set above: the record's own attributes.
        if name == "_record":
            raise AttributeError(name)
        return getattr(self._record, name)


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"description": "machine-readable reason, e.g. validation_error"})
    message = fields.String(required=True, metadata={"description": "human-readable explanation"})
    details = fields.Dict(
        required=True,
        metadata={"description": "context; validation errors list messages per field under `fields`"},
    )
    request_id = fields.String(metadata={"description": "the X-Request-Id of the failed request"})


class ErrorSchema(Schema):
    """The one error shape every failure replies with (backend/common/errors.py)."""

    error = fields.Nested(ErrorDetailSchema, required=True)
