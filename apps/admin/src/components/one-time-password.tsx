import type { ReactNode } from 'react';
import { CopyButton } from './copy-button';

/**
 * A one-time password, shown only this once: it lives in the caller's state and is gone when the
 * screen is left. `children` says who gets it.
 */
export function OneTimePassword({ password, children }: { password: string; children: ReactNode }) {
  return (
    <div className="notice notice-warning one-time-password" role="alert">
      <strong>One-time password — shown only this once</strong>
      <p>{children}</p>
      <div className="secret-row">
        <code className="secret" aria-label="One-time password">
          {password}
        </code>
        <CopyButton text={password} label="Copy password" />
      </div>
    </div>
  );
}
