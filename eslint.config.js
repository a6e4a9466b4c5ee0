// eslint (flat config): the recommended rules for every JavaScript file of the project, with the
// globals of where each file runs (the browser for the web UI, Node for scripts, tests and
// benchmarks). Generated code (Emscripten glue) and build output are not linted.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/**', 'build/**', 'build-*/**', 'node_modules/**', 'web/src/client/generated/**', 'web/package/**', 'artifacts/**', 'cpp/wasm/pre.js'] },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { ecmaVersion: 2024, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' }],
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
  {
    files: ['web/src/**/*.js', 'tests/**/*.{js,mjs}', 'bench/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
];
