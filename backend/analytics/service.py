"""The command centre's verbs: count stream records, answer a dashboard from aggregates, recompute a day."""

from datetime import date, timedelta

from backend.accounts import service as accounts_service
from backend.analytics import kpis, store, stream
from backend.common.access import Principal
from backend.common.clock import shanghai_midnight_ms
from backend.common.errors import ApiError, field_error

THEMES = {"capacity": "mine", "dispatch": "carrier", "customers": "shipper", "in_transit": "mine"}
MAX_DAYS = 92  # a quarter: longer spans are reports over the exported history, not the live aggregates
TABLE_ROWS = 200
NAMED_BY_ORG = ("shipper", "carrier")  # row kinds that are companies: shown by their names
PAGE = 100
SYSTEM = Principal(user_id="analytics", role="dispatcher")  # the backfill reads every party's records


def count_stream_records(records, *, now_ms=None):
    """Count a batch of stream records into the aggregates, once each (stream.handle through the store)."""
    from backend.common.clock import now_ms as clock
    from backend.config import setting

    return stream.handle(
        records,
        prefix=setting("TABLE_PREFIX"),
        apply=store.apply,
        now_ms=now_ms or clock(),
        free_minutes=setting("DETENTION_FREE_MINUTES"),
    )


def ratios(totals):
    """The derived KPIs (fulfilment, on-time, no-show, loss) of summed counters; None where undefined."""
    out = {}
    for name, (num, den, divisor) in kpis.RATIOS.items():
        value = totals.get(num, 0) / totals[den] / divisor if totals.get(den) else None
        out[name] = None if value is None else round(value, 4 if divisor == 1 else 1)
    return out


def _scope(principal, mine_id, shipper_id):
    """The one scope a caller may read: a gate its mine, a shipper its own company, dispatch any."""
    if principal.role == "gate":
        if mine_id and mine_id != principal.mine_id:
            raise ApiError("forbidden_tenant", "gate staff see only their own mine", status=403)
        return "mine", principal.mine_id
    if principal.role == "shipper":
        if shipper_id and shipper_id != principal.org_id:
            raise ApiError("forbidden_tenant", "a shipper sees only its own loads", status=403)
        return "shipper", principal.org_id
    if shipper_id:
        return "shipper", shipper_id
    if mine_id:
        return "mine", mine_id
    return "all", None


def _days(date_from, date_to):
    if date_to < date_from:
        raise field_error("date_from", "must not be after date_to")
    if (date_to - date_from).days >= MAX_DAYS:
        raise field_error("date_to", f"at most {MAX_DAYS} days; longer spans are in the reports")
    return [(date_from + timedelta(days=i)).isoformat() for i in range((date_to - date_from).days + 1)]


def dashboard(*, principal, theme, date_from, date_to, mine_id=None, shipper_id=None):
    """A theme's page from aggregates only: a daily series, totals, ratios, the live gauge, per-party rows.

    Three or four DynamoDB calls whatever the history: one Query for the series, one read of the live
    gauge, one Query of a day's per-party items, and for a mine the day's hours.
    """
    days = _days(date_from, date_to)
    kind, key = _scope(principal, mine_id, shipper_id)
    scope_key = "all" if kind == "all" else f"{kind}#{key}"
    found = dict(store.series(scope_key, f"d#{days[0]}", f"d#{days[-1]}"))
    series = [{"day": d, **found.get(f"d#{d}", {})} for d in days]
    totals = kpis.merge((None, counts) for counts in found.values()).get(None, {})
    rows_kind = THEMES[theme]
    if kind == "all":
        rows = store.by_day(rows_kind, days[-1], TABLE_ROWS)
    else:  # one party (a gate, a shipper, a filter) sees its own row only: the series' last day, no other read
        last = found.get(f"d#{days[-1]}")
        rows = [(key, last)] if rows_kind == kind and last else []
    reply = {
        "theme": theme,
        "scope": {"kind": kind, "id": key},
        "days": days,
        "series": series,
        "totals": totals,
        "ratios": ratios(totals),
        "live": store.get(scope_key, "live"),
        "rows": [{"id": rid, **counts, **ratios(counts)} for rid, counts in rows],
        "rows_kind": rows_kind,
    }
    if rows_kind in NAMED_BY_ORG and reply["rows"]:  # companies by name, not id (one batched read of the page)
        names = accounts_service.org_names([row["id"] for row in reply["rows"]])
        for row in reply["rows"]:
            row["name"] = names.get(row["id"])
    if kind in ("mine", "all"):
        hours = dict(store.series(scope_key, f"h#{days[-1]}T00", f"h#{days[-1]}T23"))
        reply["hours"] = [{"hour": f"{h:02d}", **hours.get(f"h#{days[-1]}T{h:02d}", {})} for h in range(24)]
    return reply


