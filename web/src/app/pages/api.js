// The OpenAPI document rendered by Swagger UI (local copy from swagger-ui-dist, loaded only when
// this page opens). installFetch answers "Try it out" in the page: requests to the in-page base
// URL never leave the browser.
import { installFetch } from '../../client/index.js';
import { h } from '../dom.js';

/** Where "Try it out" sends requests: a path under the page's own folder that installFetch answers. */
export function inPageBaseUrl() {
  return new URL('in-page-api', location.href.split('#')[0]).href;
}

let uninstall = null;

export function renderApi({ client, view }) {
  const host = h('div', { class: 'api-host', id: 'swagger-ui' }, h('p', { class: 'result-placeholder' }, 'Loading the API explorer…'));
  const baseUrl = inPageBaseUrl();
  view.replaceChildren(
    h('h1', {}, 'API explorer'),
    h('p', { class: 'lead' }, 'Every route of the API, documented from its OpenAPI description. ',
      '“Try it out” runs in this page: requests to ', h('code', {}, baseUrl), ' are answered by the WebAssembly engine, not a server.'),
    host,
  );
  let cancelled = false;
  (async () => {
    uninstall ??= installFetch({ baseUrl });
    const [{ default: SwaggerUIBundle }, spec] = await Promise.all([
      import('swagger-ui-dist/swagger-ui-es-bundle.js'),
      client.fetch('/openapi.json').then((r) => r.json()),
      import('swagger-ui-dist/swagger-ui.css'),
    ]);
    if (cancelled) return;
    spec.servers = [{ url: baseUrl, description: 'In this page (WebAssembly, offline)' }];
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
