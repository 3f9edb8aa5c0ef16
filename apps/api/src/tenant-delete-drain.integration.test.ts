import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, openTenancy } from '@salesfleet/tenancy';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiProcess, TEST_PASSWORD, type ApiProcess } from './testing';

// Issue 10 item 7: during `delete-tenant --force` and for 4 s after it printed "Deleted", 31 writes to
// a SQLite tenant answered 201 into an unlinked file. The delete runs in another process (the CLI's)
// than the API serving the writes, as in production.

function post(agent: Agent, port: number, host: string, path: string, token: string | null, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = httpRequest(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          host,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('deleting a SQLite tenant while another process writes to it', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'salesfleet-delete-drain-'));
  let server: ApiProcess | null = null;
  afterAll(() => {
    server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets writes in flight finish or refuses them, and acknowledges none once the delete is done', async () => {
    const tenancy = await openTenancy(loadConfig({ SALESFLEET_DATA_DIR: dataDir }), { migrateRegistry: true });
    try {
      await tenancy.provisioner.createTenant(
        { name: 'Doomed', subdomain: 'doomed', adminEmail: 'admin@doomed.example', adminPassword: TEST_PASSWORD },
        { actor: 'test' },
      );
      server = await startApiProcess({ dataDir });
      const host = `doomed.localhost:${server.port}`;
      const loginRes = await new Promise<string>((resolve, reject) => {
        const payload = JSON.stringify({ login: 'admin', password: TEST_PASSWORD });
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: server!.port,
            method: 'POST',
            path: '/api/auth/login',
            headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
      const token = (JSON.parse(loginRes) as { token: string }).token;

      let deleted = false;
      let stop = false;
      const before: number[] = [];
      const after: number[] = [];
      const writers = Array.from({ length: 6 }, async (_, w) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        for (let i = 0; !stop; i++) {
          const startedAfterDelete = deleted;
          const status = await post(agent, server!.port, host, '/api/customers', token, { name: `w${w}-${i}` });
          (startedAfterDelete ? after : before).push(status);
        }
        agent.destroy();
      });
      await new Promise((r) => setTimeout(r, 1000));
      await tenancy.provisioner.deleteTenant('doomed', { actor: 'cli:test' });
      deleted = true;
      await new Promise((r) => setTimeout(r, 1500));
      stop = true;
      await Promise.all(writers);

      expect(before.filter((s) => s === 201).length).toBeGreaterThan(0);
      expect(after.length).toBeGreaterThan(0);
      // After "Deleted": refused, never acknowledged (the file is gone).
      expect(after.filter((s) => s === 201)).toEqual([]);
      expect(new Set(after).size > 0 && [...new Set(after)].every((s) => s === 503 || s === 404)).toBe(true);
      // Meanwhile: completed before the file went (201) or refused — never a server error.
      expect([...new Set(before)].every((s) => s === 201 || s === 503 || s === 404)).toBe(true);
    } finally {
      await tenancy.close();
    }
  });
});
