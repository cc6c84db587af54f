/**
 * Preloaded (`node --import`) into the relays that tests start and every process a benchmark
 * starts: when the process that started one dies without stopping it (vitest or the benchmark
 * killed by a timeout or Ctrl-C), it is re-parented; noticing that, it stops itself (SIGTERM first,
 * so a relay closes its store; a hard exit 5 s later). Otherwise such orphans keep serving, and a
 * core, until someone finds them.
 */
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 5000).unref();
  }, 500);
  timer.unref();
}
