// The OpenAPI document rendered by Swagger UI (local copy from swagger-ui-dist, loaded only when
// this page opens). Served by pmkpi-server (under its /app/), the explorer talks to that server,
// so its curl lines work as shown. Anywhere else, installFetch answers "Try it out" in the page
// for the address a local pmkpi-server has by default (http://localhost:8000): the request never
// leaves the browser, and the curl line works against `npm start` on this machine.
import { installFetch } from '../../client/index.js';
import { h } from '../dom.js';

/** Where "Try it out" is answered in the page: the default address of a local pmkpi-server. */
export const IN_PAGE_BASE_URL = 'http://localhost:8000';

/** The pmkpi-server that served this page (it mounts the UI at /app/), or null. */
export async function servingServer(href = location.href) {
  const page = new URL(href.split('#')[0]);
  if (!/\/app\/(index\.html)?$/.test(page.pathname)) return null;
  const root = new URL('../', page);
  try {
    const response = await fetch(new URL('health', root), { headers: { accept: 'application/json' } });
    const health = response.ok ? await response.json() : null;
    return health && typeof health.status === 'string' ? root.href.replace(/\/$/, '') : null;
  } catch {
    return null;
  }
}

let uninstall = null;

export function renderApi({ client, view }) {
  const host = h('div', { class: 'api-host', id: 'swagger-ui' }, h('p', { class: 'result-placeholder' }, 'Loading the API explorer…'));
  const where = h('p', { class: 'lead', id: 'api-where' }, 'Every route of the API, documented from its OpenAPI description.');
  view.replaceChildren(h('h1', {}, 'API explorer'), where, host);
  let cancelled = false;
  (async () => {
    const server = await servingServer();
    let servers;
    if (server) {
      servers = [{ url: server, description: 'The pmkpi-server that served this page' }];
      where.replaceChildren('Every route of the API, documented from its OpenAPI description. “Try it out” sends its requests to the pmkpi-server at ',
        h('code', {}, server), ', the one that served this page; its curl lines work as shown.');
    } else {
      uninstall ??= installFetch({ baseUrl: IN_PAGE_BASE_URL });
      servers = [{ url: IN_PAGE_BASE_URL, description: 'Answered in this page (WebAssembly, offline); the same address as a local pmkpi-server' }];
      where.replaceChildren('Every route of the API, documented from its OpenAPI description. “Try it out” runs in this page: the WebAssembly engine answers, nothing is sent anywhere. ',
        'The curl lines name ', h('code', {}, IN_PAGE_BASE_URL), ', where ', h('code', {}, 'npm start'), ' (pmkpi-server) answers the same requests on your machine.');
    }
    const [{ default: SwaggerUIBundle }, spec] = await Promise.all([
      import('swagger-ui-dist/swagger-ui-es-bundle.js'),
      client.fetch('/openapi.json').then((r) => r.json()),
      import('swagger-ui-dist/swagger-ui.css'),
    ]);
    if (cancelled) return;
    spec.servers = servers;
    host.replaceChildren();
    SwaggerUIBundle({
      domNode: host,
      spec,
      deepLinking: false,
      validatorUrl: null,
      tryItOutEnabled: false,
      defaultModelsExpandDepth: 0,
      docExpansion: 'list',
    });
  })().catch((error) => {
    host.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, `The API explorer could not load: ${error.message}`));
  });
  return () => {
    cancelled = true;
  };
}