def _pages(fetch):
    """Every item of a paged read, newest first, until `fetch` says stop (returns (items, lek, more))."""
    lek = None
    while True:
        items, lek, more = fetch(lek)
        yield from items
        if not lek or not more:
            return


def _waybill_changes(mine_id, start, end, free_minutes):
    from backend.waybills import service as waybills

    def fetch(lek):
        items, next_key = waybills.list_by("mine", mine_id, limit=PAGE, last_evaluated_key=lek)
        return [w for w in items if w.updated_at >= start], next_key, all(w.updated_at >= start for w in items)

    for waybill in _pages(fetch):
        record = waybill.attribute_values
        if start <= waybill.created_at < end:
            yield record, kpis.waybill_counters(record, None, "open", waybill.created_at), waybill.created_at
        since = waybill.created_at  # when the waybill came into each event's from_state
        entered = False
        for event in sorted(waybills.history(SYSTEM, waybill.waybill_id), key=lambda e: e.version):
            if event.version == 0:
                continue
            if start <= event.at < end:
                counts = kpis.waybill_counters(record, event.from_state, event.to_state, event.at, since)
                yield record, counts, event.at
            since = event.at
            entered = entered or event.to_state == "entered"
        if entered and waybill.booking_id:
            yield from _booking_change(waybill.booking_id, start, end, free_minutes)


def _booking_change(booking_id, start, end, free_minutes):
    """The queue time and detention of the waybill's booking when it reached the gate inside [start, end)."""
    from backend.appointments.booking import service as bookings
    from backend.common.errors import NotFound

    try:
        booking = bookings.get(booking_id).attribute_values
    except NotFound:
        return
    if booking["status"] == "entered" and start <= booking["updated_at"] < end:
        counts = kpis.booking_counters({"status": "active"}, booking, free_minutes)
        yield booking, counts, booking["updated_at"]


def _slot_changes(mine_id, day):
    """Each of the mine's windows of the day, whole (the stream adds up their changes to the same values)."""
    from backend.appointments.windows import service as windows

    for slot in windows.day_windows(mine_id, day):
        record = slot.attribute_values
        yield record, kpis.slot_counters(None, record), slot.start_ms


def _alert_changes(mine_id, start, end):
    from backend.alerts import service as alerts

    def fetch(lek):
        items, next_key = alerts.list_alerts(
            principal=SYSTEM, mine_id=mine_id, status=None, limit=PAGE, last_evaluated_key=lek
        )
        return [a for a in items if a.created_at >= start], next_key, all(a.created_at >= start for a in items)

    for alert in _pages(fetch):
        if alert.created_at < end:
            record = alert.attribute_values
            yield record, kpis.alert_counters(None, record), alert.created_at
            yield record, kpis.alert_counters({"status": "open"}, record), alert.created_at


def recompute_day(*, day, mine_ids, now_ms, write=True):
    """Recount a day from the raw records (waybills and their histories, bookings, windows, alerts) of the mines.

    Reads by key conditions only (each mine's waybills updated since the day, newest first, and their
    histories; the mine's alerts). The mines' own items are replaced; the network-wide and per-party items
    need every mine, so they are replaced only when `mine_ids` is None. Returns {(scope_key, period): counters}.
    """
    from backend.catalogue import service as catalogue
    from backend.config import setting

    free_minutes = setting("DETENTION_FREE_MINUTES")
    start = shanghai_midnight_ms(day)
    end = start + 24 * 3600 * 1000
    every_mine = mine_ids is None
    mine_ids = [m.mine_id for m in catalogue.list_mines()] if every_mine else list(mine_ids)
    pairs = []
    for mine_id in mine_ids:
        changes = (
            list(_waybill_changes(mine_id, start, end, free_minutes))
            + list(_alert_changes(mine_id, start, end))
            + list(_slot_changes(mine_id, day))
        )
        for record, counts, at in changes:
            pairs += kpis.increments(record, counts, at)
    merged = {k: v for k, v in kpis.merge(pairs).items() if k[1] != "live"}
    if not every_mine:
        merged = {k: v for k, v in merged.items() if k[0] in {f"mine#{m}" for m in mine_ids}}
    if write:
        store.replace(merged, now_ms)
    return merged


