import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type ProxyOptions } from 'vite';

// The API serves tRPC, the runtime config and its health check; the SPA reaches them on its own origin.
const apiUrl = process.env.TENANTRY_API_URL ?? 'http://127.0.0.1:3000';

/** Host is kept (no changeOrigin) so the API can still resolve a tenant from a subdomain. */
function apiProxy(): Record<string, ProxyOptions> {
  return Object.fromEntries(['/trpc', '/config.json', '/health'].map((path) => [path, { target: apiUrl, xfwd: true }]));
}

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Read workspace packages (@tenantry/shared) from their TypeScript sources.
    conditions: ['@tenantry/source', ...defaultClientConditions],
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: apiProxy(),
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
    proxy: apiProxy(),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
});
