/**
 * Child-process entry for bench/e2e: runs `cio-relay <args>` from the sources (the same `main` that
 * bin/cio-relay.js runs from dist/), so the benchmark needs no build and measures the code as it is
 * in the checkout. (bench/e2e-procs.ts preloads scripts/exit-with-parent.mjs into it, so an
 * interrupted run leaves no server behind.)
 *
 *   node --import tsx bench/e2e-cli.ts serve --config FILE
 *   node --import tsx bench/e2e-cli.ts emulator --sink --port N
 */
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
