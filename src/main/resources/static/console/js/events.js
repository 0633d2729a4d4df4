// The live event list: filled from the event log, then from the event stream; newest first,
// at most 200 rows; a row flies the map to where the event happened.

import { get, describe } from './api.js';
import { stream } from './sse.js';
import { assetName } from './assets.js';
import { zoneName } from './zones.js';

const MAX = 200;
const events = [];
const seen = new Set();

export const eventList = () => events.slice();

/** Where an event happened, when it says. */
function positionOf(event) {
  const p = event.data && event.data.position;
  if (p && typeof p.lon === 'number') return [p.lon, p.lat];
  if (p && Array.isArray(p.coordinates)) return p.coordinates;
  return null;
}

export function createEvents({ map, panel, status, onEvent }) {
  const ul = panel.querySelector('#event-list');
  const filter = panel.querySelector('#event-filter');

  const row = (event) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'row event';
    button.dataset.eventId = event.id;
    button.dataset.type = event.type;
    const data = event.data || {};
    const type = document.createElement('strong');
    type.textContent = event.type.replace(/^sextant\./, '');
    const what = document.createElement('span');
    what.textContent = [data.assetId ? assetName(data.assetId, data.externalId) : data.name || '', data.zoneId ? `in ${data.zoneName || zoneName(data.zoneId)}` : '']
      .filter(Boolean).join(' ');
    const time = document.createElement('time');
    time.dateTime = event.time;
    time.textContent = new Date(event.time).toLocaleTimeString();
    button.append(type, ' ', what, ' ', time);
    const position = positionOf(event);
    if (position) {
      button.title = 'Show on the map';
      button.addEventListener('click', () => map.flyTo({ center: position, zoom: Math.max(map.getZoom(), 14) }));
    } else button.setAttribute('aria-disabled', 'true');
    li.append(button);
    return li;
  };

  const add = (event, live) => {
    if (seen.has(event.id)) return;
    seen.add(event.id);
    if (live) events.unshift(event);
    else events.push(event);
    while (events.length > MAX) seen.delete(events.pop().id);
    if (!live) return;
    onEvent(event);
    if (matches(event)) {
      ul.prepend(row(event));
      while (ul.children.length > MAX) ul.lastElementChild.remove();
    }
  };

  const matches = (event) => !filter.value || event.type.startsWith(filter.value);
  const renderAll = () => ul.replaceChildren(...events.filter(matches).map(row));
  filter.addEventListener('change', renderAll);

  const start = async (signal) => {
    try {
      const page = await get(`/api/v1/events?order=desc&limit=${MAX}`);
      for (const event of page.items || []) add(event, false);
      renderAll();
    } catch (error) {
      status(`Events: ${describe(error)}`);
    }
    stream('/api/v1/events/stream', {
      signal,
      onMessage: (message) => {
        if (message.data) add(JSON.parse(message.data), true);
      },
      onError: (error) => status(`Event stream: ${describe(error)}; reconnecting`),
    });
  };

  return { start };
}
