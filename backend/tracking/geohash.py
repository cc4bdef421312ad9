"""Geohash cells: the live map's partition keys, and the cells that cover a bounding box."""

_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"


def encode(lon, lat, precision):
    """The geohash of a point at `precision` characters."""
    lon_lo, lon_hi, lat_lo, lat_hi = -180.0, 180.0, -90.0, 90.0
    chars, bits, value, even = [], 0, 0, True
    while len(chars) < precision:
        if even:
            mid = (lon_lo + lon_hi) / 2
            value, lon_lo, lon_hi = (value * 2 + 1, mid, lon_hi) if lon >= mid else (value * 2, lon_lo, mid)
        else:
            mid = (lat_lo + lat_hi) / 2
            value, lat_lo, lat_hi = (value * 2 + 1, mid, lat_hi) if lat >= mid else (value * 2, lat_lo, mid)
        even, bits = not even, bits + 1
        if bits == 5:
            chars.append(_BASE32[value])
            bits, value = 0, 0
    return "".join(chars)


def cell_size(precision):
    """(width in degrees of longitude, height in degrees of latitude) of a cell."""
    lon_bits = (5 * precision + 1) // 2
    lat_bits = 5 * precision // 2
    return 360.0 / (1 << lon_bits), 180.0 / (1 << lat_bits)


def bounds(cell):
    """(west, south, east, north) of a cell."""
    lon_lo, lon_hi, lat_lo, lat_hi, even = -180.0, 180.0, -90.0, 90.0, True
    for char in cell:
        value = _BASE32.index(char)
        for shift in range(4, -1, -1):
            bit = (value >> shift) & 1
            if even:
                mid = (lon_lo + lon_hi) / 2
                lon_lo, lon_hi = (mid, lon_hi) if bit else (lon_lo, mid)
            else:
                mid = (lat_lo + lat_hi) / 2
                lat_lo, lat_hi = (mid, lat_hi) if bit else (lat_lo, mid)
            even = not even
    return lon_lo, lat_lo, lon_hi, lat_hi


def covering(west, south, east, north, precision, limit):
    """The cells at `precision` covering a box, or None when there would be more than `limit`."""
    width, height = cell_size(precision)
    cols = int((east - west) / width) + 2
    rows = int((north - south) / height) + 2
    if cols * rows > limit * 4:
        return None
    cells = set()
    lat = south
    while True:
        lon = west
        while True:
            cells.add(encode(min(lon, east), min(lat, north), precision))
            if lon >= east:
                break
            lon += width
        if lat >= north:
            break
        lat += height
    return sorted(cells) if len(cells) <= limit else None
