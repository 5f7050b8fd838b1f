import { migrate } from './migrate.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'DATABASE_URL is not set: point it at the Postgres database to migrate (npm start migrates its embedded one itself).',
  );
  process.exit(1);
}
await migrate(url);
console.log('Database migrated.');
