// Area-and-window history: draw a rectangle, choose a window, and show every position in it
// (GET /api/v1/positions/history?bbox&from&to).

/* global maplibregl */

import { get, describe } from './api.js';
import { setData } from './map.js';

const localInput = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

export function createHistory({ map, panel, status }) {
  const form = panel.querySelector('#history-form');
  const result = panel.querySelector('#history-result');
  let corners = [];
  let drawing = false;
  let box = null;

  const now = new Date();
  form.elements.from.value = localInput(new Date(now.getTime() - 24 * 3600 * 1000));
  form.elements.to.value = localInput(new Date(now.getTime() + 60000));

  const showBox = () => {
    const features = [];
    if (box) {
      const [w, s, e, n] = box;
      features.push({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } });
    }
    setData(map, 'draft', { type: 'FeatureCollection', features });
    form.elements.bbox.value = box ? box.map((v) => v.toFixed(5)).join(',') : '';
  };

  panel.querySelector('#draw-rectangle').addEventListener('click', () => {
    drawing = true;
    corners = [];
    map.getCanvas().style.cursor = 'crosshair';
    status('Click two opposite corners of the area on the map.');
  });
  map.on('click', (event) => {
    if (!drawing) return;
    corners.push([event.lngLat.lng, event.lngLat.lat]);
    if (corners.length === 2) {
      drawing = false;
      map.getCanvas().style.cursor = '';
      const [[x1, y1], [x2, y2]] = corners;
      box = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)];
      showBox();
      form.elements.from.focus();
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const bbox = form.elements.bbox.value.trim();
    if (!bbox) {
      status('Draw a rectangle first (or type west,south,east,north).');
      return;
    }
    const from = new Date(form.elements.from.value).toISOString();
    const to = new Date(form.elements.to.value).toISOString();
    try {
      const answer = await get(`/api/v1/positions/history?bbox=${encodeURIComponent(bbox)}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=5000`);
      setData(map, 'history', answer);
      const assets = new Set((answer.features || []).map((f) => f.properties.assetId));
      result.textContent = `${answer.features.length} positions of ${assets.size} assets${answer.nextCursor ? ' (first 5,000)' : ''}.`;
    } catch (error) {
      result.textContent = describe(error);
    }
  });
  form.querySelector('.clear').addEventListener('click', () => {
    box = null;
    showBox();
    setData(map, 'history', null);
    result.textContent = '';
  });
}
