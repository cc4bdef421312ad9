"""Certificates through the API: recorded with check digits, and a heavy truck without them is not dispatched."""

from backend.accounts import store as accounts_store
from tests.builders import headers_for, make_org, make_user, make_vehicle
from tests.callcount import count_calls
from tests.orders.helpers import driver_with_truck, grab, make_mine, place_retail

PAPERS = {
    "id_number": "610821198003121111",
    "licence_class": "A2",
    "licence_valid_until": "2031-05-01",
    "qualification_no": "610821198003121111",
    "qualification_expires": "2030-05-01",
}


def _load(client):
    return place_retail(client, make_user("buyer"), make_mine()).json["id"]


def test_an_expired_road_transport_certificate_stops_the_grab_with_a_409_naming_it(client):
    driver, truck = driver_with_truck(transport_cert_expires="2020-01-31")
    load = _load(client)
    with count_calls() as calls:
        reply = grab(client, driver, truck, load)
    assert reply.status_code == 409
    assert reply.json["error"]["code"] == "certificate_expired"
    assert reply.json["error"]["details"]["certificate"] == "vehicle_transport_cert"
    assert "道路运输证" in reply.json["error"]["message"] and "2020-01-31" in reply.json["error"]["message"]
    assert calls == ["BatchGetItem"]  # the driver's papers came in the grab's one batch read


def test_a_driver_without_papers_cannot_take_a_heavy_truck_but_can_a_light_one(client):
    carrier = make_org("carrier").org_id
    driver = make_user("driver", org_id=carrier)
    accounts_store.DriverCredential.get(driver.user_id).delete()
    heavy = make_vehicle(carrier)
    reply = grab(client, driver, heavy, _load(client))
    assert reply.status_code == 409 and reply.json["error"]["code"] == "certificate_missing"
    assert reply.json["error"]["details"]["certificate"] == "driver_licence"
    light = make_vehicle(carrier, plate_color="blue", axles=2, tare_kg=1800, rated_load_kg=30000, gross_mass_kg=4400)
    load = place_retail(client, make_user("buyer"), make_mine(), tonnage_kg=10_000).json["id"]
    assert grab(client, driver, light, load).status_code == 200


def test_carrier_records_a_drivers_papers_and_a_bad_id_number_is_a_400_naming_it(client):
    carrier = make_org("carrier").org_id
    boss, driver = make_user("carrier", org_id=carrier), make_user("driver", org_id=carrier)
    path = f"/api/fleet/drivers/{driver.user_id}/credentials"
    bad = client.put(path, json=dict(PAPERS, id_number="610821198003121112"), headers=headers_for(boss))
    assert bad.status_code == 400 and "id_number" in bad.json["error"]["details"]["fields"]
    good = client.put(path, json=PAPERS, headers=headers_for(boss))
    assert good.status_code == 200 and good.json["qualification_expires"] == "2030-05-01"
    assert client.get(path, headers=headers_for(driver)).json["id_number"] == PAPERS["id_number"]
    stranger = make_user("carrier", org_id=make_org("carrier").org_id)
    assert client.get(path, headers=headers_for(stranger)).status_code == 403


def test_a_vehicle_registered_with_a_wrong_vin_check_digit_is_refused(client):
    carrier = make_org("carrier").org_id
    boss = make_user("carrier", org_id=carrier)
    body = {"plate": "陕K7Q321", "plate_color": "yellow", "axles": 6, "tare_kg": 15000, "rated_load_kg": 34000}
    reply = client.post("/api/fleet/vehicles", json=dict(body, vin="1M8GDM9A1KP042788"), headers=headers_for(boss))
    assert reply.status_code == 400 and "vin" in reply.json["error"]["details"]["fields"]


def test_company_papers_and_the_fleet_certificate_list_show_what_expires_soon(client):
    carrier = make_org("carrier").org_id
    boss = make_user("carrier", org_id=carrier)
    company = {"credit_code": "91610821MA70HD0Q1J", "business_permit_no": "610821000318"}
    reply = client.put(
        "/api/fleet/company", json=dict(company, business_permit_expires="2030-01-01"), headers=headers_for(boss)
    )
    assert reply.status_code == 200 and reply.json["credit_code"] == company["credit_code"]
    bad = client.put(
        "/api/fleet/company",
        json=dict(company, credit_code="91610821MA70HD0Q1K", business_permit_expires="2030-01-01"),
        headers=headers_for(boss),
    )
    assert bad.status_code == 400 and "credit_code" in bad.json["error"]["details"]["fields"]
    from datetime import date, timedelta

    from backend.common.clock import now_ms, shanghai_date

    soon = (date.fromisoformat(shanghai_date(now_ms())) + timedelta(days=10)).isoformat()
    truck = make_vehicle(carrier, transport_cert_expires=soon)
    make_vehicle(carrier, transport_cert_expires="2001-01-01")
    rows = client.get("/api/fleet/certificates", headers=headers_for(boss)).json["items"]
    assert {"vehicle_id": truck.vehicle_id, "status": "expiring", "days_left": 10}.items() <= next(
        r for r in rows if r.get("vehicle_id") == truck.vehicle_id
    ).items()
    assert [r["status"] for r in rows].count("expired") == 1
