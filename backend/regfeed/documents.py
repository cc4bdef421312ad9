"""The canonical documents the province receives, built from plain facts (no reads here).

Field names follow the ministry's data-exchange access guide (交办运函〔2019〕1391号): WLHY_YD1001 the
electronic waybill, WLHY_ZJ1001 the fund flow, WLHY_CL1001 the vehicle, WLHY_JSY1001 the driver and
WLHY_WZ1001 positions. Times are Asia/Shanghai YYYYMMDDhhmmss, weights kg and money yuan, each with three
decimals as the guide's numeric(18,3) fields want. One waybill here is one truck: a bulk order on N trucks is
N waybills, so each document carries its own truck's net weight and freight (VehicleAmount 1).
"""

from datetime import UTC, datetime, timedelta

from backend.accounts.plates import COLOURS

VERSION = "2019-1"
NAMES = {
    "waybill": "WLHY_YD1001",
    "fund_flow": "WLHY_ZJ1001",
    "vehicle": "WLHY_CL1001",
    "driver": "WLHY_JSY1001",
    "positions": "WLHY_WZ1001",
}
# 车牌颜色代码 (JT/T 697.7): 1 blue, 2 yellow, 3 black, 4 white, 5 green, 93 yellow-green.
PLATE_COLOUR_CODES = {"blue": "1", "yellow": "2", "black": "3", "white": "4", "green": "5", "yellow_green": "93"}
assert set(PLATE_COLOUR_CODES) == set(COLOURS)
COAL_CARGO_CODE = "0100"  # 货物分类代码: 煤炭及制品
BUSINESS_TYPE = "1002996"  # 业务类型: 干线普货运输 (bulk cargo)
# 付款方式代码: 32 bank transfer, 42 fuel card (油卡), 31 third-party payment.
PAYMENT_MEANS = {"cash": "32", "fuel_card": "42", "provider": "31"}
_CST = timedelta(hours=8)


def stamp(ms):
    """Epoch ms as the guide's YYYYMMDDhhmmss in China time."""
    return (datetime.fromtimestamp(ms / 1000, UTC) + _CST).strftime("%Y%m%d%H%M%S")


def kg3(kg):
    return f"{kg:.3f}"


def yuan3(fen):
    return f"{fen / 100:.3f}"


def waybill_doc(f, *, sent_ms):
    """WLHY_YD1001 for one truck from its facts (`f`: regfeed.facts.WaybillFacts)."""
    w, vehicle, carrier = f.waybill, f.vehicle, f.carrier
    return {
        "OriginalDocumentNumber": w.order_id or w.waybill_id,
        "ShippingNoteNumber": w.waybill_id,
        "SerialNumber": "0000",
        "VehicleAmount": 1,
        "TransportTypeCode": 1,  # road
        "SendToProDateTime": stamp(sent_ms),
        "Carrier": carrier.name,
        "UnifiedSocialCreditIdentifier": carrier.credit_code,
        "PermitNumber": carrier.business_permit_no,
        "ConsignmentDateTime": stamp(w.created_at),
        "BusinessTypeCode": BUSINESS_TYPE,
        "DespatchActualDateTime": stamp(f.departed_at),
        "GoodsReceiptDateTime": stamp(f.received_at),
        "ConsignorInfo": {
            "Consignor": f.consignor_name,
            "ConsignorID": f.consignor_id,
            "PlaceOfLoading": f.mine_name,
            "CountrySubdivisionCode": f.load_county,
        },
        "ConsigneeInfo": {
            "Consignee": f.consignee_name,
            "ConsigneeID": f.consignee_id,
            "GoodsReceiptPlace": (w.destination or {}).get("address"),
            "CountrySubdivisionCode": f.unload_county,
        },
        "TotalMonetaryAmount": yuan3(f.freight_fen),
        "VehicleInfo": {
            "VehicleNumber": vehicle.plate,
            "VehiclePlateColorCode": PLATE_COLOUR_CODES.get(vehicle.plate_color),
            "DespatchActualDateTime": stamp(f.departed_at),
            "GoodsReceiptDateTime": stamp(f.received_at),
            "PlaceOfLoading": f.mine_name,
            "LoadingCountrySubdivisionCode": f.load_county,
            "GoodsReceiptPlace": (w.destination or {}).get("address"),
            "ReceiptCountrySubdivisionCode": f.unload_county,
            "Driver": [{"DriverName": f.driver_name, "DrivingLicense": f.credential and f.credential.id_number}],
            "GoodsInfo": [
                {
                    "DescriptionOfGoods": f.product_name,
                    "CargoTypeClassificationCode": COAL_CARGO_CODE,
                    "GoodsItemGrossWeight": kg3(w.net_kg or 0),
                }
            ],
        },
        "ActualCarrierInfo": {
            "ActualCarrierName": carrier.name,
            "ActualCarrierBusinessLicense": carrier.business_permit_no,
            "ActualCarrierID": carrier.credit_code,
        },
        "Remark": "",
    }


