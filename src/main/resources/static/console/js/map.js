// The map: the offline base map (Natural Earth land and borders on water) or the configured raster
// tiles, and the empty sources and layers the views fill.

/* global maplibregl, topojson */

const EMPTY = { type: 'FeatureCollection', features: [] };
export const STATE_COLOURS = { moving: '#1a7f37', stopped: '#0b5cad', stale: '#8c959f' };

/**
 * world-atlas is spherical: a ring crossing the antimeridian jumps from 180 to -180, which a flat
 * map draws as a sliver around the whole world (Fiji, Chukotka). Longitudes are made continuous
 * instead (MapLibre draws beyond ±180), and a ring that goes round a pole (Antarctica) is closed
 * through that pole.
 */
function unwrapRing(ring, closed) {
  const out = [];
  let offset = 0;
  for (const [lon, lat] of ring) {
    if (out.length) {
      const step = lon + offset - out[out.length - 1][0];
      if (step > 180) offset -= 360;
      else if (step < -180) offset += 360;
    }
    out.push([lon + offset, lat]);
  }
  if (closed && Math.abs(out[out.length - 1][0] - out[0][0]) > 180) {
    const pole = out[0][1] < 0 ? -90 : 90;
    out.push([out[out.length - 1][0], pole], [out[0][0], pole], out[0]);
  }
  return out;
}

function unwrapGeometry(geometry) {
  const { type, coordinates } = geometry;
  if (type === 'Polygon') return { type, coordinates: coordinates.map((r) => unwrapRing(r, true)) };
  if (type === 'MultiPolygon') return { type, coordinates: coordinates.map((p) => p.map((r) => unwrapRing(r, true))) };
  if (type === 'LineString') return { type, coordinates: unwrapRing(coordinates, false) };
  if (type === 'MultiLineString') return { type, coordinates: coordinates.map((l) => unwrapRing(l, false)) };
  return geometry;
}

function unwrapped(geojson) {
  if (geojson.type === 'FeatureCollection') return { ...geojson, features: geojson.features.map(unwrapped) };
  if (geojson.type === 'Feature') return { ...geojson, geometry: unwrapGeometry(geojson.geometry) };
  return unwrapGeometry(geojson);
}

