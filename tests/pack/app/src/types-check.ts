// Compile-time checks (tsc --noEmit): the generated declarations give every route its request and
// response types. Each @ts-expect-error must be an error, or tsc fails: the types are not `any`.
import type { Client, RecordsTools, RequestBody, ResponseBody } from 'pmkpi';

declare const client: Client;
declare const tools: RecordsTools;

export async function checks() {
  const arpu: ResponseBody<'/metrics/arpu'> = await client.metrics.arpu({ total_revenue: 1, total_users: 2 });
  const value: number = arpu.value;
  const name: 'ARPU' = arpu.metric_name;

  const retention = await client.metrics.retentionRate({ customers_at_start: 1000, customers_at_end: 950, new_customers_acquired: 100 });
  const unit: string = retention.unit;

  const body: RequestBody<'/metrics/nps'> = { promoters: 1, passives: 2, detractors: 3 };
  await client.metrics.nps(body);

  // @ts-expect-error total_users is an integer field: a string is rejected
  await client.metrics.arpu({ total_revenue: 1, total_users: '2' });
  // @ts-expect-error a required field is missing
  await client.metrics.arpu({ total_revenue: 1 });
  // @ts-expect-error time_frame takes one of the catalog's choices
  await client.metrics.arpu({ total_revenue: 1, total_users: 2, time_frame: 'hourly' });
  // @ts-expect-error no route has this id
  await client.metrics.notAMetric({});
  // @ts-expect-error the response of ARPU has no such key
  arpu.not_a_key;

  const response: Response = await client.fetch('http://localhost:8000/metrics/arpu', { method: 'POST', body: '{}' });

  const state: string = tools.partial('/records/events', { timestamp_unit: 's' }, 'csv', 'user_id,timestamp,event\n').body;
  const merged: number = tools.mergeFinish([state, state]).status;
  // @ts-expect-error the records tools answer the two records routes only
  tools.compute('/metrics/arpu', {}, 'csv', '');
  // @ts-expect-error rows are CSV text, JSON lines or a JSON array of records
  tools.partial('/records/events', {}, 'xml', '');
  return [value, name, unit, response.status, merged];
}
