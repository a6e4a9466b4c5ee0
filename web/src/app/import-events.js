// The Import page's answer for an event log: KPI cards (banded through the catalog), DAU/WAU/MAU
// and stickiness, the retention heatmap and its weighted mean curve, lifecycle bars (new,
// returning, resurrecting up; dormant down), the funnel (steps chosen from the file's own event
// names) with conversion and median time per step, activation and time to value, feature adoption,
// the L7/L28 power-user histograms, and every table as CSV and JSON.
import { h } from './dom.js';
import { formatValue, labelOfStatus, toneOf } from './format.js';
import { flatSummary } from './import-subscriptions.js';
import { dataTable, drawPeriodChart, exportButtons, heatmap, kpiCards, matrixRows, resultSection, unitOfFigure } from './records-charts.js';

const LIFECYCLE = [
  { key: 'new', label: 'New', color: '--mv-new', stack: 'up' },
  { key: 'returning', label: 'Returning', color: '--mv-expansion', stack: 'up' },
  { key: 'resurrecting', label: 'Resurrecting', color: '--mv-reactivation', stack: 'up' },
  { key: 'dormant', label: 'Dormant', color: '--mv-churn', stack: 'down' },
];

const hours = (seconds) => (seconds == null ? '–' : seconds < 3600 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`);

function badge(catalog, routeId, status) {
  const route = catalog.routes.get(routeId);
  if (!route || !status) return null;
  return h('span', { class: `status-badge tone-${toneOf(route, status)}` }, labelOfStatus(route, status));
}

export function renderEventResults(root, answer, { catalog, rerun, extra }) {
  const charts = [];
  const draw = (box, spec) => drawPeriodChart(box, spec).then((c) => charts.push(c));
  const unitOf = (key) => unitOfFigure(key, { catalog });
  const daily = answer.daily;
  const days = daily.map((d) => d.day);
  const events = answer.features.map((f) => f.event);

  const activeBox = h('div', { class: 'chart', id: 'active-users-chart', role: 'img', 'aria-label': 'Daily, weekly and monthly active users per day; the figures are in the daily table' });
  const stickyBox = h('div', { class: 'chart', id: 'stickiness-chart', role: 'img', 'aria-label': 'Stickiness (DAU / MAU) per day' });
  const r = answer.retention;
  const retentionBox = h('div', { id: 'retention-heatmap' });
  const retentionChoice = h('select', { id: 'retention-kind', onchange: () => showRetention() },
    h('option', { value: 'classic' }, 'Classic (active in exactly that period)'),
    h('option', { value: 'unbounded' }, 'Unbounded (active in that period or later)'));
  const cohortNames = r.cohorts.map((c) => c.period);
  const cohortSizes = r.cohorts.map((c) => c.users);
  function showRetention() {
    const kind = retentionChoice.value;
    retentionBox.replaceChildren(heatmap({ cohorts: cohortNames, sizes: cohortSizes, matrix: r[kind], mean: r[`mean_${kind}`], sizeLabel: 'Users', caption: `${kind} retention by ${r.period} cohort, percent of the cohort` }));
  }
  showRetention();
  const curveBox = h('div', { class: 'chart', id: 'retention-curve', role: 'img', 'aria-label': 'Weighted mean retention curves, classic and unbounded' });
  const lifecycleBox = h('div', { class: 'chart', id: 'lifecycle-chart', role: 'img', 'aria-label': 'Lifecycle per period: new, returning and resurrecting users above zero, dormant users below' });
  const powerBox = h('div', { class: 'chart', id: 'power-users-chart', role: 'img', 'aria-label': 'Power-user curves: users by the number of days they were active in the last 7 and 28 days' });
  const p = answer.power_users;
  const powerRows = p.l28.map((n, k) => ({ days_active: k + 1, users_l7: p.l7[k] ?? null, users_l28: n }));

  root.append(
    resultSection('res-cards', 'Summary', `${answer.summary.users} users, ${answer.summary.events} events; sessions end after ${answer.session_timeout_minutes} minutes without an event. Bands are the catalog's.`,
      kpiCards(answer.summary, { catalog, toneOf }), exportButtons('summary', [flatSummary(answer.summary)], answer.summary, 'Summary')),
    resultSection('res-active', 'Active users', 'Each day\'s distinct users (DAU), those of the 7 days up to it (WAU) and of the MAU window up to it (MAU).',
      activeBox, stickyBox, exportButtons('daily', daily), dataTable(daily, null, { caption: 'Daily figures', unitOf })),
    resultSection('res-calendar', 'Weeks and months', 'Calendar weeks and months: distinct users, new users, events.',
      exportButtons('weekly', answer.weekly, answer.weekly, 'Weeks'), dataTable(answer.weekly, null, { caption: 'Weekly active users', unitOf }),
      exportButtons('monthly', answer.monthly, answer.monthly, 'Months'), dataTable(answer.monthly, null, { caption: 'Monthly active users', unitOf })),
    resultSection('res-retention', `Retention by ${r.period}`, 'Each row is the users first seen in a period; each cell the share active k periods later.',
      h('div', { class: 'field inline' }, h('label', { for: 'retention-kind' }, 'Show'), retentionChoice), retentionBox, curveBox,
      exportButtons('retention-classic', matrixRows(cohortNames, cohortSizes, r.classic, 'users'), r, 'Classic retention'), exportButtons('retention-unbounded', matrixRows(cohortNames, cohortSizes, r.unbounded, 'users'), r, 'Unbounded retention')),
    resultSection('res-lifecycle', 'Lifecycle', 'Active users of each period by where they come from, and those who stopped (dormant).',
      lifecycleBox, exportButtons('lifecycle', answer.lifecycle), dataTable(answer.lifecycle, null, { caption: 'Lifecycle per period', unitOf })),
    funnelSection(answer, events, { rerun, extra }),
    activationSection(answer, events, { catalog, rerun, extra }),
    resultSection('res-features', 'Feature adoption', 'Share of all users who did each event at least once, banded by the catalog\'s feature-adoption route.',
      exportButtons('features', answer.features),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data-table', id: 'features-table' },
        h('thead', {}, h('tr', {}, ['Event', 'Users', 'Adoption', 'Events', 'Band'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, answer.features.map((f) => h('tr', {}, h('th', { scope: 'row' }, f.event), h('td', {}, formatValue(f.users, 'count')),
          h('td', {}, formatValue(f.adoption_rate, 'percentage')), h('td', {}, formatValue(f.events, 'count')), h('td', {}, badge(catalog, 'feature-adoption', f.status)))))))),
    resultSection('res-power', 'Power users', `Users by how many of the last 7 (L7) and 28 (L28) days up to ${p.last_day} they were active.`,
      powerBox, exportButtons('power-users', powerRows, p), dataTable(powerRows, null, { caption: 'Power-user curves', unitOf: () => 'count' })),
  );

  draw(activeBox, { labels: days, unit: 'count', yTitle: 'Active users', series: [
    { label: 'DAU', color: '--chart-history', kind: 'line', values: daily.map((d) => d.dau) },
    { label: 'WAU', color: '--mv-expansion', kind: 'line', values: daily.map((d) => d.wau) },
    { label: 'MAU', color: '--chart-forecast', kind: 'line', values: daily.map((d) => d.mau) }] });
  draw(stickyBox, { labels: days, unit: 'percentage', yTitle: 'Stickiness, DAU / MAU (%)', height: 200, series: [{ label: 'Stickiness', color: '--chart-history', kind: 'line', values: daily.map((d) => d.stickiness) }] });
  draw(curveBox, { labels: r.mean_classic.map((_, k) => String(k)), unit: 'percentage', yTitle: 'Users still active (%)', xTitle: `${r.period.charAt(0).toUpperCase()}${r.period.slice(1)}s since first seen`, height: 240, series: [
    { label: 'Classic', color: '--chart-history', kind: 'line', values: r.mean_classic },
    { label: 'Unbounded', color: '--chart-forecast', kind: 'line', values: r.mean_unbounded }] });
  draw(lifecycleBox, { labels: answer.lifecycle.map((l) => l.period), unit: 'count', yTitle: 'Users', series: LIFECYCLE.map((s) => ({ ...s, kind: 'bar', values: answer.lifecycle.map((l) => l[s.key]) })) });
  draw(powerBox, { labels: powerRows.map((row) => String(row.days_active)), unit: 'count', yTitle: 'Users', xTitle: 'Days active in the last 7 (L7) or 28 (L28) days', height: 240, series: [
    { label: 'L28', color: '--chart-forecast', kind: 'bar', values: p.l28 },
    { label: 'L7', color: '--chart-history', kind: 'bar', values: powerRows.map((row) => row.users_l7) }] });
  return () => charts.forEach((chart) => chart.destroy());
}