def parse_day(text, name):
    """A YYYY-MM-DD query value as a date (400 naming the field otherwise)."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise field_error(name, "a date YYYY-MM-DD") from None


def _history_rows(start, end, now_ms, export_base):
    """The report SQL's rows for [start, end] from the newest export (made now locally; AWS: the last one)."""
    from backend.analytics import export, history
    from backend.config import setting

    params = [shanghai_midnight_ms(start.isoformat()), shanghai_midnight_ms(end.isoformat()) + 24 * 3600 * 1000]
    if setting("ANALYTICS_BUCKET") and not setting("DYNAMODB_HOST"):
        database = setting("TABLE_PREFIX").strip("-").replace("-", "_") + "_history"
        history.point_at_newest_export(bucket=setting("ANALYTICS_BUCKET"), database=database)
        return history.run_athena("party_days", params, workgroup=setting("ATHENA_WORKGROUP"), database=database)
    folder = export.export_tables(now_ms=now_ms, base=export_base)["exports"][0]
    return history.run_duckdb("party_days", params, exports={"waybills": folder})


def generate_reports(*, day, now_ms, only=None, export_base=None):
    """Write the reports due after `day` (daily; weekly on Sundays; monthly on a month's last day) for every
    party in the history, or only the (kind, party) pairs in `only`, and tell their subscribers (inbox):
    {"reports": n, "told": people told}."""
    from backend.analytics import reports

    due = reports.periods_due(day)
    rows = _history_rows(min(s for _, s, _ in due), day, now_ms, export_base)
    written = told = 0
    per_cadence, chosen = {}, store.choices()
    for cadence, start, end in due:
        parties = reports.party_rows(rows, start, end)
        names = accounts_service.org_names(sorted({p for (k, p) in parties if k in NAMED_BY_ORG}))
        for (kind, party), days in parties.items():
            if only is not None and (kind, party) not in only:
                continue
            listing = {
                "cadence": cadence,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "kind": kind,
                "party": party,
                "party_name": names.get(party),
                "totals": reports.totals(days),
                "generated_at": now_ms,
            }
            listing["files"] = {fmt: reports.file_key(listing, fmt) for fmt in reports.FORMATS}
            reports.save_file(listing["files"]["xlsx"], reports.xlsx(listing, days))
            reports.save_file(listing["files"]["pdf"], reports.pdf(listing, days))
            reports.save_file(listing["files"]["html"], reports.printable(listing, days))
            store.put_report(listing)
            told += tell_subscribers(listing, chosen=chosen, now_ms=now_ms)
            written += 1
            per_cadence[(cadence, start, end)] = per_cadence.get((cadence, start, end), 0) + 1
    for (cadence, start, end), count in per_cadence.items():
        told += _tell_dispatch(cadence, start, end, count, now_ms=now_ms)
    return {"reports": written, "told": told}


def _report_scope(principal, kind, party):
    """Which listing partition a caller reads: dispatch any (or all), a gate its mine, a shipper/carrier its own."""
    own = {
        "gate": ("mine", principal.mine_id),
        "shipper": ("shipper", principal.org_id),
        "carrier": ("carrier", principal.org_id),
    }.get(principal.role)
    if own:
        if (kind and kind != own[0]) or (party and party != own[1]):
            raise ApiError("forbidden_tenant", "these reports belong to another party", status=403)
        return f"report#{own[0]}#{own[1]}"
    if kind and party:
        return f"report#{kind}#{party}"
    return "report#all"


CHOOSABLE_ROLES = ("gate", "shipper", "carrier")  # the parties whose reports a manager chooses


def list_reports(*, principal, kind=None, party=None, limit=100):
    """The reports a caller may download, newest first; a party sees the cadences its role receives (two Queries)."""
    found = store.reports(_report_scope(principal, kind, party), limit)
    if principal.role in CHOOSABLE_ROLES:
        chosen = store.choices().get(principal.role)
        if chosen is not None:
            found = [r for r in found if r["cadence"] in chosen]
    return found


def report_choices():
    """[{role, cadences}] for every role whose reports a manager chooses (every cadence unless chosen)."""
    from backend.analytics.reports import CADENCES

    chosen = store.choices()
    return [{"role": role, "cadences": chosen.get(role, list(CADENCES))} for role in CHOOSABLE_ROLES]


def choose_reports(*, role, cadences):
    """A manager sets which report cadences a role receives."""
    if role not in CHOOSABLE_ROLES:
        raise field_error("role", f"one of {', '.join(CHOOSABLE_ROLES)}")
    from backend.analytics.reports import CADENCES

    ordered = [c for c in CADENCES if c in set(cadences)]
    store.put_choice(role, ordered)
    return {"role": role, "cadences": ordered}


def report_file(*, principal, kind, party, cadence, start, fmt):
    """(body, mimetype, file name) of one report the caller may read; 404 when there is none."""
    from backend.analytics import reports
    from backend.common.errors import NotFound

    if kind not in reports.KINDS:
        raise field_error("kind", f"one of {', '.join(reports.KINDS)}")
    if fmt not in reports.FORMATS:
        raise field_error("fmt", f"one of {', '.join(reports.FORMATS)}")
    _report_scope(principal, kind, party)
    listing = store.report(kind, party, cadence, start)
    if listing is None:
        raise NotFound("report_not_found", "no such report")
    name = f"{cadence}-{start}-{kind}-{party}.{fmt}"
    return reports.load_file(listing["files"][fmt]), reports.FORMATS[fmt], name


