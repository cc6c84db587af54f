import { openPostgresStore } from '../../src/store/postgres/index.js';
import { describeStoreConformance } from './conformance.js';
import { useTestDatabase } from './pg-database.js';

const database = useTestDatabase();
let schemas = 0;

// Each store in a schema of its own: a fresh, empty store per test.
describeStoreConformance('PostgreSQL', () =>
  openPostgresStore({ url: database.url, schema: `conformance_${++schemas}` }),
);
