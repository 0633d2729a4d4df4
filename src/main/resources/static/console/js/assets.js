// Live assets: the latest position of each, from the live positions stream (a snapshot, then what
// moved and what left the view), coloured by state, clustered, with an asset's details on click.

/* global maplibregl */

import { get, getAll, describe } from './api.js';
import { stream } from './sse.js';
import { setData, STATE_COLOURS } from './map.js';
import { bounds } from './geo.js';

const MOVING_SPEED = 0.5; // m/s: slower is standing still (GPS noise)
const latest = new Map(); // assetId -> Feature
const names = new Map(); // assetId -> asset
let staleAfterMs = 15 * 60 * 1000;

/** moving, stopped or stale, from the fix's speed and age. */
export function stateOf(properties, now = Date.now()) {
  if (now - Date.parse(properties.time) > staleAfterMs) return 'stale';
  return (properties.speed || 0) > MOVING_SPEED ? 'moving' : 'stopped';
}

export const features = () => [...latest.values()];
/** The asset's name; until its record is loaded, the external id an event carries, or the id's start. */
export const assetName = (id, externalId) => (names.get(id) ? names.get(id).name : externalId || (id ? id.slice(0, 8) : ''));

export function createAssets({ map, panel, onSelect, status }) {
  let fitted = false;

  const render = () => {
    const now = Date.now();
    const list = features().map((f) => ({ ...f, properties: { ...f.properties, state: stateOf(f.properties, now), name: assetName(f.properties.assetId) } }));
    setData(map, 'assets', { type: 'FeatureCollection', features: list });
    renderList(list);
    if (!fitted && list.length) {
      fitted = true;
      const [w, s, e, n] = bounds(list.map((f) => f.geometry.coordinates));
      map.fitBounds([[w, s], [e, n]], { padding: 80, maxZoom: 14, duration: 0 });
    }
  };

  const renderList = (list) => {
    const ul = panel.querySelector('#asset-list');
    const counts = { moving: 0, stopped: 0, stale: 0 };
    list.forEach((f) => counts[f.properties.state]++);
    panel.querySelector('#asset-counts').textContent =
      `${list.length} assets: ${counts.moving} moving, ${counts.stopped} stopped, ${counts.stale} stale`;
    const sorted = list.sort((a, b) => a.properties.name.localeCompare(b.properties.name)).slice(0, 300);
    ul.replaceChildren(...sorted.map((f) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'row';
      button.dataset.assetId = f.properties.assetId;
      const dot = document.createElement('span');
      dot.className = 'dot';
      dot.style.background = STATE_COLOURS[f.properties.state];
      button.append(dot, `${f.properties.name} — ${f.properties.state}`);
      button.addEventListener('click', () => select(f.properties.assetId, true));
      li.append(button);
      return li;
    }));
  };

  const merge = (collection) => {
    // Assets that left the view (moved out, removed, or no longer visible to this user).
    for (const id of collection.removed || []) latest.delete(id);
    for (const feature of collection.features || []) {
      const id = feature.properties.assetId;
      const known = latest.get(id);
      if (!known || Date.parse(known.properties.time) <= Date.parse(feature.properties.time)) latest.set(id, feature);
      if (!names.has(id)) loadName(id);
    }
    render();
  };

  const loadName = async (id) => {
    names.set(id, null);
    try {
      names.set(id, await get(`/api/v1/assets/${id}`));
      render();
    } catch {
      names.delete(id);
    }
  };

  const select = async (assetId, fly) => {
    const feature = latest.get(assetId);
    if (fly && feature) map.flyTo({ center: feature.geometry.coordinates, zoom: Math.max(map.getZoom(), 13) });
    onSelect(assetId);
    const details = panel.querySelector('#asset-details');
    details.hidden = false;
    details.querySelector('h3').textContent = assetName(assetId);
    const dl = details.querySelector('dl');
    dl.replaceChildren();
    try {
      const asset = await get(`/api/v1/assets/${assetId}`);
      names.set(assetId, asset);
      details.querySelector('h3').textContent = asset.name;
      const p = feature ? feature.properties : {};
      const rows = [
        ['External id', asset.externalId], ['Type', asset.type], ['Tags', asset.tags.join(', ') || '—'],
        ['State', feature ? stateOf(p) : 'no position'], ['Last fix', p.time ? new Date(p.time).toLocaleString() : '—'],
        ['Speed', p.speed != null ? `${(p.speed * 3.6).toFixed(1)} km/h` : '—'],
        ['Position', feature ? feature.geometry.coordinates.map((c) => c.toFixed(5)).join(', ') : '—'],
        ['Attributes', Object.keys(asset.attributes || {}).length ? JSON.stringify(asset.attributes) : '—'],
      ];
      for (const [term, value] of rows) {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = value;
        dl.append(dt, dd);
      }
      details.dataset.assetId = assetId;
      details.querySelector('h3').focus();
    } catch (error) {
      status(describe(error));
    }
  };

  map.on('click', 'assets', (event) => select(event.features[0].properties.assetId, false));
  map.on('click', 'clusters', async (event) => {
    const feature = event.features[0];
    const zoom = await map.getSource('assets').getClusterExpansionZoom(feature.properties.cluster_id);
    map.easeTo({ center: feature.geometry.coordinates, zoom });
  });
  for (const layer of ['assets', 'clusters']) {
    map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''));
  }
  const popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, offset: 10 });
  map.on('mousemove', 'assets', (event) => {
    const p = event.features[0].properties;
    popup.setLngLat(event.features[0].geometry.coordinates).setText(`${p.name} (${p.state})`).addTo(map);
  });
  map.on('mouseleave', 'assets', () => popup.remove());

  const start = async (signal) => {
    try {
      const rules = await get('/api/v1/asset-rules');
      if (rules && rules.staleAfter) staleAfterMs = parseDuration(rules.staleAfter) || staleAfterMs;
    } catch {
      // Without zones:read the default stale threshold stays.
    }
    try {
      for (const asset of await getAll('/api/v1/assets', 5000)) names.set(asset.id, asset);
    } catch (error) {
      status(describe(error));
    }
    stream('/api/v1/positions/latest/stream', {
      signal,
      onMessage: (message) => {
        if (message.event === 'snapshot') latest.clear();
        if (message.event === 'snapshot' || message.event === 'positions') merge(JSON.parse(message.data));
      },
      onError: (error) => status(`Positions stream: ${describe(error)}; reconnecting`),
    });
    // Ages the states (moving, stopped, stale) of assets that send nothing.
    setInterval(() => !signal.aborted && render(), 30000);
  };


  return { start, select, latest: (id) => latest.get(id) };
}

/** Milliseconds of an ISO-8601 duration such as PT15M or P1DT2H. */
export function parseDuration(text) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(text);
  if (!m) return null;
  const [, d = 0, h = 0, min = 0, s = 0] = m;
  return (((+d * 24 + +h) * 60 + +min) * 60 + +s) * 1000;
}
