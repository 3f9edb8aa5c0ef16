import type { ReactNode } from 'react';

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" aria-busy="true">
      {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** A coloured message. `announce` (default) makes it a live region: an alert for warnings, a status otherwise. */
export function Notice({
  kind,
  children,
  announce = true,
}: {
  kind: 'success' | 'warning' | 'info';
  children: ReactNode;
  announce?: boolean;
}) {
  const role = announce ? (kind === 'warning' ? 'alert' : 'status') : undefined;
  return (
    <div className={`notice notice-${kind}`} role={role}>
      {children}
    </div>
  );
}
