"""Trust API: scores with their explanation, ratings, complaints, appeals, suspension and a shipper's grade rule."""

from backend.common.access import current_principal, roles_required, signed_in
from backend.common.blueprint import Blueprint
from backend.common.clock import now_ms
from backend.common.pagination import decode_cursor, page
from backend.common.schemas import PageArgs
from backend.trust import appeals, complaints, ratings, schemas, service

blp = Blueprint("trust", __name__, url_prefix="/api/trust", description="Ratings, credit scores, complaints, appeals")
PARTIES = ("driver", "carrier", "shipper", "buyer")
DISPATCH = ("dispatcher", "admin")
COMPLAINANTS = PARTIES + ("gate",)


@blp.route("/weights", methods=["GET"])
@signed_in
@blp.response(200, schemas.WeightsSchema)
def get_weights():
    """The one table of score weights (what each signal is worth, its cap, where it comes from)."""
    return service.weights_table()


@blp.route("/me", methods=["GET"])
@roles_required(*COMPLAINANTS)
@blp.response(200, schemas.StandingSchema)
def my_standing():
    """Your score, grade, each signal's count and points, suspension and the effects that apply to you."""
    return service.my_standing(principal=current_principal())


@blp.route("/me/events", methods=["GET"])
@roles_required(*COMPLAINANTS)
@blp.arguments(PageArgs, location="query")
@blp.response(200, schemas.EventPage)
def my_events(args):
    """Your contributing events in the 90-day window, newest first (a rating never names its load)."""
    principal = current_principal()
    party_id, _ = service.party_of(principal)
    items, lek = service.events(
        principal=principal,
        party_id=party_id,
        now_ms=now_ms(),
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/parties/<party_id>", methods=["GET"])
@roles_required(*(PARTIES + DISPATCH))
@blp.response(200, schemas.StandingSchema)
def party_standing(party_id):
    """A party's explained standing: the party itself, its carrier (a fleet driver) or dispatch."""
    return service.party_standing(principal=current_principal(), party_id=party_id)


@blp.route("/parties/<party_id>/events", methods=["GET"])
@roles_required(*(PARTIES + DISPATCH))
@blp.arguments(PageArgs, location="query")
@blp.response(200, schemas.EventPage)
def party_events(args, party_id):
    """A party's contributing events (the same tenancy as its standing)."""
    items, lek = service.events(
        principal=current_principal(),
        party_id=party_id,
        now_ms=now_ms(),
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/parties/<party_id>/suspension", methods=["POST"])
@roles_required(*DISPATCH)
@blp.arguments(schemas.SuspensionArgs)
@blp.response(200, schemas.StandingSchema)
def suspension(args, party_id):
    """Suspend a party (out of the hall and dispatch) or lift the suspension after review."""
    return service.set_suspension(
        principal=current_principal(),
        party_id=party_id,
        suspended=args["suspended"],
        reason=args["reason"],
        now_ms=now_ms(),
    )


@blp.route("/grades", methods=["GET"])
@roles_required("shipper", "buyer", "carrier", *DISPATCH)
@blp.arguments(schemas.GradesArgs, location="query")
@blp.response(200, schemas.GradeList)
def grades(args):
    """Grades of up to 50 parties in one read (a shipper choosing a carrier to entrust)."""
    return {"items": service.grades(principal=current_principal(), party_ids=args["party_ids"], role=args["role"])}


@blp.route("/policy", methods=["PUT"])
@roles_required("shipper", "buyer")
@blp.arguments(schemas.PolicyArgs)
@blp.response(200, schemas.StandingSchema)
def put_policy(args):
    """Your minimum driver grade: your hall loads show only to drivers at or above it (null: anyone)."""
    return service.set_policy(principal=current_principal(), min_driver_grade=args["min_driver_grade"])


@blp.route("/ratings", methods=["POST"])
@roles_required("driver", "buyer", "shipper")
@blp.arguments(schemas.RateArgs)
@blp.response(200, schemas.RatingSchema)
def rate(args):
    """Rate the other side of a delivered load (1-5 and tags); again within 24 h edits it."""
    return ratings.rate(principal=current_principal(), now_ms=now_ms(), **args)


@blp.route("/ratings", methods=["GET"])
@roles_required("driver", "buyer", "shipper")
@blp.arguments(schemas.WaybillArgs, location="query")
@blp.response(200, schemas.RatingList)
def my_ratings(args):
    """Your own ratings on a waybill."""
    return {"items": ratings.mine(principal=current_principal(), waybill_id=args["waybill_id"])}


@blp.route("/complaints/uploads", methods=["POST"])
@roles_required(*COMPLAINANTS)
@blp.arguments(schemas.UploadArgs)
@blp.response(200, schemas.UploadSchema)
def complaint_upload(args):
    """A presigned upload for one complaint photo."""
    upload = complaints.create_upload(
        principal=current_principal(), content_type=args["content_type"], size_bytes=args["size_bytes"], now_ms=now_ms()
    )
    upload["fields_"] = upload.pop("fields")
    return upload


@blp.route("/complaints", methods=["POST"])
@roles_required(*COMPLAINANTS)
@blp.arguments(schemas.ComplaintArgs)
@blp.response(201, schemas.ComplaintSchema)
def file_complaint(args):
    """Complain about a party on a waybill (about=driver|carrier|shipper|buyer|mine) or a party by id."""
    principal, now = current_principal(), now_ms()
    return complaints.shown(complaints.file(principal=principal, now_ms=now, **args), now_ms=now)


@blp.route("/complaints", methods=["GET"])
@roles_required(*(COMPLAINANTS + DISPATCH))
@blp.arguments(schemas.ComplaintListArgs, location="query")
@blp.response(200, schemas.ComplaintPage)
def list_complaints(args):
    """Dispatch: the queue, earliest due first; a party: its own complaints."""
    items, lek = complaints.listing(
        principal=current_principal(),
        status=args["status"],
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
        now_ms=now_ms(),
    )
    return page(items, lek)


@blp.route("/complaints/<complaint_id>", methods=["GET"])
@roles_required(*(COMPLAINANTS + DISPATCH))
@blp.response(200, schemas.ComplaintSchema)
def get_complaint(complaint_id):
    """One complaint with its 24 h clock and photos."""
    return complaints.get(principal=current_principal(), complaint_id=complaint_id, now_ms=now_ms())


@blp.route("/complaints/<complaint_id>/answer", methods=["POST"])
@roles_required(*DISPATCH)
@blp.arguments(schemas.AnswerArgs)
@blp.response(200, schemas.ComplaintSchema)
def answer_complaint(args, complaint_id):
    """Answer: fault found counts against the party at fault (its score), no fault counts nothing."""
    return complaints.answer(principal=current_principal(), complaint_id=complaint_id, now_ms=now_ms(), **args)


@blp.route("/appeals", methods=["POST"])
@roles_required(*PARTIES)
@blp.arguments(schemas.AppealArgs)
@blp.response(201, schemas.AppealSchema)
def file_appeal(args):
    """Contest one of your contributing events."""
    return appeals.file(principal=current_principal(), now_ms=now_ms(), **args)


@blp.route("/appeals", methods=["GET"])
@roles_required(*(PARTIES + DISPATCH))
@blp.arguments(schemas.AppealListArgs, location="query")
@blp.response(200, schemas.AppealPage)
def list_appeals(args):
    """Dispatch: appeals by status (pending first); a party: its own."""
    items, lek = appeals.listing(
        principal=current_principal(),
        status=args["status"],
        limit=args["limit"],
        last_evaluated_key=decode_cursor(args["cursor"]),
    )
    return page(items, lek)


@blp.route("/appeals/<appeal_id>", methods=["GET"])
@roles_required(*(PARTIES + DISPATCH))
@blp.response(200, schemas.AppealSchema)
def get_appeal(appeal_id):
    """One appeal (its party or dispatch)."""
    return appeals.get(principal=current_principal(), appeal_id=appeal_id)


@blp.route("/appeals/<appeal_id>/decide", methods=["POST"])
@roles_required(*DISPATCH)
@blp.arguments(schemas.DecideArgs)
@blp.response(200, schemas.AppealSchema)
def decide_appeal(args, appeal_id):
    """Uphold (the event is removed, the score recomputed now) or reject, with a reason."""
    return appeals.decide(principal=current_principal(), appeal_id=appeal_id, now_ms=now_ms(), **args)
