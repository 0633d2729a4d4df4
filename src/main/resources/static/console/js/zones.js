// Zones: drawn with their occupancy (read at start, then kept by zone enter and exit events), selected, drawn and edited
// (polygon, circle, corridor), saved with POST or PUT + If-Match, deleted; a 400's faults are shown
// at their vertex on the map and in the form.

/* global maplibregl */

import { get, getAll, request, describe, ApiError } from './api.js';
import { setData } from './map.js';
import { circlePolygon, distance, destination, pixelsAtZoom0, bounds } from './geo.js';

const zones = new Map(); // id -> { zone, etag }
const MAX_OCCUPANCY_ZONES = 1000;
const occupants = new Map(); // zoneId -> Set of assetIds

export const zoneList = () => [...zones.values()].map((z) => ({ ...z.zone, occupied: isOccupied(z.zone.id) }));
export const zoneName = (id) => (zones.get(id) ? zones.get(id).zone.name : id ? id.slice(0, 8) : '');
const isOccupied = (id) => (occupants.get(id) || new Set()).size > 0;

/** Applies a zone event to the occupancy: entered adds the asset, exited removes it. */
export function applyZoneEvent(event) {
  const data = event.data || {};
  if (!data.zoneId || !data.assetId) return false;
  const set = occupants.get(data.zoneId) || new Set();
  if (event.type === 'sextant.zone.entered' || event.type === 'sextant.zone.dwell') set.add(data.assetId);
  else if (event.type === 'sextant.zone.exited') set.delete(data.assetId);
  else return false;
  occupants.set(data.zoneId, set);
  return true;
}

/** The zone's shape as GeoJSON geometry for drawing. */
function shapeOf(zone) {
  if (zone.geometry) return zone.geometry;
  if (zone.circle) return circlePolygon(zone.circle.center, zone.circle.radiusMeters);
  return null;
}

