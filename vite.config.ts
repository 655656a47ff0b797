import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const server = `http://localhost:${process.env.PORT ?? 8080}`

export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
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
