// A plain Node script using the installed package: prints what it computed as one JSON line.
import { createClient, createRecordsTools, installFetch, PmkpiError } from 'pmkpi';

const client = await createClient();
const viaFetch = await (await client.fetch('/metrics/arpu', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ total_revenue: 50000.0, total_users: 1000, time_frame: 'monthly' }),
})).json();
const viaMetrics = await client.metrics.churnRate({ customers_lost: 50, total_customers_at_start: 1000 });
let rejected = null;
try {
  await client.metrics.arpu({ total_revenue: 1, total_users: 0 });
} catch (e) {
  rejected = e instanceof PmkpiError ? e.status : String(e);
}
const uninstall = installFetch({ baseUrl: 'http://localhost:8000' });
const viaGlobalFetch = await (await fetch('http://localhost:8000/metrics/nps', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ promoters: 500, passives: 300, detractors: 200 }),
})).json();
uninstall();
// the records tools: two files split by customer, merged into the answer of both at once
const tools = await createRecordsTools();
const header = 'customer_id,amount,interval,start\n';
const states = ['c1,29,month,2024-01-05\n', 'c2,290,year,2024-01-20\n'].map((rows) => tools.partial('/records/subscriptions', {}, 'csv', header + rows).body);
const mrr = JSON.parse(tools.mergeFinish(states).body).summary.mrr;
console.log(JSON.stringify({ arpu: viaFetch.value, churn: viaMetrics.value, nps: viaGlobalFetch.value, rejected, mrr }));