export function createZones({ map, panel, status }) {
  const form = panel.querySelector('#zone-form');
  const errorsBox = form.querySelector('.form-errors');
  let selectedId = null;
  let draft = null; // { kind, points: [[lon, lat]], radius, width }
  let vertexMarkers = [];
  let errorMarkers = [];
  let drawing = false;
  let corridorFeatures = [];

  const render = () => {
    const fills = [];
    const corridors = [];
    for (const { zone } of zones.values()) {
      if (draft && zone.id === selectedId) continue;
      const properties = { id: zone.id, name: zone.name, occupied: isOccupied(zone.id), selected: zone.id === selectedId };
      if (zone.corridor) {
        const lat = zone.corridor.line.coordinates[0][1];
        corridors.push({ type: 'Feature', geometry: zone.corridor.line, properties: { ...properties, px0: pixelsAtZoom0(zone.corridor.widthMeters, lat) } });
      } else {
        fills.push({ type: 'Feature', geometry: shapeOf(zone), properties });
      }
    }
    setData(map, 'zones', { type: 'FeatureCollection', features: fills });
    corridorFeatures = corridors;
    setData(map, 'corridors', { type: 'FeatureCollection', features: corridors });
    renderList();
  };

  const renderList = () => {
    const ul = panel.querySelector('#zone-list');
    const list = zoneList().sort((a, b) => a.name.localeCompare(b.name));
    ul.replaceChildren(...list.map((zone) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'row';
      button.dataset.zoneId = zone.id;
      const kind = zone.circle ? 'circle' : zone.corridor ? 'corridor' : 'polygon';
      const count = (occupants.get(zone.id) || new Set()).size;
      button.textContent = `${zone.name} (${kind}) — ${count ? `occupied by ${count}` : 'empty'}`;
      button.setAttribute('aria-pressed', String(zone.id === selectedId));
      button.addEventListener('click', () => edit(zone.id, true));
      li.append(button);
      return li;
    }));
  };

  // ---- draft: the shape being drawn or edited ----

  const draftGeometry = () => {
    if (!draft) return [];
    const p = draft.points;
    if (draft.kind === 'polygon') {
      if (p.length >= 3) return [{ type: 'Polygon', coordinates: [[...p, p[0]]] }];
      return p.length === 2 ? [{ type: 'LineString', coordinates: p }] : [];
    }
    if (draft.kind === 'circle') return p.length && draft.radius > 0 ? [circlePolygon(p[0], draft.radius)] : [];
    if (p.length < 2) return [];
    const width = Number(form.elements.width.value) || draft.width || 0;
    const lat = p[0][1];
    return [{ type: 'LineString', coordinates: p, px0: pixelsAtZoom0(width, lat) }];
  };

  const renderDraft = () => {
    const features = draftGeometry().map(({ px0, ...geometry }) => ({ type: 'Feature', geometry, properties: {} }));
    setData(map, 'draft', { type: 'FeatureCollection', features });
    if (draft && draft.kind === 'corridor' && draft.points.length >= 2) {
      const width = Number(form.elements.width.value) || 0;
      setData(map, 'corridors', {
        type: 'FeatureCollection',
        features: [...corridorFeatures,
          { type: 'Feature', geometry: { type: 'LineString', coordinates: draft.points }, properties: { draft: true, px0: pixelsAtZoom0(width, draft.points[0][1]) } }],
      });
    }
    renderVertices();
  };

  const renderVertices = () => {
    vertexMarkers.forEach((m) => m.remove());
    vertexMarkers = [];
    if (!draft) return;
    const handles = draft.points.map((point, index) => ({ point, index }));
    if (draft.kind === 'circle' && draft.points.length && draft.radius > 0) handles.push({ point: destination(draft.points[0], draft.radius, 90), radius: true });
    for (const handle of handles) {
      const element = document.createElement('div');
      element.className = handle.radius ? 'vertex radius' : 'vertex';
      element.title = handle.radius ? 'Drag to change the radius' : `Vertex ${handle.index + 1}`;
      if (!handle.radius) element.dataset.vertex = handle.index;
      const marker = new maplibregl.Marker({ element, draggable: true }).setLngLat(handle.point).addTo(map);
      marker.on('drag', () => {
        const { lng, lat } = marker.getLngLat();
        if (handle.radius) draft.radius = Math.round(distance(draft.points[0], [lng, lat]));
        else draft.points[handle.index] = [lng, lat];
        if (draft.kind === 'circle') form.elements.radius.value = draft.radius;
        setData(map, 'draft', { type: 'FeatureCollection', features: draftGeometry().map(({ px0, ...geometry }) => ({ type: 'Feature', geometry, properties: {} })) });
      });
      marker.on('dragend', renderDraft);
      vertexMarkers.push(marker);
    }
  };

  const clearErrors = () => {
    errorMarkers.forEach((m) => m.remove());
    errorMarkers = [];
    errorsBox.replaceChildren();
    errorsBox.hidden = true;
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    vertexMarkers.forEach((m) => m.getElement().classList.remove('error'));
  };

  /** Shows a problem's faults: each in the form, and those with a place on the map at that place. */
  const showErrors = (error) => {
    clearErrors();
    const items = error instanceof ApiError && error.errors.length ? error.errors : [{ reason: describe(error) }];
    const title = document.createElement('p');
    const problem = error instanceof ApiError ? error.problem : {};
    // The detail repeats a single error; show it only when the list does not.
    title.textContent = problem.title ? `${problem.title}${problem.detail && !error.errors.length ? `: ${problem.detail}` : ''}` : 'Could not save the zone';
    const ul = document.createElement('ul');
    for (const item of items) {
      const li = document.createElement('li');
      const reason = String(item.reason).replace(/-?\d+\.\d{7,}/g, (n) => Number(n).toFixed(6));
      li.textContent = item.field ? `${item.field}: ${reason}` : reason;
      ul.append(li);
      const place = placeOf(item);
      if (place) {
        const element = document.createElement('div');
        element.className = 'error-marker';
        element.setAttribute('role', 'img');
        element.setAttribute('aria-label', `Error: ${item.reason}`);
        element.title = item.reason;
        element.textContent = '!';
        errorMarkers.push(new maplibregl.Marker({ element }).setLngLat(place).addTo(map));
      }
      const input = inputOf(item.field);
      if (input) input.setAttribute('aria-invalid', 'true');
    }
    errorsBox.replaceChildren(title, ul);
    errorsBox.hidden = false;
    errorsBox.focus();
  };

  /** Where a fault is: "self-intersection at [x, y]", or the vertex a field such as geometry.coordinates[0][3] names. */
  const placeOf = (item) => {
    const at = /at \[(-?[\d.eE-]+),\s*(-?[\d.eE-]+)\]/.exec(item.reason || '');
    if (at) return [Number(at[1]), Number(at[2])];
    const field = item.field || '';
    const vertex = /(?:geometry\.coordinates\[0\]|corridor\.line\.coordinates)\[(\d+)\]$/.exec(field);
    if (vertex && draft && draft.points.length) {
      const index = Number(vertex[1]) % draft.points.length;
      if (vertexMarkers[index]) vertexMarkers[index].getElement().classList.add('error');
      return draft.points[index];
    }
    if (/^circle\.center/.test(field) && draft) return draft.points[0];
    return null;
  };

  const inputOf = (field) => {
    if (!field) return null;
    if (field === 'name') return form.elements.name;
    if (field.startsWith('tags')) return form.elements.tags;
    if (field === 'circle.radiusMeters') return form.elements.radius;
    if (field === 'corridor.widthMeters') return form.elements.width;
    return null;
  };

  // ---- drawing with the mouse ----

  const setMode = (kind) => {
    form.hidden = false;
    form.elements.kind.value = kind;
    form.querySelectorAll('[data-for]').forEach((el) => (el.hidden = el.dataset.for !== kind));
  };

  const startDrawing = (kind) => {
    cancelEdit(false);
    draft = { kind, points: [], radius: 0 };
    drawing = true;
    setMode(kind);
    form.elements.name.value = '';
    form.elements.tags.value = '';
    form.querySelector('h3').textContent = `New ${kind}`;
    form.querySelector('.delete').hidden = true;
    panel.querySelector('#draw-hint').textContent = {
      polygon: 'Click the map to add vertices; double-click, Enter or “Finish shape” to finish. Escape cancels.',
      circle: 'Click the centre, then click (or drag the handle) to set the radius.',
      corridor: 'Click the points of the line; double-click, Enter or “Finish shape” to finish. Set the width in metres.',
    }[kind];
    map.doubleClickZoom.disable();
    map.getCanvas().style.cursor = 'crosshair';
    renderDraft();
    map.getCanvas().focus();
  };

  const finishDrawing = () => {
    if (!drawing) return;
    drawing = false;
    map.getCanvas().style.cursor = '';
    setTimeout(() => map.doubleClickZoom.enable(), 300);
    panel.querySelector('#draw-hint').textContent = 'Drag the handles to adjust the shape, then save.';
    renderDraft();
    form.elements.name.focus();
  };

  map.on('click', (event) => {
    if (!drawing) return;
    const point = [event.lngLat.lng, event.lngLat.lat];
    if (draft.kind === 'circle') {
      if (!draft.points.length) draft.points.push(point);
      else {
        draft.radius = Math.round(distance(draft.points[0], point));
        form.elements.radius.value = draft.radius;
        finishDrawing();
      }
    } else {
      const last = draft.points[draft.points.length - 1];
      if (!last || last[0] !== point[0] || last[1] !== point[1]) draft.points.push(point);
    }
    renderDraft();
  });
  map.on('dblclick', (event) => {
    if (!drawing) return;
    event.preventDefault();
    // The double-click's two clicks each added the same point; keep one.
    const p = draft.points;
    if (p.length >= 2) {
      const [a, b] = p.slice(-2);
      if (Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9) p.pop();
    }
    finishDrawing();
  });
  document.addEventListener('keydown', (event) => {
    if (!drawing) return;
    if (event.key === 'Enter' && !(event.target instanceof HTMLInputElement)) {
      event.preventDefault();
      finishDrawing();
    } else if (event.key === 'Escape') cancelEdit(true);
  });

  // ---- the form ----

  const edit = (id, fly) => {
    const entry = zones.get(id);
    if (!entry) return;
    cancelEdit(false);
    const { zone } = entry;
    selectedId = id;
    const kind = zone.circle ? 'circle' : zone.corridor ? 'corridor' : 'polygon';
    if (kind === 'polygon' && zone.geometry.type !== 'Polygon') {
      status('Only single polygons can be reshaped here; name and tags can still be changed.');
    }
    draft = kind === 'circle'
      ? { kind, points: [zone.circle.center], radius: zone.circle.radiusMeters }
      : kind === 'corridor'
        ? { kind, points: zone.corridor.line.coordinates.map((c) => [...c]) }
        : { kind, points: zone.geometry.type === 'Polygon' ? zone.geometry.coordinates[0].slice(0, -1).map((c) => [...c]) : [], multi: zone.geometry.type !== 'Polygon' };
    setMode(kind);
    form.querySelector('h3').textContent = `Edit ${zone.name}`;
    form.querySelector('.delete').hidden = false;
    form.elements.name.value = zone.name;
    form.elements.tags.value = zone.tags.join(', ');
    if (zone.circle) form.elements.radius.value = zone.circle.radiusMeters;
    if (zone.corridor) form.elements.width.value = zone.corridor.widthMeters;
    panel.querySelector('#draw-hint').textContent = 'Drag the handles to adjust the shape, then save.';
    render();
    renderDraft();
    if (fly) {
      const [w, s, e, n] = zone.bbox;
      map.fitBounds([[w, s], [e, n]], { padding: 80, maxZoom: 16 });
    }
  };

  const cancelEdit = (announce) => {
    drawing = false;
    draft = null;
    selectedId = null;
    map.doubleClickZoom.enable();
    map.getCanvas().style.cursor = '';
    clearErrors();
    form.hidden = true;
    panel.querySelector('#draw-hint').textContent = '';
    renderDraft();
    render();
    if (announce) panel.querySelector('#draw-polygon').focus();
  };

  const body = () => {
    const tags = form.elements.tags.value.split(',').map((t) => t.trim()).filter(Boolean);
    const zone = selectedId ? zones.get(selectedId).zone : {};
    const result = { name: form.elements.name.value.trim(), tags, attributes: zone.attributes || {} };
    if (zone.schedule) result.schedule = zone.schedule;
    if (zone.fence) result.fence = zone.fence;
    const p = draft.points;
    if (draft.kind === 'polygon') {
      result.geometry = draft.multi ? zone.geometry : { type: 'Polygon', coordinates: [[...p, p[0]].filter(Boolean)] };
    } else if (draft.kind === 'circle') {
      result.circle = { center: p[0] || null, radiusMeters: Number(form.elements.radius.value) };
    } else {
      result.corridor = { line: { type: 'LineString', coordinates: p }, widthMeters: Number(form.elements.width.value) };
    }
    return result;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (drawing) finishDrawing();
    clearErrors();
    try {
      const answer = selectedId
        ? await request('PUT', `/api/v1/zones/${selectedId}`, { body: body(), headers: { 'If-Match': zones.get(selectedId).etag } })
        : await request('POST', '/api/v1/zones', { body: body() });
      zones.set(answer.body.id, { zone: answer.body, etag: answer.etag });
      status(`Zone ${answer.body.name} saved (version ${answer.body.version}).`);
      cancelEdit(false);
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        showErrors(new ApiError(412, { title: 'Changed meanwhile', detail: 'someone else changed this zone; reload it and edit again' }));
        await load();
      } else showErrors(error);
    }
  });
  form.querySelector('.cancel').addEventListener('click', () => cancelEdit(true));
  form.querySelector('.finish').addEventListener('click', finishDrawing);
  form.querySelector('.delete').addEventListener('click', async () => {
    const entry = zones.get(selectedId);
    if (!entry || !window.confirm(`Delete zone ${entry.zone.name}?`)) return;
    try {
      await request('DELETE', `/api/v1/zones/${selectedId}`, { headers: { 'If-Match': entry.etag } });
      zones.delete(selectedId);
      status(`Zone ${entry.zone.name} deleted.`);
      cancelEdit(true);
    } catch (error) {
      showErrors(error);
    }
  });
  form.elements.radius.addEventListener('input', () => {
    if (draft && draft.kind === 'circle') {
      draft.radius = Number(form.elements.radius.value) || 0;
      renderDraft();
    }
  });
  form.elements.width.addEventListener('input', () => draft && renderDraft());
  for (const kind of ['polygon', 'circle', 'corridor']) {
    panel.querySelector(`#draw-${kind}`).addEventListener('click', () => startDrawing(kind));
  }

  map.on('click', 'zones-fill', (event) => !drawing && !draft && edit(event.features[0].properties.id, false));
  map.on('click', 'corridors-band', (event) => !drawing && !draft && event.features[0].properties.id && edit(event.features[0].properties.id, false));

  const load = async () => {
    const items = await getAll('/api/v1/zones', 5000);
    zones.clear();
    // The list carries no ETag; a zone's version is its ETag.
    for (const zone of items) zones.set(zone.id, { zone, etag: `"${zone.version}"` });
    render();
  };

  // Who is inside each zone now (GET /zones/{id}/occupants, four requests at a time); zone events
  // from the live stream keep it current afterwards.
  const loadOccupancy = async () => {
    const queue = [...zones.keys()].slice(0, MAX_OCCUPANCY_ZONES);
    const next = async () => {
      while (queue.length) {
        const id = queue.shift();
        try {
          const answer = await get(`/api/v1/zones/${id}/occupants`);
          occupants.set(id, new Set((answer.occupants || []).map((o) => o.assetId)));
        } catch (error) {
          // A zone removed meanwhile, or occupants the caller may not read: shown as empty.
          if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 403)) throw error;
        }
      }
    };
    await Promise.all([next(), next(), next(), next()]);
  };

  const start = async () => {
    try {
      await load();
      await loadOccupancy();
      render();
    } catch (error) {
      status(`Zones: ${describe(error)}`);
    }
  };

  return { start, render, edit, bounds: () => bounds(zoneList().flatMap((z) => [[z.bbox[0], z.bbox[1]], [z.bbox[2], z.bbox[3]]])) };
}