async function baseStyle(config) {
  const sources = {};
  const layers = [{ id: 'background', type: 'background', paint: { 'background-color': '#cfe3f0' } }];
  if (config.tileUrl) {
    sources.tiles = { type: 'raster', tiles: [config.tileUrl], tileSize: 256, attribution: config.tileAttribution || '' };
    layers.push({ id: 'tiles', type: 'raster', source: 'tiles' });
  } else {
    const [land, countries] = await Promise.all(
      ['land-50m.json', 'countries-50m.json'].map(async (file) => (await fetch(`vendor/world-atlas/${file}`)).json()),
    );
    sources.land = { type: 'geojson', data: unwrapped(topojson.feature(land, land.objects.land)), attribution: 'Natural Earth' };
    sources.borders = { type: 'geojson', data: unwrapped(topojson.mesh(countries, countries.objects.countries, (a, b) => a !== b)) };
    layers.push({ id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': '#f4f1ea' } });
    layers.push({ id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#a89584', 'line-width': 0.8 } });
  }
  return { version: 8, sources, layers };
}

function addOverlays(map) {
  const source = (id, extra = {}) => map.addSource(id, { type: 'geojson', data: EMPTY, ...extra });
  source('zones');
  source('corridors');
  source('history');
  source('track');
  source('track-marker');
  source('draft');
  source('assets', { cluster: true, clusterRadius: 40, clusterMaxZoom: 12, promoteId: 'assetId' });

  const occupied = ['boolean', ['get', 'occupied'], false];
  map.addLayer({ id: 'zones-fill', type: 'fill', source: 'zones',
    paint: { 'fill-color': ['case', occupied, '#d97706', '#6f42c1'], 'fill-opacity': ['case', ['boolean', ['get', 'selected'], false], 0.35, 0.18] } });
  map.addLayer({ id: 'zones-line', type: 'line', source: 'zones',
    paint: { 'line-color': ['case', occupied, '#b45309', '#6f42c1'], 'line-width': ['case', occupied, 3, 1.5] } });
  const width = ['interpolate', ['exponential', 2], ['zoom'], 0, ['get', 'px0'], 24, ['*', ['get', 'px0'], 2 ** 24]];
  map.addLayer({ id: 'corridors-band', type: 'line', source: 'corridors', layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': ['case', occupied, '#d97706', '#6f42c1'], 'line-opacity': 0.25, 'line-width': width } });
  map.addLayer({ id: 'corridors-axis', type: 'line', source: 'corridors',
    paint: { 'line-color': ['case', occupied, '#b45309', '#6f42c1'], 'line-width': 1.5, 'line-dasharray': [2, 2] } });

  map.addLayer({ id: 'history-points', type: 'circle', source: 'history',
    paint: { 'circle-radius': 3, 'circle-color': '#c2185b', 'circle-stroke-color': '#fff', 'circle-stroke-width': 0.5 } });
  map.addLayer({ id: 'track-line', type: 'line', source: 'track', paint: { 'line-color': '#c2185b', 'line-width': 3 } });
  map.addLayer({ id: 'track-marker', type: 'circle', source: 'track-marker',
    paint: { 'circle-radius': 7, 'circle-color': '#c2185b', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });

  map.addLayer({ id: 'clusters', type: 'circle', source: 'assets', filter: ['has', 'point_count'],
    paint: { 'circle-color': '#0b5cad', 'circle-opacity': 0.85, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2,
      'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 14, 50, 22, 500, 30] } });
  map.addLayer({ id: 'assets', type: 'circle', source: 'assets', filter: ['!', ['has', 'point_count']],
    paint: { 'circle-radius': 7, 'circle-stroke-color': '#fff', 'circle-stroke-width': 2,
      'circle-color': ['match', ['get', 'state'], 'moving', STATE_COLOURS.moving, 'stale', STATE_COLOURS.stale, STATE_COLOURS.stopped] } });

  map.addLayer({ id: 'draft-fill', type: 'fill', source: 'draft', filter: ['==', ['geometry-type'], 'Polygon'],
    paint: { 'fill-color': '#e36209', 'fill-opacity': 0.2 } });
  map.addLayer({ id: 'draft-line', type: 'line', source: 'draft', paint: { 'line-color': '#e36209', 'line-width': 2 } });
}

/** Shows the number of assets in each cluster as an HTML marker (no glyphs are available offline). */
function clusterCounts(map) {
  let markers = new Map();
  const update = () => {
    const next = new Map();
    for (const feature of map.querySourceFeatures('assets', { filter: ['has', 'point_count'] })) {
      const id = feature.properties.cluster_id;
      if (next.has(id)) continue;
      let marker = markers.get(id);
      if (!marker) {
        const element = document.createElement('div');
        element.className = 'cluster-count';
        element.textContent = feature.properties.point_count_abbreviated;
        element.setAttribute('aria-hidden', 'true');
        marker = new maplibregl.Marker({ element }).setLngLat(feature.geometry.coordinates).addTo(map);
      }
      next.set(id, marker);
    }
    for (const [id, marker] of markers) if (!next.has(id)) marker.remove();
    markers = next;
  };
  map.on('moveend', update);
  map.on('sourcedata', (event) => event.sourceId === 'assets' && event.isSourceLoaded && update());
}

/** Creates the map in container and resolves once its style and overlays are ready. */
export async function createMap(container, config) {
  maplibregl.setWorkerUrl('vendor/maplibre-gl/dist/maplibre-gl-csp-worker.js');
  const map = new maplibregl.Map({ container, style: await baseStyle(config), center: [10, 30], zoom: 1.5,
    attributionControl: { compact: false } });
  map.addControl(new maplibregl.NavigationControl(), 'top-right');
  map.addControl(new maplibregl.ScaleControl(), 'bottom-right');
  await new Promise((resolve) => (map.loaded() ? resolve() : map.once('load', resolve)));
  addOverlays(map);
  clusterCounts(map);
  return map;
}

export function setData(map, source, data) {
  map.getSource(source).setData(data || EMPTY);
}
