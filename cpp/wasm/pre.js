// Runs inside the Emscripten glue before it instantiates the module. In Node (no `fetch` for
// file: URLs), read the .wasm that sits next to the glue (same name), unless the caller already supplied the
// bytes or a locateFile. Bracket notation keeps the names through the minifier; no import.meta
// here (Emscripten 3.1.6's minifier rejects it), _scriptDir is the glue's own URL.
if (typeof process === 'object' && process && typeof process['getBuiltinModule'] === 'function' &&
    !Module['wasmBinary'] && !Module['locateFile']) {
  var pmkpiFs = process['getBuiltinModule']('fs');
  var pmkpiUrl = process['getBuiltinModule']('url');
  // pmkpi-core.js reads pmkpi-core.wasm, pmkpi-records.js pmkpi-records.wasm
  var pmkpiWasm = new URL(_scriptDir.replace(/\.m?js([?#].*)?$/, '.wasm'));
  Module['wasmBinary'] = pmkpiFs['readFileSync'](pmkpiUrl['fileURLToPath'](pmkpiWasm));
}
