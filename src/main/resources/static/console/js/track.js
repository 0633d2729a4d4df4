// An asset's track over a window (GET /api/v1/assets/{id}/track) with a time slider moving a marker.

import { get, describe } from './api.js';
import { setData } from './map.js';
import { bounds } from './geo.js';

const localInput = (date) => new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

export function createTrack({ map, panel, status }) {
  const form = panel.querySelector('#track-form');
  const slider = form.querySelector('#track-slider');
  const label = form.querySelector('#track-time');
  let line = null;

  const reset = () => {
    const now = new Date();
    form.elements.from.value = localInput(new Date(now.getTime() - 3600 * 1000));
    form.elements.to.value = localInput(new Date(now.getTime() + 60000));
  };
  reset();

  const moveMarker = () => {
    if (!line) return;
    const i = Number(slider.value);
    const coordinates = line.geometry.coordinates[i];
    setData(map, 'track-marker', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates }, properties: {} }] });
    const time = line.properties.times ? line.properties.times[i] : null;
    label.textContent = time ? new Date(time).toLocaleString() : '';
    slider.setAttribute('aria-valuetext', label.textContent);
  };
  slider.addEventListener('input', moveMarker);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const assetId = panel.querySelector('#asset-details').dataset.assetId;
    const from = new Date(form.elements.from.value).toISOString();
    const to = new Date(form.elements.to.value).toISOString();
    try {
      const answer = await get(`/api/v1/assets/${assetId}/track?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
      const features = answer.features || (answer.type === 'Feature' ? [answer] : []);
      // Several fixes come as a LineString, a single one as a MultiPoint; both carry times.
      line = features.find((f) => f.geometry && ['LineString', 'MultiPoint'].includes(f.geometry.type)) || null;
      if (line) line = { ...line, geometry: { type: 'LineString', coordinates: line.geometry.coordinates } };
      if (!line || line.geometry.coordinates.length === 0) {
        clear();
        status('No positions in that window.');
        return;
      }
      setData(map, 'track', { type: 'FeatureCollection', features: [line] });
      slider.max = String(line.geometry.coordinates.length - 1);
      slider.value = slider.max;
      slider.disabled = false;
      moveMarker();
      const [w, s, e, n] = bounds(line.geometry.coordinates);
      map.fitBounds([[w, s], [e, n]], { padding: 80, maxZoom: 16 });
      status(`Track: ${line.geometry.coordinates.length} positions${answer.truncated ? ' (truncated)' : ''}.`);
    } catch (error) {
      status(`Track: ${describe(error)}`);
    }
  });

  const clear = () => {
    line = null;
    setData(map, 'track', null);
    setData(map, 'track-marker', null);
    slider.disabled = true;
    label.textContent = '';
  };
  form.querySelector('.clear').addEventListener('click', clear);
  return { clear };
}
