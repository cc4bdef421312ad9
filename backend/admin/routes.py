"""Admin: companies, staff accounts and gate devices."""

from flask import current_app
from marshmallow import Schema, fields, validate

from backend.accounts import service as accounts_service
from backend.auth import service as auth_service
from backend.auth.schemas import UserSchema
from backend.common import idempotency
from backend.common.access import ROLES, current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.errors import ApiError, NotFound
from backend.common.pagination import decode_cursor, page
from backend.common.schemas import Joined, PageArgs, page_schema
from backend.devices import service as devices_service
from backend.devices.schemas import DeviceArgs, DeviceCreatedSchema, DeviceListArgs, DeviceListSchema, DeviceSchema

blp = Blueprint("admin", __name__, url_prefix="/api/admin", description="Administration")


class OrgArgs(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(accounts_service.ORG_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    credit_code = fields.String(load_default=None, validate=validate.Length(max=18))


class OrgSchema(Schema):
    id = fields.String(attribute="org_id")
    kind = fields.String()
    name = fields.String()
    credit_code = fields.String(allow_none=True)


class OrgListSchema(Schema):
    items = fields.List(fields.Nested(OrgSchema))


class StaffArgs(Schema):
    phone = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    org_id = fields.String(load_default=None)
    mine_id = fields.String(load_default=None)


@blp.route("/orgs", methods=["POST"])
@roles_required("admin")
@blp.arguments(OrgArgs)
@blp.response(201, OrgSchema)
def create_org(args):
    """Register a carrier or shipper company."""
    return accounts_service.create_org(now_ms=now_ms(), **args)


@blp.route("/orgs", methods=["GET"])
@roles_required("admin", "dispatcher")
@blp.response(200, OrgListSchema)
def list_orgs():
    """Companies on the platform."""
    return {"items": accounts_service.list_orgs()}


@blp.route("/users", methods=["POST"])
@roles_required("admin")
@blp.arguments(StaffArgs)
@blp.response(201, UserSchema)
def create_user(args):
    """Create any account: company staff, gate staff, dispatchers, admins."""
    if args["org_id"]:
        accounts_service.get_org(args["org_id"])
    user = auth_service.create_user(now_ms=now_ms(), **args)
    return auth_service.public_user(user)


UserPage = page_schema(UserSchema, "AdminUserPage")


class OrgUsersArgs(PageArgs):
    role = fields.String(load_default=None, validate=validate.OneOf(ROLES))


class UserStatusArgs(Schema):
    status = fields.String(required=True, validate=validate.OneOf(("active", "disabled")))


@blp.route("/orgs/<org_id>/users", methods=["GET"])
@roles_required("admin")
@blp.arguments(OrgUsersArgs, location="query")
@blp.response(200, UserPage)
def list_org_users(args, org_id):
    """A company's accounts (drivers, staff), one page, optionally of one role."""
    accounts_service.get_org(org_id)
    items, lek = auth_service.list_org_users(
        org_id, role=args["role"], limit=args["limit"], last_evaluated_key=decode_cursor(args["cursor"])
    )
    return page(items, lek)


@blp.route("/users/<user_id>", methods=["PATCH"])
@roles_required("admin")
@blp.arguments(UserStatusArgs)
@blp.response(200, UserSchema)
def set_user_status(args, user_id):
    """Disable an account (every session it holds ends within seconds) or enable it again."""
    user = auth_service.get_user(user_id)
    if user is None:
        raise NotFound("user_not_found", "no such user")
    if user.user_id == current_principal().user_id and args["status"] != "active":
        raise ApiError("cannot_disable_self", "an admin cannot disable their own account", status=409)
    return auth_service.update_user(user, status=args["status"], updated_at=now_ms())


@blp.route("/devices", methods=["POST"])
@roles_required("admin", "gate")
@blp.arguments(DeviceArgs)
@blp.response(201, DeviceCreatedSchema)
@idempotency.redacted("key")
def create_device(args):
    """Register a gate device on an existing site's lane (gate staff: their own site); its key is shown once."""
    device, key = devices_service.register_device(
        master_key=current_app.config["DEVICE_MASTER_KEY"], now_ms=now_ms(), principal=current_principal(), **args
    )
    return Joined(device, key=key)


@blp.route("/devices/<device_id>/revoke", methods=["POST"])
@roles_required("admin", "gate")
@blp.response(200, DeviceSchema)
def revoke_device(device_id):
    """Revoke a gate device (gate staff: their own site's): its signed requests are refused from now on."""
    return devices_service.revoke_device(principal=current_principal(), device_id=device_id, now_ms=now_ms())


@blp.route("/devices", methods=["GET"])
@roles_required("admin", "dispatcher", "gate")
@blp.arguments(DeviceListArgs, location="query")
@blp.response(200, DeviceListSchema)
def list_devices(args):
    """Registered devices and when each was last seen (gate staff: their own site's)."""
    return {"items": devices_service.list_devices(principal=current_principal(), mine_id=args["mine_id"])}
