"""What a document is built from, gathered from the domains that own it (through their services only)."""

from dataclasses import dataclass, field

from backend.accounts import service as accounts
from backend.auth import service as auth
from backend.catalogue import service as catalogue
from backend.regfeed import areas, store
from backend.settlement import service as settlement
from backend.tracking import service as tracking
from backend.waybills import service as waybills

READER = waybills.SystemActor("regfeed", role="dispatcher")
DEPART_ACTIONS = ("depart", "release")  # the truck leaves the mine gate (release at the gate, 出发 on the phone)
RECEIPT_ACTIONS = ("confirm", "resolve_dispute", "unload")
OVERLAP_LOOKBACK_MS = 3 * 86_400_000  # a trip longer than three days is not a coal haul


@dataclass
class WaybillFacts:
    waybill: object
    vehicle: object
    credential: object
    carrier: object
    driver_name: str
    consignor_name: str
    consignor_id: str
    consignee_name: str
    consignee_id: str
    mine_name: str
    product_name: str
    load_point: list
    unload_point: list
    load_county: str
    unload_county: str
    departed_at: int
    received_at: int
    freight_fen: int
    track: list = field(default_factory=list)  # [(lon, lat, at_ms)] terminal fixes in transit
    vehicle_trips: list = field(default_factory=list)  # [(waybill id, departed, received)] of the same truck
    positions: list = field(default_factory=list)  # [(source, lon, lat, at_ms)] for WLHY_WZ1001
    payments: list = field(default_factory=list)  # [{"means", "account", "bank", "serial", "fen", "at"}]
    declared_freight_fen: int | None = None


def _first(history, actions):
    return next((event for event in history if event.action in actions), None)


def _phone(event, source, consent_at):
    """A phone position kept on a waybill event, only if the driver consented before it was taken."""
    where = getattr(event, "where", None) if event else None
    if not where or consent_at is None or consent_at > event.at:
        return []
    lon, lat = where["coordinates"]
    return [(source, lon, lat, event.at)]


def sample(track, every_ms):
    """The terminal track thinned to one fix per `every_ms` (first and last always kept)."""
    kept, last = [], None
    for lon, lat, at in track:
        if last is None or at - last >= every_ms:
            kept.append((lon, lat, at))
            last = at
    if track and kept[-1] != track[-1]:
        kept.append(track[-1])
    return kept


def waybill_facts(waybill_id, *, consent_at=None, sample_ms=300_000):
    """Everything WLHY_YD1001, WLHY_WZ1001 and the self-checks need about one truck's waybill."""
    waybill = waybills.get(waybill_id)
    history = sorted(waybills.history(READER, waybill_id), key=lambda e: e.version)
    departure, receipt = _first(history, DEPART_ACTIONS), _first(history, RECEIPT_ACTIONS)
    departed_at = departure.at if departure else waybill.created_at
    received_at = receipt.at if receipt else waybill.updated_at
    vehicle, credential = accounts.find_vehicle(waybill.vehicle_id), accounts.find_credential(waybill.driver_id)
    carrier, driver = accounts.find_org(waybill.carrier_id), auth.get_user(waybill.driver_id)
    shipper = accounts.find_org(waybill.shipper_id) if waybill.shipper_id else None
    buyer = auth.get_user(waybill.buyer_id) if waybill.buyer_id else None
    mine, product = catalogue.find_mine(waybill.mine_id), catalogue.find_product(waybill.mine_id, waybill.product_id)
    destination = waybill.destination or {}
    unload_point = (destination.get("point") or {}).get("coordinates")
    load_point = mine.location["coordinates"]
    load_area = areas.county_of(load_point)
    # A place the buyer picked from the gazetteer kept its county on the order: known, not derived from the point.
    kept = destination.get("county_code")
    unload_area = (
        (kept, destination.get("county_name") or kept)
        if kept
        else areas.county_of(unload_point, destination.get("address"))
    )
    out = settlement.compute(waybill, history, settlement.settlement_entries(waybill_id))[3]
    fixes = tracking.track_between(waybill.vehicle_id, since_ms=departed_at, until_ms=received_at)
    track = [(f.lon, f.lat, f.at_ms) for f in fixes]
    trips = store.vehicle_trips(waybill.vehicle_id, since_ms=departed_at - OVERLAP_LOOKBACK_MS, until_ms=received_at)
    positions = (
        _phone(departure, "phone_departure", consent_at)
        + [("terminal", lon, lat, at) for lon, lat, at in sample(track, sample_ms)]
        + _phone(receipt, "phone_delivery", consent_at)
    )
    return WaybillFacts(
        waybill=waybill,
        vehicle=vehicle,
        credential=credential,
        carrier=carrier,
        driver_name=driver.name if driver else "",
        consignor_name=shipper.name if shipper else mine.name,
        consignor_id=(shipper.credit_code if shipper else None) or "",
        consignee_name=buyer.name if buyer else (shipper.name if shipper else ""),
        consignee_id=(shipper.credit_code if shipper and not buyer else None) or "",
        mine_name=mine.name,
        product_name=product.name if product else waybill.product_id,
        load_point=load_point,
        unload_point=unload_point,
        load_county=load_area and load_area[0],
        unload_county=unload_area and unload_area[0],
        departed_at=departed_at,
        received_at=received_at,
        freight_fen=out.payee_total_fen,
        track=track,
        vehicle_trips=trips,
        positions=positions,
    )


def payments_of(waybill, entries, *, prepaid_form):
    """The carrier's receipts in the settlement entries: one payment per entry, its id the serial."""
    from backend.ledger import service as ledger

    payee = ledger.account("carrier", waybill.carrier_id) if waybill.carrier_id else None
    found = []
    for entry in sorted(entries, key=lambda e: e.at):
        fen = sum(int(amount) for account, amount in entry.legs if account == payee and int(amount) > 0)
        if fen:
            means = prepaid_form if entry.entry_id.endswith("-weigh_out") else "cash"
            found.append(
                {
                    "means": means,
                    "account": payee,
                    "bank": "LEDGER",
                    "serial": entry.entry_id,
                    "fen": fen,
                    "at": entry.at,
                }
            )
    return found


def fund_flow_facts(waybill_id, *, declared_freight_fen):
    """What WLHY_ZJ1001 and its cross-check need: the truck, the carrier and what the ledger paid it."""
    waybill = waybills.get(waybill_id)
    terms, _ = settlement.terms_for(waybill.mine_id, waybill.shipper_id)
    entries = settlement.settlement_entries(waybill_id)
    return WaybillFacts(
        waybill=waybill,
        vehicle=accounts.find_vehicle(waybill.vehicle_id),
        credential=None,
        carrier=accounts.find_org(waybill.carrier_id),
        driver_name="",
        consignor_name="",
        consignor_id="",
        consignee_name="",
        consignee_id="",
        mine_name="",
        product_name="",
        load_point=[],
        unload_point=[],
        load_county="",
        unload_county="",
        departed_at=0,
        received_at=0,
        freight_fen=declared_freight_fen or 0,
        payments=payments_of(waybill, entries, prepaid_form=terms.prepaid_form),
        declared_freight_fen=declared_freight_fen,
    )
