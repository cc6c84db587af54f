/**
 * Builds the console into dist/console, which the relay serves under /console/. Everything is
 * bundled (no CDN): the console must work on a machine without internet access.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  // Preact's automatic JSX runtime (the same settings as console/tsconfig.json).
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npm run console:dev`: the admin API of a running relay (RELAY_URL, default the local one).
  server: { proxy: { '/admin': process.env.RELAY_URL ?? 'http://127.0.0.1:8787' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    // The relay's CSP allows no inline script: keep even small assets as files.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
