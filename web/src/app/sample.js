// The sample dataset of the landing page: 24 months of a made-up SaaS company's raw figures
// (subscriptions, customers, survey answers, spend), generated from a fixed seed so every visitor
// sees the same. Each month's KPIs are computed by the engine's routes from those raw figures, as
// a user's own would be; the latest month's raw figures are the cards' inputs.

import { mulberry32 } from './random.js';

const MONTHS = 24;
export const SAMPLE_NAME = 'Sample SaaS company (generated data)';

/** Raw figures per month: {period, inputs: {routeId: request body}}. */
export function sampleMonths(start = '2023-01') {
  const rnd = mulberry32(20240117);
  const [y0, m0] = start.split('-').map(Number);
  const months = [];
  let mrr = 42000;
  let customers = 400;
  for (let i = 0; i < MONTHS; ++i) {
    const date = new Date(Date.UTC(y0, m0 - 1 + i, 1));
    const period = `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
    const season = 1 + 0.04 * Math.sin((2 * Math.PI * date.getUTCMonth()) / 12);
    const fresh = Math.round(2600 * season + rnd() * 900);
    const upgrades = Math.round(900 + rnd() * 500);
    const downgrades = Math.round(250 + rnd() * 200);
    const lost = Math.round(mrr * (0.018 + rnd() * 0.012));
    const customersLost = Math.round(customers * (0.02 + rnd() * 0.015));
    const newCustomers = Math.round(28 * season + rnd() * 10);
    const responses = 180 + Math.round(rnd() * 60);
    const promoters = Math.round(responses * (0.45 + i * 0.004 + rnd() * 0.05));
    const detractors = Math.round(responses * (0.18 - i * 0.002 + rnd() * 0.04));
    months.push({
      period,
      inputs: {
        mrr: { current_monthly_subscriptions: mrr, revenue_new_subscriptions: fresh, revenue_upgrades: upgrades, revenue_downgrades: downgrades, revenue_lost_customers: lost },
        'churn-rate': { customers_lost: customersLost, total_customers_at_start: customers },
        nrr: { mrr_at_beginning: mrr, expansion_revenue: upgrades, contraction_revenue: downgrades, churned_revenue: lost },
        nps: { promoters, passives: responses - promoters - detractors, detractors },
        cac: { total_marketing_spending: Math.round(21000 + rnd() * 6000), total_sales_spending: Math.round(14000 + rnd() * 4000), number_of_new_customers: newCustomers },
        cltv: { average_customer_lifetime_months: Math.round(30 + rnd() * 6), average_revenue_per_user: Math.round((mrr / customers) * 100) / 100 },
      },
    });
    mrr += fresh + upgrades - downgrades - lost;
    customers += newCustomers - customersLost;
  }
  return months;
}

/** The sample as a dashboard state: every month computed by `client`'s routes. */
export async function sampleDashboard(client, catalog) {
  const months = sampleMonths();
  const ids = Object.keys(months[0].inputs).filter((id) => catalog.routes.get(id));
  const series = {};
  for (const id of ids) {
    const route = catalog.routes.get(id);
    series[id] = [];
    for (const month of months) {
      const response = await client.fetch(route.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(month.inputs[id]) });
      const data = await response.json();
      if (response.status === 200) series[id].push({ period: month.period, value: data.value });
    }
  }
  const last = months[months.length - 1].inputs;
  const inputs = Object.fromEntries(ids.map((id) => [id, Object.fromEntries(Object.entries(last[id]).map(([k, v]) => [k, String(v)]))]));
  if (inputs.mrr) inputs.mrr.method = '2';
  return { name: SAMPLE_NAME, sample: true, metrics: ids, inputs, series, targets: { mrr: 110000, 'churn-rate': 2 } };
}
