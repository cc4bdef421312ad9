"""Carriers keep their own fleet; plates are unique platform-wide; nobody sees another carrier's trucks."""

from tests.builders import headers_for, make_org, make_user, make_vehicle, random_plate


def vehicle_body(**overrides):
    body = {
        "plate": random_plate(),
        "plate_color": "yellow",
        "axles": 6,
        "tare_kg": 15000,
        "rated_load_kg": 34000,
        "terminal_id": None,
    }
    body.update(overrides)
    return body


def carrier():
    org = make_org("carrier")
    return org, make_user("carrier", org_id=org.org_id)


def test_carrier_registers_a_vehicle_with_a_normalised_plate(client):
    _, user = carrier()
    plate = random_plate()
    reply = client.post(
        "/api/fleet/vehicles", json=vehicle_body(plate=plate[:2].lower() + "·" + plate[2:]), headers=headers_for(user)
    )
    assert reply.status_code == 201 and reply.json["plate"] == plate


def test_plate_is_unique_across_carriers(client):
    (_, first), (_, second) = carrier(), carrier()
    body = vehicle_body()
    assert client.post("/api/fleet/vehicles", json=body, headers=headers_for(first)).status_code == 201
    reply = client.post("/api/fleet/vehicles", json=body, headers=headers_for(second))
    assert reply.status_code == 409 and reply.json["error"]["code"] == "plate_taken"


def test_invalid_plate_names_the_field(client):
    _, user = carrier()
    reply = client.post(
        "/api/fleet/vehicles", json=vehicle_body(plate="陕K12345", plate_color="green"), headers=headers_for(user)
    )
    assert reply.status_code == 400 and "plate" in reply.json["error"]["details"]["fields"]


def test_carrier_cannot_read_or_edit_another_carriers_vehicle(client):
    (org_a, _), (_, user_b) = carrier(), carrier()
    vehicle = make_vehicle(org_a.org_id)
    assert client.get(f"/api/fleet/vehicles/{vehicle.vehicle_id}", headers=headers_for(user_b)).status_code == 403
    patch = client.patch(f"/api/fleet/vehicles/{vehicle.vehicle_id}", json={"axles": 5}, headers=headers_for(user_b))
    assert patch.status_code == 403


def test_vehicle_list_shows_only_own_fleet(client):
    (org_a, user_a), (org_b, _) = carrier(), carrier()
    mine, theirs = make_vehicle(org_a.org_id), make_vehicle(org_b.org_id)
    plates = [v["plate"] for v in client.get("/api/fleet/vehicles", headers=headers_for(user_a)).json["items"]]
    assert mine.plate in plates and theirs.plate not in plates


def test_editing_the_plate_moves_the_uniqueness_claim(client):
    org, user = carrier()
    vehicle = make_vehicle(org.org_id)
    new_plate = random_plate()
    reply = client.patch(
        f"/api/fleet/vehicles/{vehicle.vehicle_id}", json={"plate": new_plate}, headers=headers_for(user)
    )
    assert reply.status_code == 200 and reply.json["plate"] == new_plate
    # the old plate is free again for someone else
    _, other = carrier()
    again = client.post("/api/fleet/vehicles", json=vehicle_body(plate=vehicle.plate), headers=headers_for(other))
    assert again.status_code == 201


def test_carrier_adds_a_driver_who_can_sign_in(client):
    org, user = carrier()
    from tests.builders import random_phone

    phone = random_phone()
    reply = client.post(
        "/api/fleet/drivers",
        json={"phone": phone, "password": "driver-pass-1", "name": "司机 甲"},
        headers=headers_for(user),
    )
    assert reply.status_code == 201 and reply.json["org_id"] == org.org_id
    login = client.post("/api/auth/login", json={"phone": phone, "password": "driver-pass-1"})
    assert login.status_code == 200 and login.json["user"]["role"] == "driver"


def test_driver_reads_only_their_own_record(client):
    org, _ = carrier()
    me, colleague = make_user("driver", org_id=org.org_id), make_user("driver", org_id=org.org_id)
    assert client.get(f"/api/fleet/drivers/{me.user_id}", headers=headers_for(me)).status_code == 200
    assert client.get(f"/api/fleet/drivers/{colleague.user_id}", headers=headers_for(me)).status_code == 403


def test_pagination_walks_the_whole_fleet_once(client):
    org, user = carrier()
    plates = {make_vehicle(org.org_id).plate for _ in range(5)}
    seen, cursor = [], None
    while True:
        url = "/api/fleet/vehicles?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url, headers=headers_for(user)).json
        seen += [v["plate"] for v in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(plates)


def test_malformed_cursor_is_a_field_error(client):
    _, user = carrier()
    reply = client.get("/api/fleet/vehicles?cursor=%%%", headers=headers_for(user))
    assert reply.status_code == 400 and "cursor" in reply.json["error"]["details"]["fields"]


def test_shippers_pick_carriers_by_name_without_seeing_fleets(client):
    org, _ = carrier()
    shipper = make_user("shipper", org_id=make_org("shipper").org_id)
    names = {c["id"]: c["name"] for c in client.get("/api/fleet/carriers", headers=headers_for(shipper)).json["items"]}
    assert names[org.org_id] == org.name and "org_car_sd" in names
    assert all(
        set(c) == {"id", "name"} for c in client.get("/api/fleet/carriers", headers=headers_for(shipper)).json["items"]
    )
