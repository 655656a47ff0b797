import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { precompress } from './scripts/precompress.js'

const server = `http://localhost:${process.env.PORT ?? 8080}`

export default defineConfig({
  root: 'client',
  // Static files are sent compressed (brotli or gzip, by Accept-Encoding): compressed once, at build.
  plugins: [react(), precompress()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    // dist/client/.vite/manifest.json: which chunk imports which (test/project/chunks.test.ts reads it,
    // with the source maps, to keep facilitator-only modules out of a participant's list view).
    manifest: true,
    // tldraw is one large chunk, loaded lazily only when the canvas is shown.
    chunkSizeWarningLimit: 2500,
  },
  // tldraw's assets are imported as URLs (self-hosted fonts, icons, translations); the dev server's
  // dependency optimiser cannot pre-bundle them.
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  server: {
    proxy: {
      '/api': server,
      '/healthz': server,
      '/sync': { target: server.replace('http', 'ws'), ws: true },
    },
  },
})
