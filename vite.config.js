// Vite builds the static web UI from web/ into dist/app/ with relative asset paths, so the output
// works from any sub-path of any static host (the native server serves it under /app/).
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  build: {
    outDir: '../dist/app',
    emptyOutDir: true,
  },
});
