import {
  DataTypes,
  Model,
  type CreationOptional,
  type ForeignKey,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from 'sequelize';
import { timestampAttribute } from '../timestamp-attribute';
import type { AssociateModel, User } from '../model-types';

/** A signed-in session. Only a hash of the opaque token is stored, so a database leak yields no sessions. */
export function defineSession(sequelize: Sequelize) {
  class Session extends Model<InferAttributes<Session>, InferCreationAttributes<Session>> {
    declare id: CreationOptional<number>;
    declare tokenHash: string;
    declare userId: ForeignKey<number>;
    declare expiresAt: Date;
    declare createdAt: CreationOptional<Date>;
    declare lastSeenAt: CreationOptional<Date | null>;
    declare ip: CreationOptional<string | null>;
    declare userAgent: CreationOptional<string | null>;

    declare user?: NonAttribute<User>;
  }

  Session.init(
    {
      id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
      tokenHash: { type: DataTypes.STRING(128), allowNull: false },
      // Deleting a user ends their sessions.
      userId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      expiresAt: { type: DataTypes.DATE, allowNull: false },
      createdAt: timestampAttribute(sequelize),
      lastSeenAt: { type: DataTypes.DATE, allowNull: true },
      ip: { type: DataTypes.STRING(45), allowNull: true },
      userAgent: { type: DataTypes.STRING(512), allowNull: true },
    },
    {
      sequelize,
      modelName: 'Session',
      tableName: 'sessions',
      underscored: true,
      updatedAt: false,
      indexes: [
        { name: 'sessions_token_hash_unique', unique: true, fields: ['token_hash'] },
        { name: 'sessions_user_id', fields: ['user_id'] },
      ],
    },
  );
  return Session;
}

export const associateSession: AssociateModel<'Session'> = (Session, target) => {
  Session.belongsTo(target('User'), { as: 'user', foreignKey: 'userId', constraints: false });
};