def recount_live(*, mine_ids=None, now_ms):
    """Set the `live` in-transit gauges from the waybills on the road now (a key query per mine): {"on_road": n}.

    The stream keeps the gauges from then on; run it where no stream was following (a store loaded before
    the streams were switched on), not beside a running stream.
    """
    from backend.catalogue import service as catalogue
    from backend.waybills import service as waybills

    every_mine = mine_ids is None
    mine_ids = [m.mine_id for m in catalogue.list_mines()] if every_mine else list(mine_ids)
    gauges = {("all", "live"): {"in_transit": 0}}
    for mine_id in mine_ids:
        gauges[(f"mine#{mine_id}", "live")] = {"in_transit": 0}

        def fetch(lek, mine_id=mine_id):
            items, next_key = waybills.list_by("mine", mine_id, limit=PAGE, last_evaluated_key=lek, state="in_transit")
            return items, next_key, True

        for waybill in _pages(fetch):
            for key in kpis.scope_keys(waybill.attribute_values).values():
                gauges.setdefault((key, "live"), {"in_transit": 0})["in_transit"] += 1
    on_road = gauges[("all", "live")]["in_transit"]
    if not every_mine:  # the network-wide gauge needs every mine
        del gauges[("all", "live")]
    store.replace(gauges, now_ms)
    return {"on_road": on_road}


def _receives(role, cadences, cadence, chosen):
    """A subscriber gets a cadence they chose that a manager lets their role receive (party roles only)."""
    allowed = chosen.get(role) if role in CHOOSABLE_ROLES else None
    return cadence in cadences and (allowed is None or cadence in allowed)


def _announce(**message):
    from backend.notifications import service as notifications

    return len(notifications.announce(link="#/reports", **message))


def tell_subscribers(listing, *, chosen, now_ms):
    """A new report reaches the party's people who subscribed to its cadence (and whose role a manager lets
    receive it, `chosen`): an inbox message linking to the reports, once per report and person (the event id is
    the report's). Returns how many were told."""
    cadence = listing["cadence"]
    people = [
        user_id
        for user_id, role, cadences in store.subscribers(f"{listing['kind']}#{listing['party']}")
        if _receives(role, cadences, cadence, chosen)
    ]
    if not people:
        return 0
    return _announce(
        kind="report_ready",
        user_ids=people,
        event_id=f"report:{cadence}:{listing['start']}:{listing['kind']}:{listing['party']}",
        params={
            "party": listing.get("party_name") or listing["party"],
            "start": listing["start"],
            "end": listing["end"],
        },
        now_ms=now_ms,
    )


def _tell_dispatch(cadence, start, end, count, *, now_ms):
    """Dispatch's subscribers get one message per cadence and period: how many reports were written."""
    people = [user_id for user_id, _, cadences in store.subscribers("all") if cadence in cadences]
    if not people:
        return 0
    return _announce(
        kind="reports_ready",
        user_ids=people,
        event_id=f"reports:{cadence}:{start.isoformat()}",
        params={"count": count, "start": start.isoformat(), "end": end.isoformat()},
        now_ms=now_ms,
    )


def _subscription_scope(principal):
    """Where a person's subscription is kept: their party's reports (a gate its mine, a company its own), or all."""
    own = _report_scope(principal, None, None)
    if own == "report#all":
        return "all"
    if own.endswith("#None"):  # a party role without its party (an unfinished account) has no reports
        raise ApiError("forbidden_tenant", "this account belongs to no mine or company", status=403)
    return own.split("#", 1)[1]


def my_subscription(*, principal):
    """{cadences: what I receive, available: what my role may receive} (two GetItem-sized reads)."""
    from backend.analytics.reports import CADENCES

    scope = _subscription_scope(principal)
    allowed = store.choices().get(principal.role) if principal.role in CHOOSABLE_ROLES else None
    available = [c for c in CADENCES if allowed is None or c in allowed]
    return {"cadences": store.subscription(scope, principal.user_id) or [], "available": available}


def subscribe(*, principal, cadences):
    """Choose which report cadences I receive in my inbox (from those a manager lets my role receive)."""
    current = my_subscription(principal=principal)
    refused = [c for c in cadences if c not in current["available"]]
    if refused:
        raise field_error("cadences", f"your role does not receive {', '.join(refused)} reports")
    ordered = [c for c in current["available"] if c in set(cadences)]
    store.put_subscription(_subscription_scope(principal), principal.user_id, role=principal.role, cadences=ordered)
    return {"cadences": ordered, "available": current["available"]}
