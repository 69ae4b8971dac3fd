import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './data-source.options';

// Used by the TypeORM CLI (npm run migration:*): needs DATABASE_URL. The embedded database migrates itself at start.
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is required for the migration CLI (the embedded database runs migrations at start)');
}
export default new DataSource(buildDataSourceOptions(url, { poolSize: 2, migrationsRun: false }));
