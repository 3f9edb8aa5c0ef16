import react from '@vitejs/plugin-react';
import { webAppConfig } from '@salesfleet/ui/vite';
import { defineConfig } from 'vite';

// The API serves index.html at every client route of a tenant host (`/`, `/sell`, `/invoices/12`…)
// and the hashed files under /_app/ — a prefix no API route or client route uses. The bench and the
// API read the build's manifest to know which files the first screen needs.
export default defineConfig(webAppConfig({ base: '/_app/', appUrl: import.meta.url, plugins: [react()], manifest: true }));