function eventSelect(id, events, chosen, none) {
  return h('select', { id }, none ? h('option', { value: '' }, none) : null, events.map((e) => h('option', { value: e, selected: e === chosen }, e)));
}

function funnelSection(answer, events, { rerun, extra }) {
  const f = answer.funnel;
  const chosen = f?.steps.map((s) => s.event) ?? extra.funnel?.steps ?? events.slice(0, 2);
  const pickers = h('ol', { class: 'funnel-steps', id: 'funnel-steps' });
  const addStep = (event) => pickers.append(h('li', {}, eventSelect(`funnel-step-${pickers.children.length + 1}`, events, event)));
  chosen.forEach(addStep);
  const windowInput = h('input', { type: 'number', id: 'funnel-window', min: '1', max: '366', step: '1', value: String(f?.window_days ?? extra.funnel?.window_days ?? 7) });
  const controls = h('div', { class: 'funnel-controls' }, h('p', {}, 'Steps, in order, from the file\'s events:'), pickers,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => addStep(events[0]) }, 'Add a step'),
      h('button', { type: 'button', class: 'secondary', onclick: () => pickers.lastChild && pickers.children.length > 2 && pickers.lastChild.remove() }, 'Remove the last step'),
      h('label', { for: 'funnel-window' }, 'Window (days)'), windowInput,
      h('button', { type: 'button', class: 'primary', id: 'funnel-run', onclick: () => rerun({ funnel: { steps: [...pickers.querySelectorAll('select')].map((s) => s.value), window_days: Number(windowInput.value) } }) }, 'Compute the funnel')));
  if (events.length < 2) return resultSection('res-funnel', 'Funnel', 'A funnel needs at least two event names; this file has fewer.');
  if (!f) return resultSection('res-funnel', 'Funnel', 'Choose the steps of a funnel from the file\'s events.', controls);
  const first = f.steps[0]?.users || 1;
  const bars = h('ol', { class: 'funnel-bars', id: 'funnel-bars' }, f.steps.map((s) => h('li', {},
    h('span', { class: 'funnel-label' }, `${s.step}. ${s.event}`),
    h('span', { class: 'funnel-bar', style: `--share: ${((100 * s.users) / first).toFixed(2)}%` }, formatValue(s.users, 'count')),
    h('span', { class: 'funnel-figures' }, `${formatValue(s.conversion_from_start, 'percentage')} of the first step · ${formatValue(s.conversion_from_previous, 'percentage')} of the previous · median ${hours(s.median_seconds_from_start)} from the first`))));
  return resultSection('res-funnel', 'Funnel', `Users who did the steps in order, each within ${f.window_days} days of the first.`,
    bars, controls, exportButtons('funnel', f.steps, f));
}

