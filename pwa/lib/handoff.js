// Hand-offs to the phone's own apps: a call (tel:) and turn-by-turn navigation in its map app.
// Points stay WGS-84 everywhere in the app; AMap wants GCJ-02, so the conversion happens here, for the link only.
import { wgs84ToGcj02 } from './geo.js';

const six = (n) => Number(n).toFixed(6);

/** A tel: link for a phone number as people write it ("138 0000 0011", "+86-..."); '' when there is none. */
export function telHref(phone) {
  const digits = String(phone || '').replace(/[^\d+]/g, '');
  return digits ? `tel:${digits}` : '';
}

/**
 * Navigation links to a WGS-84 [lon, lat] point, named `name`:
 * amap - AMap's URI API (GCJ-02, coordinate=gaode); opens the AMap app when installed (callnative=1), else its web map;
 * amapApp - the AMap app's own scheme on Android; geo - any other map app (RFC 5870, WGS-84).
 */
export function mapLinks(point, name = '') {
  const [lon, lat] = point;
  const [glon, glat] = wgs84ToGcj02([lon, lat]);
  const label = encodeURIComponent(name || '');
  return {
    amap: `https://uri.amap.com/navigation?to=${six(glon)},${six(glat)},${label}&mode=car&coordinate=gaode&callnative=1&src=coalhaul`,
    amapMarker: `https://uri.amap.com/marker?position=${six(glon)},${six(glat)}&name=${label}&coordinate=gaode&callnative=1&src=coalhaul`,
    amapApp: `androidamap://navi?sourceApplication=coalhaul&poiname=${label}&lat=${six(glat)}&lon=${six(glon)}&dev=0&style=2`,
    geo: `geo:${six(lat)},${six(lon)}?q=${six(lat)},${six(lon)}(${label})`,
  };
}
