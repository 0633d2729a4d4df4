// The console's entry point: sign-in, then the map and its views. A read-only test hook,
// window.sextantConsole, exposes what the map shows (see docs/console.md).

import { get, signIn, setToken, token, onUnauthorized, describe } from './api.js';
import { createMap } from './map.js';
import { createAssets, features, stateOf, assetName } from './assets.js';
import { createZones, zoneList, applyZoneEvent } from './zones.js';
import { createEvents, eventList } from './events.js';
import { createTrack } from './track.js';
import { createHistory } from './history.js';
import { createOps } from './ops.js';

const MESSAGE_KEY = 'sextant.signInMessage';
const $ = (selector) => document.querySelector(selector);

function showSignIn() {
  $('#app').hidden = true;
  $('#sign-in').hidden = false;
  const message = sessionStorage.getItem(MESSAGE_KEY);
  sessionStorage.removeItem(MESSAGE_KEY);
  if (message) {
    $('#sign-in-message').textContent = message;
    $('#sign-in-message').hidden = false;
  }
  $('#username').focus();
}

/** Leaves the console for the sign-in view; the page restarts so that no stream or state survives. */
function signOut(message) {
  setToken(null);
  if (message) sessionStorage.setItem(MESSAGE_KEY, message);
  location.reload();
}

function wireSignIn() {
  const form = $('#sign-in-form');
  const fail = (text) => {
    $('#sign-in-message').textContent = text;
    $('#sign-in-message').hidden = false;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { username, password, tenant } = form.elements;
    if (!username.value || !password.value) {
      fail('Enter a user name and a password.');
      return;
    }
    $('#sign-in-button').disabled = true;
    try {
      setToken(await signIn(username.value.trim(), password.value, tenant.value.trim()));
      location.reload();
    } catch (error) {
      fail(error.status === 401 ? 'Wrong user name or password.' : describe(error));
      $('#sign-in-button').disabled = false;
    }
  });
  $('#use-token').addEventListener('click', () => {
    const value = $('#bearer').value.trim().replace(/^Bearer\s+/i, '');
    if (!value) {
      fail('Paste a token first.');
      return;
    }
    setToken(value);
    location.reload();
  });
}

/** Tabs with arrow-key navigation (WAI-ARIA tabs pattern). */
function wireTabs(onShow) {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const show = (tab, focus) => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute('aria-selected', String(selected));
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute('aria-controls')).hidden = !selected;
    }
    if (focus) tab.focus();
    onShow(tab.id.replace('tab-', ''));
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => show(tab, false));
    tab.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) show(tabs[(i + step + tabs.length) % tabs.length], true);
      if (event.key === 'Home') show(tabs[0], true);
      if (event.key === 'End') show(tabs[tabs.length - 1], true);
    });
  });
  return (name) => show(document.getElementById(`tab-${name}`), false);
}

async function startConsole() {
  $('#sign-in').hidden = true;
  $('#app').hidden = false;
  let statusTimer;
  const status = (text) => {
    $('#status').textContent = text;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => ($('#status').textContent = ''), 10000);
  };
  onUnauthorized(() => signOut('Your session has ended. Sign in again.'));
  $('#sign-out').addEventListener('click', () => signOut('Signed out.'));

  let me;
  try {
    me = await get('/api/v1/me');
  } catch (error) {
    if (error.status !== 401) signOut(describe(error));
    return;
  }
  $('#who').textContent = `${me.name || me.subject} (${me.kind})`;

  const config = await (await fetch('config.json')).json();
  const map = await createMap('map', config);
  const panel = $('#panel');
  const controller = new AbortController();
  const zones = createZones({ map, panel, status });
  const assets = createAssets({ map, panel, status, onSelect: () => showTab('assets') });
  const events = createEvents({ map, panel, status, onEvent: (event) => applyZoneEvent(event) && zones.render() });
  createTrack({ map, panel, status });
  createHistory({ map, panel, status });
  const ops = createOps({ panel });
  const showTab = wireTabs((name) => name === 'ops' && ops.refresh());
  window.addEventListener('resize', () => map.resize());

  window.sextantConsole = Object.freeze({
    map,
    assets: () => features().map((f) => ({ assetId: f.properties.assetId, name: assetName(f.properties.assetId),
      coordinates: f.geometry.coordinates, time: f.properties.time, state: stateOf(f.properties) })),
    zones: () => zoneList().map((z) => ({ id: z.id, name: z.name, occupied: z.occupied, bbox: z.bbox })),
    events: () => eventList().map((e) => ({ id: e.id, type: e.type, time: e.time, data: e.data })),
    project: (lon, lat) => {
      const point = map.project([lon, lat]);
      return [point.x, point.y];
    },
  });
  await Promise.all([zones.start(), events.start(controller.signal), assets.start(controller.signal)]);
  // With no asset to fit to yet, show the zones.
  if (!features().length && zoneList().length) {
    const [w, s, e, n] = zones.bounds();
    map.fitBounds([[w, s], [e, n]], { padding: 80, maxZoom: 14, duration: 0 });
  }
  document.body.dataset.ready = 'true';
}

wireSignIn();
if (token()) startConsole();
else showSignIn();
