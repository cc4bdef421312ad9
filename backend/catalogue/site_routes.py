"""Sites: admins onboard mines, plants and rail yards; a site's gate staff keep it; the dispatch centre reads."""

from backend.catalogue import sites
from backend.catalogue.schemas import SiteArgs, SiteListSchema, SitePatchArgs, SiteSchema
from backend.common.access import current_principal, roles_required
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms

blp = Blueprint(
    "sites",
    __name__,
    url_prefix="/api/sites",
    description="Site onboarding: lanes, GeoJSON gate and parking fences, products and the slot template",
)
READERS = ("admin", "dispatcher", "gate")


@blp.route("", methods=["POST"])
@roles_required("admin")
@blp.arguments(SiteArgs)
@blp.response(201, SiteSchema)
def create_site(args):
    """Onboard a site in one write (site + products); its fences follow and its windows open at once."""
    return sites.create_site(principal=current_principal(), now_ms=now_ms(), **args)


@blp.route("", methods=["GET"])
@roles_required(*READERS)
@blp.response(200, SiteListSchema)
def list_sites():
    """Every site (gate staff: their own) with lanes, fences, template and products."""
    return {"items": sites.list_sites(principal=current_principal())}


@blp.route("/<site_id>", methods=["GET"])
@roles_required(*READERS)
@blp.response(200, SiteSchema)
def get_site(site_id):
    """One site with its products (gate staff: only their own)."""
    return sites.get_site(principal=current_principal(), site_id=site_id)


@blp.route("/<site_id>", methods=["PATCH"])
@roles_required("admin", "gate")
@blp.arguments(SitePatchArgs)
@blp.response(200, SiteSchema)
def update_site(args, site_id):
    """Edit a site: lanes and fences replace, products are added or updated by id; checked whole first."""
    return sites.update_site(principal=current_principal(), site_id=site_id, now_ms=now_ms(), **args)
