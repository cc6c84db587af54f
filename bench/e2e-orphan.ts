/**
 * For bench/e2e's child processes: when the benchmark process dies without cleaning up (SIGKILL,
 * crash), the child is re-parented; noticing that, it stops itself (SIGTERM first, so a relay
 * closes its store; a hard exit 5 s later).
 */
export function exitWithParent(): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 5000).unref();
  }, 500);
  timer.unref();
}
