// Types of index.js (plain JavaScript, checked by `tsc --noEmit` with checkJs).

/** The build's record: `dist/current.json`. */
export interface Manifest {
  /** The build's folder under dist/. */
  id: string;
  /** The entry file in that folder (main.js). */
  entry: string;
  /** When the build started (ms since the epoch); an input changed after it makes the build stale. */
  builtAt: number;
  /** Every file the build read, relative to the repository root. */
  inputs: string[];
}

/** Compiles the app in `appDir` into `dist/<id>/` and makes it the current build. */
export function buildApp(options: { appDir: string; entry?: string }): Promise<Manifest>;
/** Runs the app's current build, building it first when missing or stale. */
export function launch(appUrl: URL, options?: { entry?: string }): Promise<void>;
export function readManifest(appDir: string): Manifest | null;
export function isFresh(appDir: string, manifest: Manifest): boolean;
