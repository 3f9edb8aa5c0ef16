/**
 * @salesfleet/build — compiled JavaScript for the apps that run on Node (apps/api, apps/cli).
 * `launch(appUrl)` runs an app's build (building it when missing or stale); `buildApp({ appDir })` builds.
 */
export { buildApp } from './build.js';
export { launch } from './launch.js';
export { isFresh, readManifest } from './manifest.js';
