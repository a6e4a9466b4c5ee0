// Assembles the npm package `pmkpi` in web/package/dist from the client sources (web/src/client) and
// what the WASM build generated next to them (the Emscripten module and the .d.ts files). Then
// `npm pack web/package` gives the tarball users install. Run `npm run build:wasm` first.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const source = new URL('web/src/client/', root);
const packageDir = new URL('web/package/', root);
const dist = new URL('dist/', packageDir);

const manifest = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8'));
const shipped = manifest.files.filter((f) => f.startsWith('dist/')).map((f) => f.slice('dist/'.length));
for (const file of shipped) {
  if (!existsSync(new URL(file, source))) {
    throw new Error(`web/src/client/${file} is missing: run \`npm run build:wasm\` first`);
  }
}

// The package version is the API version the core reports, so the two never disagree.
const { default: createPmkpiCore } = await import(new URL('generated/pmkpi-core.js', source));
const core = await createPmkpiCore();
const { version } = JSON.parse(core._handle('GET', '/health', '').body);
if (version !== manifest.version) {
  throw new Error(`web/package/package.json has version ${manifest.version}, the core reports ${version}`);
}

rmSync(dist, { recursive: true, force: true });
for (const file of shipped) {
  const target = new URL(file, dist);
  mkdirSync(new URL('./', target), { recursive: true });
  cpSync(new URL(file, source), target);
}
console.log(`web/package/dist: ${shipped.length} files of pmkpi ${version}`);
