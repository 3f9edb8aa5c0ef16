import { createContext, useContext } from 'react';
import { formatDate, formatDateTime, formatMoney, type MinorUnits } from '@salesfleet/ui';
import type { Me, Workspace } from '../api/types';

export interface SessionValue {
  me: Me;
  workspace: Workspace;
  permissions: ReadonlySet<string>;
  can: (permission: string) => boolean;
  /** Exact for every form the API sends: numbers and ReportAmount's decimal strings. */
  money: (minor: MinorUnits) => string;
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function sessionValue(me: Me, workspace: Workspace): SessionValue {
  const permissions = new Set(me.permissions);
  const where = { locale: workspace.locale, timeZone: workspace.timeZone };
  return {
    me,
    workspace,
    permissions,
    can: (p) => permissions.has(p),
    money: (minor) => formatMoney(minor, { currency: workspace.currency, locale: workspace.locale }),
    date: (iso) => formatDate(iso, where),
    dateTime: (iso) => formatDateTime(iso, where),
  };
}

/** The signed-in user, their permissions and the workspace's formats (inside the signed-in layout only). */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside the signed-in layout');
  return value;
}
