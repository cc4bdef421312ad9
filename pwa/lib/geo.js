// Position helpers. Everything the app stores or sends is WGS-84 GeoJSON [lon, lat].

/**
 * Watch the phone's position; onFix({lon, lat, accuracy_m, at}) per fix, onError(err) on failure.
 * Returns the stop function. High accuracy because check-in geofences are a few hundred metres.
 */
export function watch(onFix, onError = () => {}, { maximumAge = 10000, timeout = 30000 } = {}) {
  if (!('geolocation' in navigator)) {
    onError(new Error('geolocation unavailable'));
    return () => {};
  }
  const id = navigator.geolocation.watchPosition(
    (p) => onFix({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy_m: p.coords.accuracy, at: p.timestamp }),
    onError, { enableHighAccuracy: true, maximumAge, timeout });
  return () => navigator.geolocation.clearWatch(id);
}

/** One fix as a promise. */
export function once(options = {}) {
  return new Promise((resolve, reject) => {
    const stop = watch((fix) => { stop(); resolve(fix); }, (e) => { stop(); reject(e); }, options);
  });
}

const EARTH_RADIUS_M = 6371008.8;
const rad = (deg) => (deg * Math.PI) / 180;

/** Great-circle distance in metres between two [lon, lat] points. */
export function haversine([lon1, lat1], [lon2, lat2]) {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

// GCJ-02 ("Mars coordinates"): map tiles from Chinese providers (AMap, Tencent) are drawn in this
// legally mandated offset datum, so a WGS-84 point lands 300-600 m off on them. Convert ONLY to draw
// on such tiles; never store or send GCJ-02 (the API and geofences are WGS-84).
const A = 6378245.0;
const EE = 0.00669342162296594323;

function outOfChina(lon, lat) {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function transformLat(x, y) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function transformLon(x, y) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** WGS-84 [lon, lat] -> GCJ-02 [lon, lat], for display on GCJ-02 tiles only. */
export function wgs84ToGcj02([lon, lat]) {
  if (outOfChina(lon, lat)) return [lon, lat];
  let dLat = transformLat(lon - 105, lat - 35);
  let dLon = transformLon(lon - 105, lat - 35);
  const radLat = rad(lat);
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}
