import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfigService } from '../config/app-config.service';
import { buildDataSourceOptions } from './data-source.options';
import { EmbeddedDatabaseService } from './embedded-database.service';

@Module({
  providers: [EmbeddedDatabaseService],
  exports: [EmbeddedDatabaseService],
})
class EmbeddedDatabaseModule {}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [AppConfigService, EmbeddedDatabaseService],
      useFactory: async (config: AppConfigService, embedded: EmbeddedDatabaseService) =>
        buildDataSourceOptions(config.get('DATABASE_URL') ?? (await embedded.url()), {
          poolSize: config.get('DATABASE_POOL_SIZE'),
          migrationsRun: config.runMigrationsAtStart,
        }),
    }),
  ],
})
export class DatabaseModule {}
