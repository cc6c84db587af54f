/**
 * The floor for bench/e2e, run as its own process: a bare `node:http` server that reads each POST
 * body, `JSON.parse`s it and appends it, with a newline, to a file with `fs.appendFileSync` on a
 * descriptor opened once in append mode (one synchronous write(2) per request, no fsync), then answers 200
 * `{"success":true}`. That is the least any receiver that keeps what it was sent must do; the relay
 * does the same work plus validation, normalisation, dedupe, an fsync'd SQLite commit and delivery.
 *
 *   node --import tsx bench/e2e-floor.ts PORT FILE
 */
import { appendFileSync, openSync } from 'node:fs';
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const fd = openSync(process.argv[3] ?? '/dev/null', 'a');
const NEWLINE = Buffer.from('\n');

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    chunks.push(NEWLINE);
    const line = Buffer.concat(chunks);
    try {
      JSON.parse(line.toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"success":false}');
      return;
    }
    appendFileSync(fd, line);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"success":true}');
  });
});
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`floor listening on ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
