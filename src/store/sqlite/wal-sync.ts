/**
 * Durability of appends without an fsync on the event loop. An append group commits with
 * synchronous=NORMAL (its WAL frames reach the OS, no fsync), then the WAL file is fsync'd on
 * libuv's thread pool and the group's callers are answered only after that: the same guarantee as
 * a synchronous=FULL commit (an answered event survives a power cut), but the main thread keeps
 * serving requests during the 1–20 ms the disk takes. Frames checkpointed meanwhile are safe too:
 * SQLite syncs the WAL before a checkpoint copies it and the database file after.
 *
 * Groups that commit while an fsync runs share the next one (one follow-up fsync covers them all).
 */
import { close, fsync, open } from 'node:fs';

export class WalSync {
  private fd: Promise<number> | undefined;
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

  constructor(private readonly walFile: string) {}

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (this.running === undefined) return this.start();
    this.next ??= this.running.then(
      () => this.follow(),
      () => this.follow(),
    );
    return this.next;
  }

  /** Wait for the fsyncs in progress, then close the file (before the database closes). */
  async close(): Promise<void> {
    await Promise.allSettled([this.running, this.next]);
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) {
      const n = await fd.catch(() => undefined);
      if (n !== undefined) await new Promise<void>((resolve) => close(n, () => resolve()));
    }
  }

  private follow(): Promise<void> {
    this.next = undefined;
    return this.start();
  }

  private start(): Promise<void> {
    const run = this.fsyncWal().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async fsyncWal(): Promise<void> {
    // Opened once, after the first commit created the WAL; SQLite truncates it in place, never
    // replaces it while the connection is open.
    this.fd ??= new Promise<number>((resolve, reject) =>
      open(this.walFile, 'r', (error, fd) => (error ? reject(error) : resolve(fd))),
    );
    let fd: number;
    try {
      fd = await this.fd;
    } catch (error) {
      this.fd = undefined;
      throw error;
    }
    await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
  }
}
