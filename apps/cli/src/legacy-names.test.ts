import { describe, expect, it } from 'vitest';
import { LEGACY_COMMANDS, UNAVAILABLE_LEGACY, legacyHelp, rewriteLegacyArgs } from './legacy-names';

describe('old Django command names', () => {
  it('become the new command with the same arguments', () => {
    expect(rewriteLegacyArgs(['create_tenant', 'Acme', 'acme', 'a@acme.test', '--max-users=5']).args).toEqual([
      'create-tenant',
      'Acme',
      'acme',
      'a@acme.test',
      '--max-users=5',
    ]);
    expect(rewriteLegacyArgs(['create_production_tenant', 'A', 'a', 'a@a.test', '--skip-demo-data']).args[0]).toBe('create-tenant');
    expect(rewriteLegacyArgs(['force_migrate_tenant', 'acme']).args).toEqual(['migrate-tenants', '--repair', '--tenant', 'acme']);
    expect(rewriteLegacyArgs(['fix_tenant_domain', 'acme', 'shop.acme.com']).args).toEqual(['domains', 'add', 'acme', 'shop.acme.com']);
    expect(rewriteLegacyArgs(['delete_tenant', 'acme', '--force']).args).toEqual(['delete-tenant', 'acme', '--force']);
  });

  it('leave new names and arguments that merely look old alone', () => {
    expect(rewriteLegacyArgs(['list-tenants', 'create_tenant'])).toEqual({ args: ['list-tenants', 'create_tenant'], legacy: null });
    expect(rewriteLegacyArgs([])).toEqual({ args: [], legacy: null });
  });

  it('are all in the help mapping, one line each target', () => {
    const help = legacyHelp();
    for (const c of LEGACY_COMMANDS) expect(help).toContain(c.old);
    for (const old of Object.keys(UNAVAILABLE_LEGACY)) expect(help).toMatch(new RegExp(`${old}\\s+→ not yet`));
    expect(help.split('\n').every((line) => line.includes('→'))).toBe(true);
  });
});
