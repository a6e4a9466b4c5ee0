// React's automatic JSX runtime through Vite's built-in esbuild (no React plugin needed to build).
import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic' },
});
