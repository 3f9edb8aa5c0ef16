import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/** A screen in a chunk of its own: `load()` fetches the chunk (once; again after a failure). */
export interface ScreenChunk {
  load: () => Promise<ComponentType>;
  /** The screen, once its chunk has arrived. */
  loaded: ComponentType | null;
  lazy: LazyExoticComponent<ComponentType>;
}

export function screenChunk(importer: () => Promise<ComponentType>): ScreenChunk {
  let loading: Promise<ComponentType> | null = null;
  const chunk: ScreenChunk = {
    loaded: null,
    load: () =>
      (loading ??= importer().then(
        (component) => {
          chunk.loaded = component;
          return component;
        },
        (err: unknown) => {
          loading = null;
          throw err;
        },
      )),
    lazy: lazy(() => chunk.load().then((component) => ({ default: component }))),
  };
  return chunk;
}

/**
 * Renders a chunk's screen: at once when the chunk has already arrived (a screen started early, see
 * preload.tsx), else as React.lazy does — suspended behind the route's fallback until it arrives.
 * React.lazy alone would suspend even on an arrived chunk, show the fallback, and then hold the screen
 * back for up to 300 ms (React's throttle on revealing suspended content).
 */
export function Screen({ chunk }: { chunk: ScreenChunk }) {
  const Component = chunk.loaded ?? chunk.lazy;
  return <Component />;
}
