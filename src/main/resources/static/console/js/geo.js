// Small spherical geometry for drawing: circles and corridors as the API reads them (great-circle
// distances on a sphere of radius 6,371,008.8 m).

const R = 6371008.8;
const rad = (d) => (d * Math.PI) / 180;
const deg = (r) => (r * 180) / Math.PI;

/** The point at distance metres and bearing degrees from [lon, lat]. */
export function destination([lon, lat], metres, bearing) {
  const d = metres / R;
  const b = rad(bearing);
  const p1 = rad(lat);
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = rad(lon) + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [((deg(l2) + 540) % 360) - 180, deg(p2)];
}

/** Great-circle distance in metres. */
export function distance([lon1, lat1], [lon2, lat2]) {
  const dp = rad(lat2 - lat1);
  const dl = rad(lon2 - lon1);
  const a = Math.sin(dp / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dl / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** A circle as a 64-sided polygon. */
export function circlePolygon(center, radiusMeters) {
  const ring = [];
  for (let i = 0; i <= 64; i++) ring.push(destination(center, radiusMeters, (i * 360) / 64));
  return { type: 'Polygon', coordinates: [ring] };
}

/** Line width in pixels at zoom 0 for a width in metres at a latitude (512-pixel world). */
export function pixelsAtZoom0(metres, lat) {
  return metres / ((40075016.686 * Math.cos(rad(lat))) / 512);
}

/** The [west, south, east, north] box of a list of [lon, lat]. */
export function bounds(points) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    b[0] = Math.min(b[0], x);
    b[1] = Math.min(b[1], y);
    b[2] = Math.max(b[2], x);
    b[3] = Math.max(b[3], y);
  }
  return b;
}
