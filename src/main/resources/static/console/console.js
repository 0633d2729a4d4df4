// Offline base map: Natural Earth countries (world-atlas), converted from TopoJSON in the browser.
maplibregl.setWorkerUrl('vendor/maplibre-gl/dist/maplibre-gl-csp-worker.js');
const config = await (await fetch('config.json')).json();
const sources = {};
const layers = [{ id: 'background', type: 'background', paint: { 'background-color': '#cfe3f0' } }];
if (config.tileUrl) {
  sources.tiles = { type: 'raster', tiles: [config.tileUrl], tileSize: 256, attribution: config.tileAttribution || '' };
  layers.push({ id: 'tiles', type: 'raster', source: 'tiles' });
} else {
  const world = await (await fetch('vendor/world-atlas/countries-50m.json')).json();
  sources.countries = { type: 'geojson', data: topojson.feature(world, world.objects.countries),
    attribution: 'Natural Earth' };
  sources.borders = { type: 'geojson', data: topojson.mesh(world, world.objects.countries, (a, b) => a !== b) };
  layers.push({ id: 'land', type: 'fill', source: 'countries', paint: { 'fill-color': '#f4f1ea' } });
  layers.push({ id: 'borders', type: 'line', source: 'borders', paint: { 'line-color': '#b9a99a', 'line-width': 1 } });
}
window.sextantMap = new maplibregl.Map({
  container: 'map', center: [4.85, 45.76], zoom: 5,
  style: { version: 8, sources, layers },
});
