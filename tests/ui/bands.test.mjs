// The band scale's ranges, read from the catalog's bands exactly as the core applies them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { bandRange } from '../../web/src/app/result.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const listing = JSON.parse(execFileSync(path.join(root, 'build', 'pmkpi'), ['request', 'GET', '/metrics/list'], { encoding: 'utf8' }));
const route = (id) => Object.entries(listing.categories).flatMap(([key, c]) => c.keys.map((k) => listing[key][k])).find((m) => m.id === id);

test('higher-is-better bands: each range excludes the better band above it', () => {
  const bands = route('retention-rate').bands;
  assert.deepEqual(bands.map((_, i) => bandRange(bands, i)), ['> 90', '> 75, ≤ 90', '> 60, ≤ 75', '≤ 60']);
  const nrr = route('nrr').bands;
  assert.deepEqual(nrr.map((_, i) => bandRange(nrr, i)), ['> 110', '≥ 100, ≤ 110', '< 100']);
});

test('lower-is-better bands read upwards from the best', () => {
  const bands = route('churn-rate').bands;
  assert.deepEqual(bands.map((_, i) => bandRange(bands, i)), ['< 2', '≥ 2, < 5', '≥ 5, < 7', '≥ 7']);
});
