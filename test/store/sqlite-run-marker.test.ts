/**
 * Whether the last relay on a SQLite file stopped cleanly (run-marker.ts): the relay's connection
 * (`marksRun`) marks the file while open. A connection left open here stands in for a relay that
 * died; the relay-level proof (kill -9 of a real process) is in test/relay/crash.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/index.js';
import { storeFile } from './sqlite-files.js';

const relayStore = (file: string) => openSqliteStore({ file, marksRun: true });

describe('SQLite store: unclean stop of the last relay', () => {
  it('is not reported for a new file, nor after the last relay closed the file', async () => {
    const file = storeFile();
    const first = relayStore(file);
    expect(first.uncleanStop).toBe(false);
    await first.close();
    const second = relayStore(file);
    expect(second.uncleanStop).toBe(false);
    await second.close();
  });

  it('is reported when the last relay left the file without closing it, once', async () => {
    const file = storeFile();
    const died = relayStore(file);
    const next = relayStore(file);
    expect(next.uncleanStop).toBe(true);
    await next.close();
    const after = relayStore(file);
    expect(after.uncleanStop).toBe(false);
    await after.close();
    await died.close();
  });

  it('is neither set nor cleared by other connections (the delivery thread, the CLI)', async () => {
    const file = storeFile();
    const relay = relayStore(file);
    const cli = openSqliteStore({ file });
    expect(cli.uncleanStop).toBe(false);
    await cli.close();
    // The relay is still running: its mark is still there for whoever opens the file next as a relay.
    const next = relayStore(file);
    expect(next.uncleanStop).toBe(true);
    await next.close();
    await relay.close();

    const clean = relayStore(file);
    await clean.close();
    const cliAfter = openSqliteStore({ file });
    await cliAfter.close();
    const last = relayStore(file);
    expect(last.uncleanStop).toBe(false);
    await last.close();
  });
});
