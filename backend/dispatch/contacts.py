"""Who a driver calls about a load: the shipper (or buyer), the carrier's office and the mine's gate."""

from backend.accounts import service as accounts_service
from backend.auth import service as auth_service
from backend.catalogue import service as catalogue_service
from backend.common import batch
from backend.common.errors import NotFound
from backend.waybills import service as waybills

# Users read (one Query page) to find a company's office phone: the by_org index is sorted by user id, so staff
# can sit anywhere among a fleet's drivers; 100 small items cover a fleet of that size, read once per load.
OFFICE_PAGE = 100


class _PeopleAndNames:
    """The reads of some users and companies for a batch, and what the records say: ({user_id: user},
    {org_id: company name})."""

    def __init__(self, user_ids, org_ids):
        self.users = [u for u in dict.fromkeys(user_ids) if u]
        self.orgs = [o for o in dict.fromkeys(org_ids) if o]
        self.reads = [
            *(auth_service.user_read(u) for u in self.users),
            *(accounts_service.org_read(o) for o in self.orgs),
        ]

    def decode(self, records):
        people = {user.user_id: user for user in records[: len(self.users)] if user is not None}
        names = {org.org_id: org.name for org in records[len(self.users) :] if org is not None}
        return people, names


def _people_and_names(user_ids, org_ids):
    """({user_id: user}, {org_id: company name}) for the ids given, read together (one batch read a page)."""
    wanted = _PeopleAndNames(user_ids, org_ids)
    return wanted.decode(batch.get_all(*wanted.reads))


def _office_phone(org_id, role):
    """The phone of a company's first account of `role` (its office), or None; one page of the by_org index."""
    users, _ = auth_service.list_org_users(org_id, limit=OFFICE_PAGE, last_evaluated_key=None)
    return next((u.phone for u in users if u.role == role and u.status == "active"), None)


def _party(name, phone):
    return {"name": name, "phone": phone}


class Owners:
    """{waybill id: {shipper_name, shipper_phone}} for hall loads: the company (else the person) that ordered.

    The phone is that of the company's staff member who placed the order; a private buyer's phone is never shown
    to every driver browsing the hall (the driver who wins the load gets it from `for_driver`). `loads` are hall
    rows, which carry who ordered (waybills.models.HALL_FIELDS): the hall reads their people and companies
    (`reads`) in its own batch, beside its other records, and hands the records to `of`.
    """

    def __init__(self, loads):
        self._loads = list(loads)
        self._wanted = _PeopleAndNames(
            (w.ordered_by or w.buyer_id for w in self._loads), (w.shipper_id for w in self._loads)
        )
        self.reads = self._wanted.reads

    def of(self, records):
        people, names = self._wanted.decode(records)
        result = {}
        for w in self._loads:
            person = people.get(w.ordered_by or w.buyer_id)
            name = names.get(w.shipper_id) if w.shipper_id else (person.name if person else None)
            staff = person is not None and w.shipper_id is not None and person.org_id == w.shipper_id
            result[w.waybill_id] = {"shipper_name": name, "shipper_phone": person.phone if staff else None}
        return result


def for_driver(*, principal, waybill_id):
    """The phones of a load's parties, for the driver on it only (anyone else: 404, as for an unknown load)."""
    waybill = waybills.get_visible(principal, waybill_id)
    if principal.role != "driver" or waybill.driver_id != principal.user_id:
        raise NotFound("waybill_not_found", "waybill not found")
    carrier_id = waybill.carrier_id or principal.org_id  # the driver's own fleet office when the load names none
    people, names = _people_and_names([waybill.ordered_by, waybill.buyer_id], [waybill.shipper_id, carrier_id])
    orderer, buyer = people.get(waybill.ordered_by), people.get(waybill.buyer_id)
    mine = catalogue_service.get_mine(waybill.mine_id)
    shipper = None
    if waybill.shipper_id:
        phone = orderer.phone if orderer and orderer.org_id == waybill.shipper_id else None
        shipper = _party(names.get(waybill.shipper_id), phone or _office_phone(waybill.shipper_id, "shipper"))
    elif orderer:
        shipper = _party(orderer.name, orderer.phone)
    return {
        "waybill_id": waybill.waybill_id,
        "shipper": shipper,
        "buyer": _party(buyer.name, buyer.phone) if buyer else None,
        "carrier": _party(names.get(carrier_id), _office_phone(carrier_id, "carrier")) if carrier_id else None,
        "gate": _party(mine.name, mine.gate_phone),  # None until the site's keeper gives one
        "mine_point": mine.location["coordinates"],
        "destination_point": ((waybill.destination or {}).get("point") or {}).get("coordinates"),
        "destination_address": (waybill.destination or {}).get("address"),
    }
