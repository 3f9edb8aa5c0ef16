import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../test/render';
import type { Operation } from '@salesfleet/contracts';
import { OperationsTable } from './operations-table';

const operation: Operation = {
  id: 7,
  tenantSlug: 'acme',
  action: 'create-tenant',
  step: 'create-database',
  outcome: 'failed',
  actor: 'admin',
  details: {
    engine: 'postgres',
    adminPassword: 'Hunter2Hunter2!',
    database: { url: 'postgres://sales:s3cr3t-pw@db.internal:5432/sales_acme', passwordSet: true },
    note: 'retry with password=letmein123',
  },
  error: 'connect to postgres://sales:s3cr3t-pw@db.internal failed',
  durationMs: 1234,
  createdAt: '2025-03-01T10:00:00Z',
};

describe('operations table', () => {
  it('expands a row to its details and never shows a secret in clear', async () => {
    const user = userEvent.setup();
    renderWithProviders(<OperationsTable operations={[operation]} />);
    const toggle = screen.getByRole('button', { name: /Show details of create-tenant/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByLabelText('Operation details')).toBeNull();

    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const details = screen.getByLabelText('Operation details').textContent ?? '';
    expect(details).toContain('"engine": "postgres"');
    expect(details).toContain('db.internal:5432/sales_acme');
    expect(details).toContain('"passwordSet": true');

    const page = document.body.textContent ?? '';
    for (const secret of ['Hunter2Hunter2!', 's3cr3t-pw', 'letmein123']) expect(page).not.toContain(secret);

    await user.click(toggle);
    expect(screen.queryByLabelText('Operation details')).toBeNull();
  });
});
