import type {
  Config,
  FleetJobs,
  HostRouter,
  OperationsLog,
  Provisioner,
  Registry,
  TenancyChangeFeed,
  TenantConnections,
} from '@salesfleet/tenancy';

/**
 * What the API uses of an opened tenancy (`openTenancy()` of @salesfleet/tenancy returns it). Named
 * here so tests and embedders see the exact surface the HTTP layer depends on.
 */
export interface AppTenancy {
  config: Config;
  registry: Registry;
  router: Pick<HostRouter, 'resolveHost'>;
  connections: Pick<TenantConnections, 'acquire' | 'withTenant' | 'evict'>;
  provisioner: Provisioner;
  /** The operations log (backups, restores, moves and recoveries started from the console). */
  operations: OperationsLog;
  /** Fleet jobs (migrate, health, backup) recorded in the registry. */
  jobs: FleetJobs;
  /** Other processes' changes as this process receives them (null when it does not listen): the session cache trusts it. */
  changeFeed: TenancyChangeFeed | null;
  /** `http://<slug>.<base-domain>:<port>/` as users reach it. */
  tenantUrl(slug: string): string;
}
