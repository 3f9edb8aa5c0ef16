import { useState } from 'react';
import type { ExpiringStockJson } from '@salesfleet/contracts';
import { type Column, ListFrame, queryString } from '@salesfleet/ui';
import { useApi } from '../api/use-api';
import { LocationFilter, useLocationColumn } from '../components/list-filters';
import { useSession } from '../lib/session-context';

type Batch = ExpiringStockJson['batches'][number];

const WINDOWS = [7, 30, 90] as const;

/** What a batch's expiry means today, in words a shop assistant acts on. */
export function expiryText(daysLeft: number): string {
  if (daysLeft < 0) return `Expired ${-daysLeft} ${-daysLeft === 1 ? 'day' : 'days'} ago`;
  if (daysLeft === 0) return 'Last day today';
  return `${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left`;
}

/**
 * Expiring soon (GET /api/stock/expiring): batches with stock that expire within the chosen window,
 * expired ones first (they are no longer sold), per location, with a CSV export.
 */
export function ExpiringStock() {
  const { date, workspace } = useSession();
  const [days, setDays] = useState<number>(30);
  const [locationId, setLocationId] = useState('');
  const list = useApi<{ report: ExpiringStockJson }>(`/stock/expiring${queryString({ days, locationId })}`);
  const columns: Column<Batch>[] = [
    { header: 'Product', cell: (b) => `${b.sku} ${b.name}`, csv: (b) => `${b.sku} ${b.name}` },
    { header: 'Batch', cell: (b) => b.batchNumber, csv: (b) => b.batchNumber },
    ...useLocationColumn<Batch>((b) => b.locationId),
    { header: 'Expires', cell: (b) => date(b.expiryDate), csv: (b) => b.expiryDate },
    {
      header: 'When',
      cell: (b) => (
        <span className={`badge ${b.expired ? 'badge-bad' : b.daysLeft <= 7 ? 'badge-warn' : 'badge-muted'}`}>
          {expiryText(b.daysLeft)}
        </span>
      ),
      csv: (b) => b.daysLeft,
    },
    { header: 'On hand', cell: (b) => b.quantity, csv: (b) => b.quantity, num: true },
  ];
  return (
    <ListFrame
      query={list}
      rows={(d) => d.report.batches}
      columns={columns}
      rowKey={(b) => b.batchId}
      noun="batches expiring soon"
      label="Expiring soon"
      filtered={Boolean(locationId)}
      filters={
        <>
          <label>
            Expiring within
            <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {WINDOWS.map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </select>
          </label>
          <LocationFilter value={locationId} onChange={setLocationId} />
        </>
      }
      empty={<p>No batch with stock expires within {days} days. Products tracked in batches show here as their expiry nears.</p>}
      csvName={`${workspace.slug}-expiring-${days}-days.csv`}
    />
  );
}
