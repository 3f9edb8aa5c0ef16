import { DataTypes } from 'sequelize';
import type { MigrationDefinition } from '../types';

/**
 * Fleet jobs (migrate, health, backup) recorded in the registry so that any API process or the CLI can
 * start, follow and resume them: one row per job with its lease (the process running it renews
 * `lease_until`; a job whose lease ran out is picked up again), one row per tenant of the job with its
 * outcome, and the health samples the health job writes (kept 30 days) for the console's charts.
 */
export const fleetJobs: MigrationDefinition = {
  name: '202612070720-fleet-jobs',

  async up({ queryInterface, transaction }) {
    await queryInterface.createTable(
      'fleet_jobs',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        kind: { type: DataTypes.STRING(16), allowNull: false },
        state: { type: DataTypes.STRING(16), allowNull: false },
        options: { type: DataTypes.TEXT, allowNull: false },
        actor: { type: DataTypes.STRING(255), allowNull: false },
        owner: { type: DataTypes.STRING(255), allowNull: true },
        lease_until: { type: DataTypes.DATE, allowNull: true },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1 },
        total: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        error: { type: DataTypes.STRING(500), allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
        finished_at: { type: DataTypes.DATE, allowNull: true },
      },
      { transaction },
    );
    await queryInterface.addIndex('fleet_jobs', ['kind', 'state'], { name: 'fleet_jobs_kind_state', transaction });
    await queryInterface.addIndex('fleet_jobs', ['state', 'lease_until'], { name: 'fleet_jobs_state_lease', transaction });

    await queryInterface.createTable(
      'fleet_job_tenants',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        job_id: {
          type: DataTypes.INTEGER,
          allowNull: false,
          references: { model: 'fleet_jobs', key: 'id' },
          onDelete: 'CASCADE',
          onUpdate: 'CASCADE',
        },
        tenant_id: { type: DataTypes.INTEGER, allowNull: false },
        slug: { type: DataTypes.STRING(63), allowNull: false },
        state: { type: DataTypes.STRING(16), allowNull: false },
        detail: { type: DataTypes.TEXT, allowNull: true },
        error: { type: DataTypes.STRING(500), allowNull: true },
        duration_ms: { type: DataTypes.INTEGER, allowNull: true },
        finished_at: { type: DataTypes.DATE, allowNull: true },
      },
      { transaction },
    );
    await queryInterface.addIndex('fleet_job_tenants', ['job_id', 'tenant_id'], {
      name: 'fleet_job_tenants_job_tenant',
      unique: true,
      transaction,
    });
    await queryInterface.addIndex('fleet_job_tenants', ['job_id', 'state'], { name: 'fleet_job_tenants_job_state', transaction });

    await queryInterface.createTable(
      'tenant_health_samples',
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false },
        tenant_id: { type: DataTypes.INTEGER, allowNull: false },
        checked_at: { type: DataTypes.DATE, allowNull: false },
        reachable: { type: DataTypes.BOOLEAN, allowNull: false },
        latency_ms: { type: DataTypes.DOUBLE, allowNull: true },
        size_bytes: { type: DataTypes.BIGINT, allowNull: true },
        schema_version: { type: DataTypes.STRING(255), allowNull: true },
        user_count: { type: DataTypes.INTEGER, allowNull: true },
        error: { type: DataTypes.STRING(500), allowNull: true },
      },
      { transaction },
    );
    await queryInterface.addIndex('tenant_health_samples', ['tenant_id', 'checked_at'], {
      name: 'tenant_health_samples_tenant_checked',
      transaction,
    });
    await queryInterface.addIndex('tenant_health_samples', ['checked_at'], { name: 'tenant_health_samples_checked', transaction });
  },

  async down({ queryInterface, transaction }) {
    await queryInterface.dropTable('tenant_health_samples', { transaction });
    await queryInterface.dropTable('fleet_job_tenants', { transaction });
    await queryInterface.dropTable('fleet_jobs', { transaction });
  },
};
