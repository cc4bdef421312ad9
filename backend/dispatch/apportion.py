"""Largest-remainder apportionment of a mine's daily trucks among shippers (均衡拉运).

Each shipper's exact share is capacity × its remaining volume / everyone's remaining volume,
capped by its own remaining volume (when everyone together wants no more than the capacity,
everyone simply gets what they want). Each gets the whole part of its share; the trucks left
over go one each to the largest remainders.

Tie rule (documented, deterministic, independent of input order): larger remainder first, then
larger remaining volume, then the smaller shipper id (plain string order).
All arithmetic is on integers, so equal remainders really are equal.
"""


def apportion(capacity_trucks, remaining_trucks):
    """{shipper_id: quota} from the day's truck capacity and {shipper_id: remaining volume in trucks}."""
    if capacity_trucks < 0:
        raise ValueError("capacity cannot be negative")
    if any(v < 0 for v in remaining_trucks.values()):
        raise ValueError("remaining volume cannot be negative")
    demand = {s: v for s, v in remaining_trucks.items() if v > 0}
    total = sum(demand.values())
    if total <= capacity_trucks:
        return {s: remaining_trucks[s] if s in demand else 0 for s in remaining_trucks}
    quotas, remainders = {}, {}
    for shipper, volume in demand.items():
        quotas[shipper], remainders[shipper] = divmod(capacity_trucks * volume, total)
    left_over = capacity_trucks - sum(quotas.values())
    order = sorted(demand, key=lambda s: (-remainders[s], -demand[s], s))
    for shipper in order[:left_over]:
        quotas[shipper] += 1
    return {s: quotas.get(s, 0) for s in remaining_trucks}
