// @vitest-environment node
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { adminDistDir } from './dist-path';

describe('adminDistDir', () => {
  it('is the absolute path of apps/admin/dist, where vite build writes', () => {
    expect(isAbsolute(adminDistDir)).toBe(true);
    expect(adminDistDir).toBe(join(fileURLToPath(new URL('..', import.meta.url)), 'dist'));
  });
});
