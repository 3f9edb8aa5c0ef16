import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { AssociateModel, Group } from '../model-types';

/** A permission such as `sales.add_invoice` (`<app>.<action>_<model>`); the list lives in permissions.ts. */
export function definePermission(sequelize: Sequelize) {
  class Permission extends Model<InferAttributes<Permission>, InferCreationAttributes<Permission>> {
    declare id: CreationOptional<number>;
    declare codename: string;
    declare name: string;

    declare groups?: NonAttribute<Group[]>;
  }

  Permission.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      codename: { type: DataTypes.STRING(100), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
    },
    {
      sequelize,
      modelName: 'Permission',
      tableName: 'auth_permissions',
      underscored: true,
      timestamps: false,
      indexes: [{ name: 'auth_permissions_codename_unique', unique: true, fields: ['codename'] }],
    },
  );
  return Permission;
}

export const associatePermission: AssociateModel<'Permission'> = (Permission, target) => {
  Permission.belongsToMany(target('Group'), {
    as: 'groups',
    through: { model: target('GroupPermission'), unique: false },
    foreignKey: 'permissionId',
    otherKey: 'groupId',
    constraints: false,
  });
};
