import {
  DataTypes,
  Model,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { AssociateModel, Group, Permission } from '../model-types';

/** A permission granted to a group. The composite primary key is the uniqueness rule. */
export function defineGroupPermission(sequelize: Sequelize) {
  class GroupPermission extends Model<InferAttributes<GroupPermission>, InferCreationAttributes<GroupPermission>> {
    declare groupId: ForeignKey<number>;
    declare permissionId: ForeignKey<number>;

    declare group?: NonAttribute<Group>;
    declare permission?: NonAttribute<Permission>;
  }

  GroupPermission.init(
    {
      groupId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        primaryKey: true,
        references: { model: 'auth_groups', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      permissionId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        primaryKey: true,
        references: { model: 'auth_permissions', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
    },
    {
      sequelize,
      modelName: 'GroupPermission',
      tableName: 'group_permissions',
      underscored: true,
      timestamps: false,
      indexes: [{ name: 'group_permissions_permission_id', fields: ['permission_id'] }],
    },
  );
  return GroupPermission;
}

export const associateGroupPermission: AssociateModel<'GroupPermission'> = (GroupPermission, target) => {
  GroupPermission.belongsTo(target('Group'), { as: 'group', foreignKey: 'groupId', constraints: false });
  GroupPermission.belongsTo(target('Permission'), { as: 'permission', foreignKey: 'permissionId', constraints: false });
};
