"""Demo certificates: every demo truck and driver carries valid papers, one truck's expire soon (the warning).

Filled in where missing, so a demo store kept in .data/ from before certificates existed gets them too.
"""

from datetime import date, timedelta

from backend.accounts import certificates
from backend.accounts import store as accounts_store
from backend.accounts.models import DriverCredential
from backend.common.clock import shanghai_date
from backend.seed import demo_data as data

# (first 17 characters of the USCC, 道路运输经营许可证 number) per demo carrier (Shenmu 610821, Yulin 610802).
CARRIER_PAPERS = {
    "org_car_sd": ("91610821MA70HD0Q1", "610821000318"),
    "org_car_jx": ("91610802MA70JX2K3", "610802000562"),
}
# (VIN body with a placeholder check digit, 道路运输证 number, energy type) per demo truck.
VEHICLE_PAPERS = {
    "veh_sd_1": ("LZZ5CLSB0KA100001", "610821100001", "B"),
    "veh_sd_2": ("LZZ5CLSB0KA100002", "610821100002", "B"),
    "veh_sd_3": ("LFWSRXPJ0KA200003", "610821100003", "E"),
    "veh_sd_4": ("LGWEF4A50KA300004", "610821100004", "C"),
    "veh_jx_1": ("LZZ5CLSB0KA400005", "610802200005", "B"),
    "veh_jx_2": ("LZZ5CLSB0KA400006", "610802200006", "B"),
    "veh_jx_3": ("LFWSRXPJ0KA500007", "610802200007", "B"),
}
SOON = "veh_jx_3"  # its 道路运输证 expires in 20 days: the fleet screen and the reminder job show it
ID_BODIES = ("61082119800312", "61082119830721", "61080219790105", "61080219860918", "61082119900227")


def _after(today, days):
    return (date.fromisoformat(today) + timedelta(days=days)).isoformat()


def load_certificates(now_ms):
    """Give demo carriers, trucks and drivers valid papers where they have none."""
    today = shanghai_date(now_ms)
    for org_id, (uscc_body, permit) in CARRIER_PAPERS.items():
        org = accounts_store.get_org(org_id)
        if org is not None and not org.business_permit_no:
            org.credit_code = certificates.uscc_with_check(uscc_body)
            org.business_permit_no, org.business_permit_expires = permit, _after(today, 3 * 365)
            accounts_store.save_org(org)
    for vehicle_id, (vin_body, cert_no, energy) in VEHICLE_PAPERS.items():
        vehicle = accounts_store.get_vehicle(vehicle_id)
        if vehicle is not None and not vehicle.transport_cert_no:
            vehicle.vin, vehicle.energy_type = certificates.vin_with_check(vin_body), energy
            vehicle.transport_cert_no = cert_no
            vehicle.transport_cert_expires = _after(today, 20 if vehicle_id == SOON else 2 * 365)
            vehicle.gross_mass_kg = vehicle.tare_kg + vehicle.rated_load_kg
            vehicle.save()
    drivers = [(uid, org) for uid, _, _, role, org, _ in data.USERS if role == "driver"]
    for (user_id, org_id), body in zip(drivers, ID_BODIES, strict=True):
        if accounts_store.get_credential(user_id) is None:
            number = certificates.id_with_check(body + user_id[-1] * 3)
            accounts_store.save_credential(
                DriverCredential(
                    user_id,
                    carrier_id=org_id,
                    id_number=number,
                    licence_class="A2",
                    licence_valid_until=_after(today, 5 * 365),
                    qualification_no=number,
                    qualification_expires=_after(today, 4 * 365),
                    updated_at=now_ms,
                )
            )
