// Code written for the REST API (the spec's component, plain fetch to localhost:8000) runs against
// the in-page engine once installFetch is called; TypedArpu uses the typed client directly.
import { createRoot } from 'react-dom/client';
import { installFetch } from 'pmkpi';

import ARPUCalculator from './ARPUCalculator.jsx';
import TypedArpu from './TypedArpu';

installFetch({ baseUrl: 'http://localhost:8000' });

createRoot(document.getElementById('root')!).render(
  <>
    <TypedArpu />
    <ARPUCalculator />
  </>,
);
