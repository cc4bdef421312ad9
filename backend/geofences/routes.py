"""Geofences API: admins and a mine's gate staff keep fences; the dispatch centre asks which fences hold a point."""

from marshmallow import Schema, fields, validate

from backend.common.access import current_principal, roles_required, signed_in
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.errors import Forbidden
from backend.common.pagination import decode_cursor, page
from backend.common.schemas import PageArgs, model_schema, page_schema
from backend.geofences import service, store
from backend.geofences.models import Fence

blp = Blueprint("geofences", __name__, url_prefix="/api/geofences", description="GeoJSON fences (RFC 7946, WGS-84)")


# The record as it is; who drew it and when stay internal.
FenceSchema = model_schema(Fence, "Fence", rename={"fence_id": "id"}, exclude=("created_by", "created_at"))


class FenceArgs(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(service.KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=80))
    mine_id = fields.String(load_default=None)
    geometry = fields.Dict(required=True)


class FenceEditArgs(Schema):
    name = fields.String(load_default=None, validate=validate.Length(min=1, max=80))
    geometry = fields.Dict(load_default=None)


class FenceListArgs(PageArgs):
    kind = fields.String(load_default="gate", validate=validate.OneOf(store.KINDS))


class LookupArgs(Schema):
    lon = fields.Float(required=True, validate=validate.Range(min=-180, max=180))
    lat = fields.Float(required=True, validate=validate.Range(min=-90, max=90))


class HitSchema(Schema):
    fence_id = fields.String()
    kind = fields.String()
    mine_id = fields.String(allow_none=True)
    name = fields.String()


class HitList(Schema):
    items = fields.List(fields.Nested(HitSchema))


FencePage = page_schema(FenceSchema, "FencePage")


@blp.route("", methods=["GET"])
@signed_in
@blp.arguments(FenceListArgs, location="query")
@blp.response(200, FencePage)
def list_fences(args):
    """Fences of one kind: mines' gate and parking fences to anyone signed in; customers' delivery sites
    (destination) only to the dispatch centre and admins, since they name other companies' yards."""
    if args["kind"] == "destination" and current_principal().role not in ("admin", "dispatcher"):
        raise Forbidden("forbidden_kind", "delivery-site fences are listed to the dispatch centre only")
    items, lek = store.list_page(args["kind"], limit=args["limit"], last_evaluated_key=decode_cursor(args["cursor"]))
    return page(items, lek)


@blp.route("", methods=["POST"])
@roles_required("admin", "gate")
@blp.arguments(FenceArgs)
@blp.response(201, FenceSchema)
def create_fence(args):
    """Add a fence; the polygon is validated (closed rings, WGS-84, simple, sane size)."""
    return service.create(principal=current_principal(), now_ms=now_ms(), **args)


@blp.route("/<fence_id>", methods=["PATCH"])
@roles_required("admin", "gate")
@blp.arguments(FenceEditArgs)
@blp.response(200, FenceSchema)
def edit_fence(args, fence_id):
    """Rename a fence or replace its polygon."""
    return service.update(principal=current_principal(), fence_id=fence_id, now_ms=now_ms(), **args)


@blp.route("/<fence_id>", methods=["DELETE"])
@roles_required("admin", "gate")
@blp.response(204)
def delete_fence(fence_id):
    """Remove a fence."""
    service.delete(principal=current_principal(), fence_id=fence_id)


@blp.route("/lookup", methods=["GET"])
@roles_required("dispatcher", "admin", "gate")
@blp.arguments(LookupArgs, location="query")
@blp.response(200, HitList)
def lookup(args):
    """The fences holding a point (spatial index)."""
    return {"items": service.fences_at(lon=args["lon"], lat=args["lat"], now_ms=now_ms())}