def fund_flow_doc(f, *, sent_ms):
    """WLHY_ZJ1001: what the platform paid the actual carrier for one truck, each payment with its serial."""
    return {
        "DocumentNumber": f"ZJ{f.waybill.waybill_id}",
        "SendToProDateTime": stamp(sent_ms),
        "Carrier": f.carrier.name,
        "ActualCarrierID": f.carrier.credit_code,
        "VehicleNumber": f.vehicle.plate,
        "VehiclePlateColorCode": PLATE_COLOUR_CODES.get(f.vehicle.plate_color),
        "ShippingNoteList": [
            {
                "ShippingNoteNumber": f.waybill.waybill_id,
                "SerialNumber": "0000",
                "TotalMonetaryAmount": yuan3(f.freight_fen),
            }
        ],
        "Financiallist": [
            {
                "PaymentMeansCode": PAYMENT_MEANS.get(p["means"], "32"),
                "Recipient": f.carrier.name,
                "ReceiptAccount": p["account"],
                "BankCode": p["bank"],
                "SequenceCode": p["serial"],
                "MonetaryAmount": yuan3(p["fen"]),
                "DateTime": stamp(p["at"]),
            }
            for p in f.payments
        ],
        "Remark": "",
    }


def vehicle_doc(vehicle, *, carrier_name):
    """WLHY_CL1001: a truck and its 道路运输证."""
    return {
        "VehicleNumber": vehicle.plate,
        "VehiclePlateColorCode": PLATE_COLOUR_CODES.get(vehicle.plate_color),
        "VehicleType": vehicle.vehicle_type,
        "Owner": carrier_name,
        "VIN": vehicle.vin,
        "VehicleEnergyType": vehicle.energy_type,
        "VehicleTonnage": kg3(vehicle.rated_load_kg / 1000),  # 核定载质量 in tonnes
        "GrossMass": kg3((vehicle.gross_mass_kg or vehicle.tare_kg + vehicle.rated_load_kg) / 1000),
        "RoadTransportCertificateNumber": vehicle.transport_cert_no,
        "RoadTransportCertificateValidPeriodTo": (vehicle.transport_cert_expires or "").replace("-", ""),
        "Remark": "",
    }


def driver_doc(user, credential):
    """WLHY_JSY1001: a driver, their licence and 从业资格证."""
    return {
        "DriverName": user.name,
        "DrivingLicense": credential.id_number,
        "VehicleClass": credential.licence_class,
        "ValidPeriodTo": credential.licence_valid_until.replace("-", ""),
        "QualificationCertificate": credential.qualification_no,
        "QualificationValidPeriodTo": credential.qualification_expires.replace("-", ""),
        "Telephone": user.phone,
        "Remark": "",
    }


def positions_doc(f, *, sent_ms):
    """WLHY_WZ1001: the driver's phone at departure and delivery (with consent) and the sampled terminal track."""
    return {
        "ShippingNoteNumber": f.waybill.waybill_id,
        "VehicleNumber": f.vehicle.plate,
        "VehiclePlateColorCode": PLATE_COLOUR_CODES.get(f.vehicle.plate_color),
        "SendToProDateTime": stamp(sent_ms),
        "PositionList": [
            {"Source": source, "Longitude": f"{lon:.6f}", "Latitude": f"{lat:.6f}", "DateTime": stamp(at)}
            for source, lon, lat, at in f.positions
        ],
    }