function activationSection(answer, events, { catalog, rerun, extra }) {
  const a = answer.activation;
  const picker = eventSelect('activation-event', events, a?.event ?? extra.activation_event, '(choose the event that means value)');
  const run = h('button', { type: 'button', class: 'primary', id: 'activation-run', onclick: () => picker.value && rerun({ activation_event: picker.value }) }, 'Compute activation');
  const controls = h('div', { class: 'actions' }, h('label', { for: 'activation-event' }, 'Activation event'), picker, run);
  if (!a) return resultSection('res-activation', 'Activation and time to value', 'Choose the event that means a user got value.', controls);
  return resultSection('res-activation', 'Activation and time to value', `Users who did "${a.event}" within ${a.window_days} days of their first event.`,
    h('ul', { class: 'kpi-cards' },
      h('li', { class: 'kpi-card result-card', dataset: { key: 'activation_rate' } }, h('p', { class: 'result-name' }, 'Activation rate'),
        h('p', { class: 'kpi-value' }, formatValue(a.activation_rate, 'percentage')), h('p', {}, badge(catalog, 'activation-rate', a.status))),
      h('li', { class: 'kpi-card result-card' }, h('p', { class: 'result-name' }, 'Activated users'), h('p', { class: 'kpi-value' }, `${formatValue(a.activated_users, 'count')} of ${formatValue(a.users, 'count')}`)),
      h('li', { class: 'kpi-card result-card' }, h('p', { class: 'result-name' }, 'Median time to value'), h('p', { class: 'kpi-value' }, a.median_time_to_value_hours == null ? '–' : `${a.median_time_to_value_hours} h`)),
      h('li', { class: 'kpi-card result-card' }, h('p', { class: 'result-name' }, 'Mean time to value'), h('p', { class: 'kpi-value' }, a.mean_time_to_value_hours == null ? '–' : `${a.mean_time_to_value_hours} h`))),
    controls, exportButtons('activation', [a]));
}
