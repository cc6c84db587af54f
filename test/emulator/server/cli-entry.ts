// Runs the CLI from source (via tsx) so the CLI test needs no prior build; bin/cio-relay.js does the
// same from dist/.
import { main } from '../../../src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`cio-relay: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
