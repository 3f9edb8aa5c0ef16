import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import { instantAttribute, timestampAttribute } from '@salesfleet/models';
import type { Engine, ServerEngine, TenantServerState, TenantStatus } from '@salesfleet/contracts';

export type OperationOutcome = 'started' | 'succeeded' | 'failed';

/**
 * The registry's Sequelize models, declared inside the factory so that every Sequelize instance gets
 * its own classes (DESIGN.md: a class initialised on two instances queries the last one).
 * Table and column names match `packages/migrations/src/registry` exactly (a test compares them).
 */
export function defineRegistryModels(sequelize: Sequelize) {
  class Tenant extends Model<InferAttributes<Tenant>, InferCreationAttributes<Tenant>> {
    declare id: CreationOptional<number>;
    declare slug: string;
    declare name: string;
    declare adminEmail: string;
    declare status: TenantStatus;
    declare suspendedReason: string | null;
    declare maxUsers: number;
    declare multiLocation: boolean;
    declare trialEndsAt: Date | null;
    declare paidUntil: Date | null;
    declare dbEngine: Engine;
    declare dbHost: string | null;
    declare dbPort: number | null;
    declare dbName: string;
    /** The `postgres-schema` placement: the tenant's schema in the shared database `dbName` (null: the whole database). */
    declare dbSchema: string | null;
    declare dbUser: string | null;
    declare dbPasswordEncrypted: string | null;
    declare dbManaged: boolean;
    /** `databaseKey(db)`: unique, so a database belongs to at most one tenant. */
    declare dbKey: string | null;
    /** The registered tenant server the database is on (null: given by URL, SQLite, or placed before servers). */
    declare serverId: CreationOptional<number | null>;
    declare provisioningOwner: string | null;
    declare provisioningLeaseUntil: Date | null;
    declare schemaVersion: string | null;
    declare userCount: CreationOptional<number | null>;
    declare healthReachable: CreationOptional<boolean | null>;
    declare healthLatencyMs: CreationOptional<number | null>;
    declare healthSizeBytes: CreationOptional<number | null>;
    declare healthError: CreationOptional<string | null>;
    declare healthCheckedAt: CreationOptional<Date | null>;
    declare version: CreationOptional<number>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  Tenant.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      slug: { type: DataTypes.STRING(63), allowNull: false, unique: true },
      name: { type: DataTypes.STRING(200), allowNull: false },
      adminEmail: { type: DataTypes.STRING(254), allowNull: false },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'provisioning' },
      suspendedReason: { type: DataTypes.STRING(500), allowNull: true },
      maxUsers: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 50 },
      multiLocation: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      trialEndsAt: instantAttribute(sequelize, { allowNull: true }),
      paidUntil: instantAttribute(sequelize, { allowNull: true }),
      dbEngine: { type: DataTypes.STRING(16), allowNull: false },
      dbHost: { type: DataTypes.STRING(255), allowNull: true },
      dbPort: { type: DataTypes.INTEGER, allowNull: true },
      dbName: { type: DataTypes.STRING(255), allowNull: false },
      dbSchema: { type: DataTypes.STRING(63), allowNull: true },
      dbUser: { type: DataTypes.STRING(128), allowNull: true },
      dbPasswordEncrypted: { type: DataTypes.TEXT, allowNull: true },
      dbManaged: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      dbKey: { type: DataTypes.STRING(600), allowNull: true },
      serverId: { type: DataTypes.INTEGER, allowNull: true },
      provisioningOwner: { type: DataTypes.STRING(255), allowNull: true },
      provisioningLeaseUntil: instantAttribute(sequelize, { allowNull: true }),
      schemaVersion: { type: DataTypes.STRING(255), allowNull: true },
      userCount: { type: DataTypes.INTEGER, allowNull: true },
      healthReachable: { type: DataTypes.BOOLEAN, allowNull: true },
      healthLatencyMs: { type: DataTypes.DOUBLE, allowNull: true },
      healthSizeBytes: { type: DataTypes.BIGINT, allowNull: true },
      healthError: { type: DataTypes.STRING(500), allowNull: true },
      healthCheckedAt: instantAttribute(sequelize, { allowNull: true }),
      version: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      tableName: 'tenants',
      modelName: 'Tenant',
      underscored: true,
      timestamps: true,
      indexes: [
        { name: 'tenants_db_key', unique: true, fields: ['db_key'] },
        { name: 'tenants_status_slug', fields: ['status', 'slug'] },
        { name: 'tenants_db_engine_slug', fields: ['db_engine', 'slug'] },
        { name: 'tenants_db_host_slug', fields: ['db_host', 'slug'] },
        { name: 'tenants_created_at', fields: ['created_at'] },
        { name: 'tenants_user_count', fields: ['user_count'] },
        { name: 'tenants_server_id_slug', fields: ['server_id', 'slug'] },
      ],
    },
  );

  class TenantDomain extends Model<InferAttributes<TenantDomain>, InferCreationAttributes<TenantDomain>> {
    declare id: CreationOptional<number>;
    declare tenantId: ForeignKey<number>;
    declare domain: string;
    declare isPrimary: boolean;
    declare createdAt: CreationOptional<Date>;
  }
  TenantDomain.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'tenants', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      domain: { type: DataTypes.STRING(253), allowNull: false, unique: true },
      isPrimary: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      tableName: 'tenant_domains',
      modelName: 'TenantDomain',
      underscored: true,
      timestamps: true,
      updatedAt: false,
      indexes: [{ name: 'tenant_domains_tenant_id', fields: ['tenant_id'] }],
    },
  );

  class PlatformAdmin extends Model<InferAttributes<PlatformAdmin>, InferCreationAttributes<PlatformAdmin>> {
    declare id: CreationOptional<number>;
    declare username: string;
    declare email: string;
    declare passwordHash: string;
    declare mustChangePassword: boolean;
    declare isActive: CreationOptional<boolean>;
    declare lastLoginAt: Date | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  PlatformAdmin.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      username: { type: DataTypes.STRING(150), allowNull: false, unique: true },
      email: { type: DataTypes.STRING(254), allowNull: false, unique: true },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      mustChangePassword: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      lastLoginAt: instantAttribute(sequelize, { allowNull: true }),
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    { sequelize, tableName: 'platform_admins', modelName: 'PlatformAdmin', underscored: true, timestamps: true },
  );

  class PlatformSession extends Model<InferAttributes<PlatformSession>, InferCreationAttributes<PlatformSession>> {
    declare id: CreationOptional<number>;
    declare tokenHash: string;
    declare adminId: ForeignKey<number>;
    declare expiresAt: Date;
    declare lastSeenAt: Date;
    declare ip: string | null;
    declare userAgent: string | null;
    declare createdAt: CreationOptional<Date>;
  }
  PlatformSession.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tokenHash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
      adminId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'platform_admins', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      expiresAt: instantAttribute(sequelize, { allowNull: false }),
      lastSeenAt: instantAttribute(sequelize, { allowNull: false }),
      ip: { type: DataTypes.STRING(64), allowNull: true },
      userAgent: { type: DataTypes.STRING(500), allowNull: true },
      createdAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      tableName: 'platform_sessions',
      modelName: 'PlatformSession',
      underscored: true,
      timestamps: true,
      updatedAt: false,
      indexes: [
        { name: 'platform_sessions_admin_id', fields: ['admin_id'] },
        { name: 'platform_sessions_expires_at', fields: ['expires_at'] },
      ],
    },
  );

  class Operation extends Model<InferAttributes<Operation>, InferCreationAttributes<Operation>> {
    declare id: CreationOptional<number>;
    declare runId: string;
    declare tenantId: number | null;
    declare tenantSlug: string | null;
    declare action: string;
    declare step: string | null;
    declare outcome: OperationOutcome;
    declare actor: string;
    declare details: string;
    declare error: string | null;
    declare durationMs: number | null;
    declare createdAt: CreationOptional<Date>;
  }
  Operation.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      runId: { type: DataTypes.STRING(36), allowNull: false },
      tenantId: { type: DataTypes.INTEGER, allowNull: true },
      tenantSlug: { type: DataTypes.STRING(63), allowNull: true },
      action: { type: DataTypes.STRING(64), allowNull: false },
      step: { type: DataTypes.STRING(64), allowNull: true },
      outcome: { type: DataTypes.STRING(16), allowNull: false },
      actor: { type: DataTypes.STRING(200), allowNull: false },
      details: { type: DataTypes.TEXT, allowNull: false },
      error: { type: DataTypes.TEXT, allowNull: true },
      durationMs: { type: DataTypes.INTEGER, allowNull: true },
      createdAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      tableName: 'operations',
      modelName: 'Operation',
      underscored: true,
      timestamps: true,
      updatedAt: false,
      indexes: [
        { name: 'operations_tenant_slug_id', fields: ['tenant_slug', 'id'] },
        { name: 'operations_action_id', fields: ['action', 'id'] },
        { name: 'operations_run_id', fields: ['run_id'] },
      ],
    },
  );

  /** Sign-in attempts per throttle key, shared by every API process (the API's RegistryAttemptStore writes them). */
  class SignInAttempt extends Model<InferAttributes<SignInAttempt>, InferCreationAttributes<SignInAttempt>> {
    declare throttleKey: string;
    /** Epoch milliseconds. */
    declare windowStartedAt: number;
    declare failures: number;
  }
  SignInAttempt.init(
    {
      throttleKey: { type: DataTypes.STRING(400), primaryKey: true, allowNull: false },
      windowStartedAt: { type: DataTypes.BIGINT, allowNull: false },
      failures: { type: DataTypes.INTEGER, allowNull: false },
    },
    { sequelize, tableName: 'sign_in_attempts', modelName: 'SignInAttempt', underscored: true, timestamps: false },
  );

  /** One change to a tenant, for the other processes of a registry without LISTEN/NOTIFY (registry/change-feed.ts). */
  class RegistryChangeRow extends Model<InferAttributes<RegistryChangeRow>, InferCreationAttributes<RegistryChangeRow>> {
    declare id: CreationOptional<number>;
    /** The process that made the change (it skips its own rows). */
    declare origin: string;
    declare kind: string;
    declare tenantId: number;
    declare slug: string;
    declare domain: string | null;
    declare keepConnections: boolean;
    declare createdAt: Date;
  }
  RegistryChangeRow.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      origin: { type: DataTypes.STRING(36), allowNull: false },
      kind: { type: DataTypes.STRING(32), allowNull: false },
      tenantId: { type: DataTypes.INTEGER, allowNull: false },
      slug: { type: DataTypes.STRING(63), allowNull: false },
      domain: { type: DataTypes.STRING(253), allowNull: true },
      keepConnections: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      createdAt: instantAttribute(sequelize, { allowNull: false }),
    },
    {
      sequelize,
      tableName: 'registry_changes',
      modelName: 'RegistryChangeRow',
      underscored: true,
      timestamps: false,
      indexes: [{ name: 'registry_changes_created_at', fields: ['created_at'] }],
    },
  );

  /** A fleet job (migrate, health, backup): one at a time per kind, resumable (fleet-jobs/). */
  class FleetJob extends Model<InferAttributes<FleetJob>, InferCreationAttributes<FleetJob>> {
    declare id: CreationOptional<number>;
    declare kind: string;
    declare state: string;
    /** JSON of the options it was started with. */
    declare options: string;
    declare actor: string;
    /** The process running it (host:pid:random) while `running`. */
    declare owner: string | null;
    /** Renewed by the owner; a running job past it is picked up again. */
    declare leaseUntil: Date | null;
    declare attempts: CreationOptional<number>;
    declare total: CreationOptional<number>;
    declare error: string | null;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
    declare finishedAt: Date | null;
  }
  FleetJob.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      options: { type: DataTypes.TEXT, allowNull: false },
      actor: { type: DataTypes.STRING(255), allowNull: false },
      owner: { type: DataTypes.STRING(255), allowNull: true },
      leaseUntil: instantAttribute(sequelize, { allowNull: true }),
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
      total: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      error: { type: DataTypes.STRING(500), allowNull: true },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
      finishedAt: instantAttribute(sequelize, { allowNull: true }),
    },
    {
      sequelize,
      tableName: 'fleet_jobs',
      modelName: 'FleetJob',
      underscored: true,
      timestamps: true,
      indexes: [
        { name: 'fleet_jobs_kind_state', fields: ['kind', 'state'] },
        { name: 'fleet_jobs_state_lease', fields: ['state', 'lease_until'] },
      ],
    },
  );

  /** One tenant of a fleet job: `pending` until done, then `done`, `skipped` or `failed`. */
  class FleetJobTenant extends Model<InferAttributes<FleetJobTenant>, InferCreationAttributes<FleetJobTenant>> {
    declare id: CreationOptional<number>;
    declare jobId: number;
    declare tenantId: number;
    declare slug: string;
    declare state: string;
    /** JSON: what the operation reported (migrations applied, latency, archive…). */
    declare detail: string | null;
    declare error: string | null;
    declare durationMs: number | null;
    declare finishedAt: Date | null;
  }
  FleetJobTenant.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      jobId: { type: DataTypes.INTEGER, allowNull: false },
      tenantId: { type: DataTypes.INTEGER, allowNull: false },
      slug: { type: DataTypes.STRING(63), allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      detail: { type: DataTypes.TEXT, allowNull: true },
      error: { type: DataTypes.STRING(500), allowNull: true },
      durationMs: { type: DataTypes.INTEGER, allowNull: true },
      finishedAt: instantAttribute(sequelize, { allowNull: true }),
    },
    {
      sequelize,
      tableName: 'fleet_job_tenants',
      modelName: 'FleetJobTenant',
      underscored: true,
      timestamps: false,
      indexes: [
        { name: 'fleet_job_tenants_job_tenant', unique: true, fields: ['job_id', 'tenant_id'] },
        { name: 'fleet_job_tenants_job_state', fields: ['job_id', 'state'] },
      ],
    },
  );

  /** One health check of one tenant (the health job's and every other check's), kept 30 days. */
  class TenantHealthSample extends Model<InferAttributes<TenantHealthSample>, InferCreationAttributes<TenantHealthSample>> {
    declare id: CreationOptional<number>;
    declare tenantId: number;
    declare checkedAt: Date;
    declare reachable: boolean;
    declare latencyMs: number | null;
    declare sizeBytes: number | null;
    declare schemaVersion: string | null;
    declare userCount: number | null;
    declare error: string | null;
  }
  TenantHealthSample.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tenantId: { type: DataTypes.INTEGER, allowNull: false },
      checkedAt: instantAttribute(sequelize, { allowNull: false }),
      reachable: { type: DataTypes.BOOLEAN, allowNull: false },
      latencyMs: { type: DataTypes.DOUBLE, allowNull: true },
      sizeBytes: { type: DataTypes.BIGINT, allowNull: true },
      schemaVersion: { type: DataTypes.STRING(255), allowNull: true },
      userCount: { type: DataTypes.INTEGER, allowNull: true },
      error: { type: DataTypes.STRING(500), allowNull: true },
    },
    {
      sequelize,
      tableName: 'tenant_health_samples',
      modelName: 'TenantHealthSample',
      underscored: true,
      timestamps: false,
      indexes: [
        { name: 'tenant_health_samples_tenant_checked', fields: ['tenant_id', 'checked_at'] },
        { name: 'tenant_health_samples_checked', fields: ['checked_at'] },
      ],
    },
  );

  /** A database server new tenants are placed on (registry/tenant-servers.ts). */
  class TenantServerRow extends Model<InferAttributes<TenantServerRow>, InferCreationAttributes<TenantServerRow>> {
    declare id: CreationOptional<number>;
    declare name: string;
    declare engine: ServerEngine;
    declare host: string;
    declare port: number;
    declare user: string | null;
    declare passwordEncrypted: string | null;
    declare maintenanceDatabase: string | null;
    declare capacity: number;
    declare state: TenantServerState;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;
  }
  TenantServerRow.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(63), allowNull: false, unique: true },
      engine: { type: DataTypes.STRING(16), allowNull: false },
      host: { type: DataTypes.STRING(255), allowNull: false },
      port: { type: DataTypes.INTEGER, allowNull: false },
      user: { type: DataTypes.STRING(128), allowNull: true },
      passwordEncrypted: { type: DataTypes.TEXT, allowNull: true },
      maintenanceDatabase: { type: DataTypes.STRING(255), allowNull: true },
      capacity: { type: DataTypes.INTEGER, allowNull: false },
      state: { type: DataTypes.STRING(16), allowNull: false },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    { sequelize, tableName: 'tenant_servers', modelName: 'TenantServerRow', underscored: true, timestamps: true },
  );

  /** A live API process, renewing its heartbeat (process-census.ts): the shared connection budget is divided by their number. */
  class ApiProcessRow extends Model<InferAttributes<ApiProcessRow>, InferCreationAttributes<ApiProcessRow>> {
    declare id: string;
    declare startedAt: Date;
    declare heartbeatAt: Date;
  }
  ApiProcessRow.init(
    {
      id: { type: DataTypes.STRING(36), primaryKey: true },
      startedAt: instantAttribute(sequelize, { allowNull: false }),
      heartbeatAt: instantAttribute(sequelize, { allowNull: false }),
    },
    {
      sequelize,
      tableName: 'api_processes',
      modelName: 'ApiProcessRow',
      underscored: true,
      timestamps: false,
      indexes: [{ name: 'api_processes_heartbeat_at', fields: ['heartbeat_at'] }],
    },
  );

  /**
   * A PostgreSQL database tenants are placed in: one tenant's own (`whole`) or a shared database of
   * schema tenants (`schemas`), and how many tenants of that kind it holds. The primary key (the
   * database's identity, `databaseKey` without a schema) makes one kind per database (issue 17).
   */
  class TenantDatabaseRow extends Model<InferAttributes<TenantDatabaseRow>, InferCreationAttributes<TenantDatabaseRow>> {
    declare dbKey: string;
    declare kind: 'whole' | 'schemas';
    declare tenants: number;
  }
  TenantDatabaseRow.init(
    {
      dbKey: { type: DataTypes.STRING(600), primaryKey: true },
      kind: { type: DataTypes.STRING(16), allowNull: false },
      tenants: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    { sequelize, tableName: 'tenant_databases', modelName: 'TenantDatabaseRow', underscored: true, timestamps: false },
  );

  // Associations only where queries use them (domain → tenant, session → admin).
  const cascade = { onDelete: 'CASCADE', onUpdate: 'CASCADE' } as const;
  Tenant.hasMany(TenantDomain, { foreignKey: 'tenantId', as: 'domains', ...cascade });
  TenantDomain.belongsTo(Tenant, { foreignKey: 'tenantId', as: 'tenant', ...cascade });
  PlatformAdmin.hasMany(PlatformSession, { foreignKey: 'adminId', as: 'sessions', ...cascade });
  PlatformSession.belongsTo(PlatformAdmin, { foreignKey: 'adminId', as: 'admin', ...cascade });
  FleetJob.hasMany(FleetJobTenant, { foreignKey: 'jobId', as: 'tenants', ...cascade });
  FleetJobTenant.belongsTo(FleetJob, { foreignKey: 'jobId', as: 'job', ...cascade });

  return {
    Tenant,
    TenantDomain,
    PlatformAdmin,
    PlatformSession,
    Operation,
    SignInAttempt,
    RegistryChangeRow,
    FleetJob,
    FleetJobTenant,
    TenantHealthSample,
    TenantServerRow,
    ApiProcessRow,
    TenantDatabaseRow,
    sequelize,
  };
}

export type RegistryModels = ReturnType<typeof defineRegistryModels>;
export type TenantRow = InstanceType<RegistryModels['Tenant']>;
export type OperationRow = InstanceType<RegistryModels['Operation']>;
