import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { AssociateModel, Permission, User } from '../model-types';

/** A named set of permissions (Admin, Managers, Cashiers…); users get permissions through groups. */
export function defineGroup(sequelize: Sequelize) {
  class Group extends Model<InferAttributes<Group>, InferCreationAttributes<Group>> {
    declare id: CreationOptional<number>;
    declare name: string;

    declare permissions?: NonAttribute<Permission[]>;
    declare users?: NonAttribute<User[]>;
  }

  Group.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      name: { type: DataTypes.STRING(150), allowNull: false },
    },
    {
      sequelize,
      modelName: 'Group',
      tableName: 'auth_groups',
      underscored: true,
      timestamps: false,
      indexes: [{ name: 'auth_groups_name_unique', unique: true, fields: ['name'] }],
    },
  );
  return Group;
}

export const associateGroup: AssociateModel<'Group'> = (Group, target) => {
  Group.belongsToMany(target('Permission'), {
    as: 'permissions',
    through: { model: target('GroupPermission'), unique: false },
    foreignKey: 'groupId',
    otherKey: 'permissionId',
    constraints: false,
  });
  Group.belongsToMany(target('User'), {
    as: 'users',
    through: { model: target('UserGroup'), unique: false },
    foreignKey: 'groupId',
    otherKey: 'userId',
    constraints: false,
  });
};
