import react from '@vitejs/plugin-react';
import { webAppConfig } from '@salesfleet/ui/vite';
import { defineConfig } from 'vite';

// The API serves the built console at /admin/.
export default defineConfig(webAppConfig({ base: '/admin/', appUrl: import.meta.url, plugins: [react()] }));
