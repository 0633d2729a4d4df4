// Operations: subscriptions and their delivery health, job queues, workflow instances.

import { get, describe } from './api.js';

const cell = (text) => {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
};

function table(container, headings, rows) {
  if (!rows.length) {
    const p = document.createElement('p');
    p.textContent = 'None.';
    container.replaceChildren(p);
    return;
  }
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  for (const h of headings) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    head.append(th);
  }
  const body = t.createTBody();
  for (const r of rows) body.insertRow().append(...r.map((v) => cell(v ?? '—')));
  container.replaceChildren(t);
}

async function count(path) {
  const page = await get(path);
  const n = (page.items || []).length;
  return page.nextCursor ? `${n}+` : String(n);
}

export function createOps({ panel }) {
  const section = (id) => panel.querySelector(id);
  const guard = async (container, task) => {
    try {
      await task();
    } catch (error) {
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = describe(error);
      container.replaceChildren(p);
    }
  };

  const refresh = async () => {
    const subscriptions = section('#ops-subscriptions');
    const jobs = section('#ops-jobs');
    const workflows = section('#ops-workflows');
    await Promise.all([
      guard(subscriptions, async () => {
        const items = (await get('/api/v1/subscriptions?limit=100')).items || [];
        const rows = await Promise.all(items.map(async (s) => {
          const base = `/api/v1/subscriptions/${s.id}/deliveries?limit=100&status=`;
          const [retrying, dead] = await Promise.all([count(`${base}failed-retrying`), count(`${base}dead`)]);
          const state = s.enabled === false ? `disabled${s.disabledReason ? `: ${s.disabledReason}` : ''}` : 'enabled';
          return [s.name, state, (s.channel && s.channel.type) || '', retrying, dead, String(s.consecutiveDeadLetters ?? 0)];
        }));
        table(subscriptions, ['Subscription', 'State', 'Channel', 'Retrying', 'Dead letters', 'Dead in a row'], rows);
      }),
      guard(jobs, async () => {
        const summary = await get('/api/v1/jobs/summary');
        const statuses = ['queued', 'running', 'succeeded', 'dead'];
        const rows = [['all', ...statuses.map((s) => String((summary.total || {})[s] || 0))]];
        for (const [kind, counts] of Object.entries(summary.kinds || {})) rows.push([kind, ...statuses.map((s) => String(counts[s] || 0))]);
        table(jobs, ['Kind', ...statuses], rows);
      }),
      guard(workflows, async () => {
        const items = (await get('/api/v1/workflows/instances?limit=100')).items || [];
        table(workflows, ['Definition', 'State', 'Next commands', 'Updated'],
          items.map((i) => [`${i.definition} v${i.definitionVersion}`, `${i.state}${i.finished ? ' (finished)' : ''}`,
            (i.allowedCommands || []).join(', ') || '—', i.updatedAt ? new Date(i.updatedAt).toLocaleString() : '']));
      }),
    ]);
  };

  panel.querySelector('#ops-refresh').addEventListener('click', refresh);
  return { refresh };
}
