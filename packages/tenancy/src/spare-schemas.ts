import { randomBytes } from 'node:crypto';
import { migrationNames } from '@salesfleet/migrations';
import { driverFor, dropSpareTenantSchema, listTenantSchemas, type DatabaseSpec, type DriverContext } from './drivers/index';
import { errorText, silentLogger, type Logger } from './logger';
import { TemplateCache } from './templates';

/**
 * Names of spare schemas start with this: no tenant schema can (they are `t_<slug>`), so the orphan
 * search (`t_*`) and every registry-driven command (listing, `migrate-tenants`, checks) never see one.
 */
export const SPARE_SCHEMA_PREFIX = 'sfspare_';

const SPARE_NAME = /^sfspare_(\d{4})_([0-9a-f]{12})_[0-9a-f]+$/;

/** `sfspare_<number of tenant migrations>_<TemplateCache.fingerprint()>_`: what the spares at this migration version start with. */
export function spareSchemaPrefix(): string {
  return `${SPARE_SCHEMA_PREFIX}${String(migrationNames('tenant').length).padStart(4, '0')}_${TemplateCache.fingerprint()}_`;
}

/**
 * `postgres-schema`: migrated schemas kept ready in each shared database this process creates schema
 * tenants in, so that a creation is one `ALTER SCHEMA … RENAME` (postgres-schema.ts claims one under
 * a lock, so two creations never get the same) instead of the template script (~200 DDL statements).
 *
 * A spare is named `sfspare_<number of tenant migrations>_<TemplateCache.fingerprint()>_<random>` and
 * made in one transaction from the template script with its migrations recorded, so it exists complete
 * or not at all: a crash leaves no half-built spare. Creations only claim spares of their own
 * fingerprint — one at another migration version is never handed out — and a refill drops spares of
 * older versions (fewer migrations, or as many with another fingerprint); those of newer versions are
 * left to the processes that run them.
 */
export class SpareSchemas {
  readonly #templates: TemplateCache;
  readonly #count: number;
  readonly #logger: Logger;
  readonly #refills = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();
  #closed = false;

  constructor(options: { templates: TemplateCache; count: number; logger?: Logger }) {
    this.#templates = options.templates;
    this.#count = options.count;
    this.#logger = options.logger ?? silentLogger;
  }

  /** The prefix of spares at this process's migration version (CreateDatabaseOptions.spare); null when spares are off. */
  prefix(): string | null {
    return this.#count === 0 || this.#closed ? null : spareSchemaPrefix();
  }

  /**
   * Tops up the spares of `spec`'s shared database in the background (after a creation there, and when
   * the first is made). One refill per shared database at a time; a request during one runs it again after.
   */
  replenish(spec: DatabaseSpec, ctx: DriverContext): void {
    if (spec.engine !== 'postgres' || !spec.schema || this.prefix() === null) return;
    const shared: DatabaseSpec = { ...spec, schema: null };
    const key = `${spec.host}:${spec.port}:${spec.user}:${spec.database}`;
    if (this.#refills.has(key)) {
      this.#again.add(key);
      return;
    }
    const run = (async () => {
      do {
        this.#again.delete(key);
        await this.#refill(shared, ctx);
      } while (this.#again.has(key) && !this.#closed);
    })()
      .catch((err: unknown) => {
        // Creations go on from the template script meanwhile; the next creation tries again.
        this.#logger.warn({ err: errorText(err, [spec.password]), database: spec.database }, 'spare tenant schemas could not be made');
      })
      .finally(() => this.#refills.delete(key));
    this.#refills.set(key, run);
  }

  /** Resolves when the refills running now have ended. */
  async settled(): Promise<void> {
    while (this.#refills.size > 0) await Promise.allSettled([...this.#refills.values()]);
  }

  /** No more refills; waits for those running (a refill is never cut inside its transaction). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.settled();
  }

  async #refill(shared: DatabaseSpec, ctx: DriverContext): Promise<void> {
    const prefix = this.prefix();
    if (prefix === null) return;
    const [, ours] = SPARE_NAME.exec(`${prefix}0`) ?? [];
    let ready = 0;
    for (const name of await listTenantSchemas(shared, SPARE_SCHEMA_PREFIX, ctx)) {
      if (name.startsWith(prefix)) {
        ready++;
        continue;
      }
      const [, version, fingerprint] = SPARE_NAME.exec(name) ?? [];
      // Older than ours, or not a name we make: never to be handed out, so not worth its space.
      if (version === undefined || version < ours! || (version === ours && fingerprint !== TemplateCache.fingerprint())) {
        await dropSpareTenantSchema({ ...shared, schema: name }, ctx);
      }
    }
    const driver = driverFor('postgres');
    for (; ready < this.#count && !this.#closed; ready++) {
      const spare: DatabaseSpec = { ...shared, schema: `${prefix}${randomBytes(4).toString('hex')}` };
      const script = await this.#templates.schemaScriptFor(spare, ctx);
      if (script === null) return; // not recorded (logged by the cache); creations migrate meanwhile
      await driver.create(spare, ctx, { script });
    }
  }
}
