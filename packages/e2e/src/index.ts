export { CHROMIUM_PATH, chromiumSkipReason, launchChromium } from './browser';
export {
  ADMIN_PASSWORD_PATTERN,
  ADMIN_USERNAME,
  createWorkspace,
  freePort,
  type HttpAnswer,
  httpGet,
  httpJson,
  type JsonAnswer,
  REPO_ROOT,
  type RunningServer,
  startServer,
} from './server';
