"""The queue log's hash chain (backend.appointments.log.chain), without DynamoDB: any removed, inserted,
changed or reordered entry is found, and a driver's check names every truck placed ahead of them."""

from backend.appointments.log import chain

CHAIN = chain.chain_id("mine_x", "2026-11-20")


def _build(events):
    """A chain as the store appends it: seq from 1, each entry hashed over the previous hash."""
    prev, out = chain.GENESIS, []
    for seq, event in enumerate(events, start=1):
        body = dict(event, chain_id=CHAIN, seq=seq)
        digest = chain.entry_hash(prev, body)
        out.append(dict(body, prev_hash=prev, hash=digest))
        prev = digest
    return out


def _day():
    return _build(
        [
            {"at": 1000 + i, "action": "book", "booking_id": f"b{i}", "actor_id": f"u{i}", "actor_role": "driver"}
            for i in range(5)
        ]
    )


def _head(entries):
    return (entries[-1]["seq"], entries[-1]["hash"])


def test_an_untouched_day_verifies_against_its_published_head():
    entries = _day()
    assert chain.verify(entries, head=_head(entries)) == []


def test_a_removed_entry_is_found():
    entries = _day()
    head = _head(entries)
    del entries[2]
    problems = chain.verify(entries, head=head)
    assert {"seq": 4, "problem": "sequence", "expected": 3} in problems
    assert any(p["problem"] == "link" and p["seq"] == 4 for p in problems)


def test_removing_the_last_entry_is_found_by_the_published_head():
    entries = _day()
    head = _head(entries)
    assert [p["problem"] for p in chain.verify(entries[:-1], head=head)] == ["head"]


def test_an_inserted_entry_is_found_even_when_its_own_hash_is_right():
    entries = _day()
    head = _head(entries)
    forged = {"at": 1002, "action": "override", "booking_id": "bx", "actor_id": "u9", "actor_role": "gate"}
    body = dict(forged, chain_id=CHAIN, seq=3)
    entries.insert(2, dict(body, prev_hash=entries[1]["hash"], hash=chain.entry_hash(entries[1]["hash"], body)))
    problems = chain.verify(entries, head=head)
    assert any(p["seq"] == 3 and p["problem"] == "link" for p in problems)  # the old entry 3 no longer links
    assert any(p["problem"] == "sequence" for p in problems)  # two entries now claim the same place


def test_two_swapped_entries_are_found():
    entries = _day()
    head = _head(entries)
    entries[1], entries[2] = entries[2], entries[1]
    problems = chain.verify(entries, head=head)
    assert {p["seq"] for p in problems if p["problem"] in ("sequence", "link")} >= {2, 3}


def test_a_changed_reason_breaks_the_entry_s_hash():
    entries = _day()
    entries[3]["reason"] = "edited afterwards"
    assert [p["problem"] for p in chain.verify(entries, head=_head(entries))] == ["hash"]


def test_numbers_read_back_as_floats_hash_the_same():
    entries = _day()
    for entry in entries:
        entry["at"], entry["seq"] = float(entry["at"]), entry["seq"]
    assert chain.verify(entries, head=_head(entries)) == []


def _queue_day():
    """Trucks a (place 1) and b (place 2) wait in window 100; c (window 200) is called first with a reason,
    then d (window 200) without one; a is then called."""

    def ev(action, booking, key, reason=None):
        return {"action": action, "booking_id": booking, "detail": {"queue_key": key}, "reason": reason}

    return _build(
        [
            ev("check_in", "a", [100, 1]),
            ev("check_in", "b", [100, 2]),
            ev("check_in", "c", [200, 1]),
            ev("skip", "c", [200, 1], reason="fresh-food load, agreed with dispatch"),
            ev("call", "d", [200, 2]),
            ev("call", "a", [100, 1]),
            ev("call", "b", [100, 2]),
        ]
    )


def test_a_driver_sees_every_truck_called_ahead_of_them_and_which_lacked_a_reason():
    entries = _queue_day()
    ahead = chain.placed_ahead(entries, booking_id="a")
    assert [(e["booking_id"], bool(e["reason"])) for e in ahead] == [("c", True), ("d", False)]


def test_the_truck_first_in_line_was_not_placed_ahead_of_the_one_behind_it():
    entries = _queue_day()
    # b waited behind a: a's call is in order; c's and d's calls passed over b as well.
    assert [e["booking_id"] for e in chain.placed_ahead(entries, booking_id="b")] == ["c", "d"]
