/** The fault matrix (matrix.ts) on the SQLite store; the table is printed at the end of the run. */
import { faultMatrix } from './matrix.js';

faultMatrix('SQLite');
