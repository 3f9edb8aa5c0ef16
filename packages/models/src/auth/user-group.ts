import {
  DataTypes,
  Model,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import type { AssociateModel, Group, User } from '../model-types';

/** Membership of a user in a group. The composite primary key is the uniqueness rule. */
export function defineUserGroup(sequelize: Sequelize) {
  class UserGroup extends Model<InferAttributes<UserGroup>, InferCreationAttributes<UserGroup>> {
    declare userId: ForeignKey<number>;
    declare groupId: ForeignKey<number>;

    declare user?: NonAttribute<User>;
    declare group?: NonAttribute<Group>;
  }

  UserGroup.init(
    {
      // Both sides cascade: a membership means nothing once its user or group is gone.
      userId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        primaryKey: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      groupId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        primaryKey: true,
        references: { model: 'auth_groups', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
    },
    {
      sequelize,
      modelName: 'UserGroup',
      tableName: 'user_groups',
      underscored: true,
      timestamps: false,
      // user_id is covered by the primary key; group_id needs its own index for "members of group".
      indexes: [{ name: 'user_groups_group_id', fields: ['group_id'] }],
    },
  );
  return UserGroup;
}

export const associateUserGroup: AssociateModel<'UserGroup'> = (UserGroup, target) => {
  UserGroup.belongsTo(target('User'), { as: 'user', foreignKey: 'userId', constraints: false });
  UserGroup.belongsTo(target('Group'), { as: 'group', foreignKey: 'groupId', constraints: false });
};
