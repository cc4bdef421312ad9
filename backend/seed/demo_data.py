"""The demo world: three mines near Shenmu (Yulin, Shaanxi), their coal, and the people who haul it.

Ids are fixed so loading twice changes nothing. Every demo password is DEMO_PASSWORD.
"""

DEMO_PASSWORD = "coalhaul123"

# Gate points are plausible WGS-84 positions of each mine's weighbridge gate.
MINES = [
    {
        "mine_id": "mine_hll",
        "gate_phone": "0912-8461001",  # the gate's duty phone (drivers call it from their current load)
        "sales_org": "org_shp_yl",  # the shipper selling its coal retail (buyers' orders belong to it)
        "name": "红柳林煤矿",
        "name_en": "Hongliulin",
        "gate": (110.3302, 38.9326),
        "lanes": 4,
        "per_hour": 6,
        "avg_load": 34000,
    },
    {
        "mine_id": "mine_ntt",
        "gate_phone": "0912-8462001",  # the gate's duty phone (drivers call it from their current load)
        "sales_org": "org_shp_yl",  # the shipper selling its coal retail (buyers' orders belong to it)
        "name": "柠条塔煤矿",
        "name_en": "Ningtiaota",
        "gate": (110.2718, 38.9841),
        "lanes": 5,
        "per_hour": 6,
        "avg_load": 34000,
    },
    {
        "mine_id": "mine_xbd",
        "gate_phone": "0912-8463001",  # the gate's duty phone (drivers call it from their current load)
        "sales_org": "org_shp_sm",  # the shipper selling its coal retail (buyers' orders belong to it)
        "name": "小保当煤矿",
        "name_en": "Xiaobaodang",
        "gate": (109.8012, 38.8617),
        "lanes": 3,
        "per_hour": 8,
        "avg_load": 33000,
    },
]

# (product_id, 中文, English, price fen per tonne, kcal/kg)
PRODUCTS = [
    ("lump", "块煤", "Lump coal", 86000, 6200),
    ("raw", "原煤", "Run-of-mine coal", 62000, 5800),
    ("mixed", "混煤", "Blended coal", 56000, 5500),
    ("washed_lump", "洗大块", "Washed large lump", 98000, 6500),
]

ORGS = [
    {"org_id": "org_shp_yl", "kind": "shipper", "name": "榆林市能源煤炭运销有限公司"},
    {"org_id": "org_shp_sm", "kind": "shipper", "name": "神木市恒通煤炭贸易有限公司"},
    {"org_id": "org_shp_fg", "kind": "shipper", "name": "府谷县鑫源商贸有限公司"},
    {"org_id": "org_car_sd", "kind": "carrier", "name": "神木市顺达物流有限公司"},
    {"org_id": "org_car_jx", "kind": "carrier", "name": "榆林市聚鑫运输有限公司"},
]

# (user_id, phone, name, role, org_id, mine_id)
USERS = [
    ("u_admin", "13800000001", "系统管理员", "admin", None, None),
    ("u_dispatch", "13800000002", "调度中心 王敏", "dispatcher", None, None),
    ("u_gate_hll", "13800000011", "红柳林门岗 李强", "gate", None, "mine_hll"),
    ("u_gate_ntt", "13800000012", "柠条塔门岗 张伟", "gate", None, "mine_ntt"),
    ("u_gate_xbd", "13800000013", "小保当门岗 刘洋", "gate", None, "mine_xbd"),
    ("u_shp_yl", "13800000021", "能源运销 赵静", "shipper", "org_shp_yl", None),
    ("u_shp_sm", "13800000022", "恒通贸易 孙丽", "shipper", "org_shp_sm", None),
    ("u_shp_fg", "13800000023", "鑫源商贸 周杰", "shipper", "org_shp_fg", None),
    ("u_car_sd", "13800000031", "顺达物流 吴刚", "carrier", "org_car_sd", None),
    ("u_car_jx", "13800000032", "聚鑫运输 郑涛", "carrier", "org_car_jx", None),
    ("u_drv_1", "13900000001", "司机 马建国", "driver", "org_car_sd", None),
    ("u_drv_2", "13900000002", "司机 高志强", "driver", "org_car_sd", None),
    ("u_drv_3", "13900000003", "司机 白云飞", "driver", "org_car_sd", None),
    ("u_drv_4", "13900000004", "司机 贺军", "driver", "org_car_jx", None),
    ("u_drv_5", "13900000005", "司机 杨二虎", "driver", "org_car_jx", None),
    ("u_buy_1", "13700000001", "神木兴旺砖厂 陈老板", "buyer", None, None),
    ("u_buy_2", "13700000002", "大柳塔镇供暖站 刘站长", "buyer", None, None),
]

# (vehicle_id, carrier, plate, colour, axles, tare kg, rated load kg, terminal id, body colour)
VEHICLES = [
    ("veh_sd_1", "org_car_sd", "陕K3A612", "yellow", 6, 15200, 33800, "T13010001", "red"),
    ("veh_sd_2", "org_car_sd", "陕K58D21", "yellow", 6, 15600, 33400, "T13010002", "blue"),
    ("veh_sd_3", "org_car_sd", "陕K7C309", "yellow", 5, 14100, 28900, "T13010003", "red"),
    ("veh_sd_4", "org_car_sd", "陕KD12345", "green", 2, 1800, 1200, None, "white"),
    ("veh_jx_1", "org_car_jx", "陕K9B880", "yellow", 6, 15400, 33600, "T13020001", "yellow"),
    ("veh_jx_2", "org_car_jx", "陕K12356", "yellow", 6, 16000, 33000, "T13020002", "white"),
    ("veh_jx_3", "org_car_jx", "陕K86E73", "yellow", 4, 12500, 18500, "T13020003", "red"),
]
