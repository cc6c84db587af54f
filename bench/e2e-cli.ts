/**
 * Child-process entry for bench/e2e: runs `cio-relay <args>` from the sources (the same `main` that
 * bin/cio-relay.js runs from dist/), so the benchmark needs no build and measures the code as it is
 * in the checkout. It also exits when the benchmark that started it is gone, so an interrupted run
 * leaves no server behind.
 *
 *   node --import tsx bench/e2e-cli.ts serve --config FILE
 *   node --import tsx bench/e2e-cli.ts emulator --sink --port N
 */
import { main } from '../src/cli/main.js';
import { exitWithParent } from './e2e-orphan.js';

exitWithParent();
process.exitCode = await main(process.argv.slice(2));
