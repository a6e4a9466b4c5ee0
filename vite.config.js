// Vite builds the static web UI from web/ into dist/app/ with relative asset paths, so the output
// works from any sub-path of any static host (the native server serves it under /app/).
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  build: {
    outDir: '../dist/app',
    emptyOutDir: true,
    // Swagger UI (about 1.5 MB, 430 KB gzipped) is a chunk of its own, loaded only on the API page;
    // it does not count against the first load.
    chunkSizeWarningLimit: 1600,
  },
  // The Import page's Workers import the client (an ES module with code splitting).
  worker: { format: 'es' },
  preview: {
    port: 4173,
    strictPort: false,
  },
});
