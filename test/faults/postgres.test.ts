/**
 * The fault matrix (matrix.ts) on the PostgreSQL store (a database of its own per scenario, and a
 * private server for its restart); the table is printed at the end of the run.
 */
import { faultMatrix } from './matrix.js';

faultMatrix('PostgreSQL');
