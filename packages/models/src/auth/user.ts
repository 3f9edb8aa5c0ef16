import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';
import type { AssociateModel, Group, Session } from '../model-types';

/** Tenant users (the people who sell and keep the books). Passwords are stored only as hashes (auth/passwords.ts). */
export function defineUser(sequelize: Sequelize) {
  class User extends Model<InferAttributes<User>, InferCreationAttributes<User>> {
    declare id: CreationOptional<number>;
    declare username: string;
    declare email: string;
    declare passwordHash: string;
    declare firstName: CreationOptional<string>;
    declare lastName: CreationOptional<string>;
    declare isActive: CreationOptional<boolean>;
    declare isSuperuser: CreationOptional<boolean>;
    declare mustChangePassword: CreationOptional<boolean>;
    declare lastLoginAt: CreationOptional<Date | null>;
    declare createdAt: CreationOptional<Date>;
    declare updatedAt: CreationOptional<Date>;

    declare groups?: NonAttribute<Group[]>;
    declare sessions?: NonAttribute<Session[]>;
  }

  User.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      username: { type: DataTypes.STRING(150), allowNull: false },
      email: { type: DataTypes.STRING(254), allowNull: false, validate: { isEmail: true } },
      passwordHash: { type: DataTypes.STRING(255), allowNull: false },
      firstName: { type: DataTypes.STRING(150), allowNull: false, defaultValue: '' },
      lastName: { type: DataTypes.STRING(150), allowNull: false, defaultValue: '' },
      isActive: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
      isSuperuser: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      mustChangePassword: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      lastLoginAt: { type: DataTypes.DATE, allowNull: true },
      createdAt: timestampAttribute(sequelize),
      updatedAt: timestampAttribute(sequelize),
    },
    {
      sequelize,
      modelName: 'User',
      tableName: 'users',
      underscored: true,
      indexes: [
        { name: 'users_username_unique', unique: true, fields: ['username'] },
        { name: 'users_email', fields: ['email'] },
      ],
    },
  );
  return User;
}

export const associateUser: AssociateModel<'User'> = (User, target) => {
  User.belongsToMany(target('Group'), {
    as: 'groups',
    through: { model: target('UserGroup'), unique: false },
    foreignKey: 'userId',
    otherKey: 'groupId',
    constraints: false,
  });
  User.hasMany(target('Session'), { as: 'sessions', foreignKey: 'userId', constraints: false });
};
