import { useEffect, useState } from 'react';
import { createClient, PmkpiError, type ResponseBody } from 'pmkpi';

type Arpu = ResponseBody<'/metrics/arpu'>;

export default function TypedArpu() {
  const [arpu, setArpu] = useState<Arpu | null>(null);
  const [routes, setRoutes] = useState(0);
  const [rejected, setRejected] = useState('');

  useEffect(() => {
    (async () => {
      const client = await createClient();
      setArpu(await client.metrics.arpu({ total_revenue: 50000, total_users: 1000, time_frame: 'monthly' }));
      setRoutes(Object.keys(client.metrics).length);
      try {
        await client.metrics.arpu({ total_revenue: 50000, total_users: 0 });
      } catch (e) {
        if (e instanceof PmkpiError) setRejected(`${e.status}`);
      }
    })();
  }, []);

  return (
    <section>
      <output id="typed-value">{arpu ? `${arpu.metric_name} ${arpu.value} ${arpu.unit}` : ''}</output>
      <output id="route-count">{routes}</output>
      <output id="rejected">{rejected}</output>
    </section>
  );
}
