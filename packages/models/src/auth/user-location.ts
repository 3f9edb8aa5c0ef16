import { DataTypes, Model, type ForeignKey, type InferAttributes, type InferCreationAttributes, type Sequelize } from 'sequelize';

/**
 * A location a user may sell at. A user with no rows may use every location (admins, managers, and
 * every user until an admin restricts them); a user with rows only those.
 */
export function defineUserLocation(sequelize: Sequelize) {
  class UserLocation extends Model<InferAttributes<UserLocation>, InferCreationAttributes<UserLocation>> {
    declare userId: ForeignKey<number>;
    declare locationId: ForeignKey<number>;
  }

  UserLocation.init(
    {
      userId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        primaryKey: true,
        references: { model: 'users', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
      locationId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        primaryKey: true,
        references: { model: 'locations', key: 'id' },
        onDelete: 'CASCADE',
        onUpdate: 'CASCADE',
      },
    },
    {
      sequelize,
      modelName: 'UserLocation',
      tableName: 'user_locations',
      underscored: true,
      timestamps: false,
      indexes: [{ name: 'user_locations_location_id', fields: ['location_id'] }],
    },
  );
  return UserLocation;
}
