/**
 * Where a relay's CPU time goes, from a V8 CPU profile written by bench/e2e with
 * BENCH_RELAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR":
 *
 *   npx tsx bench/e2e-profile.ts DIR/CPU.*.cpuprofile [--top N] [--from S] [--to S]
 *
 * Self time is attributed to the nearest frame that is project code (`src/<layer>/<file>`) or a
 * package (`node_modules/<name>`), so time inside better-sqlite3's native calls or node internals
 * counts for the code that called them. Also prints the inclusive time of the project's functions
 * (each counted once per sample, whatever the recursion). --from/--to keep the samples taken that
 * many seconds after the profile started (e.g. one measured window).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const top = option('--top', 30);
const from = option('--from', 0) * 1000;
const to = option('--to', Number.POSITIVE_INFINITY) * 1000;
const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (files.length === 0) {
  console.error('usage: npx tsx bench/e2e-profile.ts FILE.cpuprofile [--top N] [--from S] [--to S]');
  process.exit(2);
}

function place(url: string): string | undefined {
  // The built relay runs dist/<layer>/<file>.js: named after its source, src/<layer>/<file>.
  const project = /\/(?:src|dist)\/([^?]+?)(?:\.[cm]?[jt]s)?(?:\?.*)?$/.exec(url);
  if (project && !url.includes('node_modules')) return `src/${project[1]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `pkg:${pkg[1]}`;
  return undefined;
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    at += dt;
    if (at < from || at > to) continue;
    const leaf = byId.get(profile.samples[i]!)!;
    const name = leaf.callFrame.functionName;
    total += dt;
    if (name === '(idle)') {
      idle += dt;
      continue;
    }
    let where: string | undefined;
    if (name === '(garbage collector)' || name === '(program)') where = name;
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const at = place(frame.url);
      if (at === undefined) continue;
      where ??= at;
      if (at.startsWith('src/')) {
        const fn = `${at}:${frame.functionName || '(anonymous)'}`;
        if (!seen.has(fn)) {
          seen.add(fn);
          inclusive.set(fn, (inclusive.get(fn) ?? 0) + dt);
        }
      }
    }
    where ??= `(node internals: ${name || 'anonymous'})`;
    self.set(where, (self.get(where) ?? 0) + dt);
  }
  const busy = total - idle;
  const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
  console.log(
    `${file}\n  ${(total / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy (${((busy / total) * 100).toFixed(0)}%)\n`,
  );
  console.log('  self time by place (share of busy time)');
  for (const [where, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${pct(ms)}  ${(ms / 1000).toFixed(2).padStart(7)} s  ${where}`);
  }
  console.log('\n  inclusive time of project functions');
  for (const [fn, ms] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${pct(ms)}  ${(ms / 1000).toFixed(2).padStart(7)} s  ${fn}`);
  }
  console.log('');
}
