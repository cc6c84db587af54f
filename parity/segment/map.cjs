#!/usr/bin/env node
'use strict';
/**
 * node parity/segment/map.cjs [--batch] [--region US|EU] [FILE|-]
 *
 * Reads NDJSON Segment events (blank lines skipped; `index` counts the non-blank
 * lines from 0) and prints one JSON line per request Segment's Customer.io
 * (Actions) destination would send with its Quick Setup presets:
 *   {"index":0,"action":"createUpdatePerson","method":"POST","url":"https://track.customer.io/api/v2/entity","body":{...}}
 *   {"index":7,"action":"trackPageView","error":{"code":"AggregateAjvError","message":"..."}}
 * With --batch: {"indexes":[...],"action":"trackEvent","method":"POST","url":".../api/v2/batch","body":{"batch":[...]}}
 * An event that matches no preset prints nothing.
 *
 * Environment:
 *   TZ is forced to UTC (Segment runs in UTC; zone-less dates are read as local time).
 *   PARITY_NOW=<unix ms> (or --now <unix ms|ISO-8601>) pins Date.now(), which Report
 *   Delivery Event uses when the event has no timestamp. Unset, the real clock is used.
 * A summary goes to standard error.
 */
process.env.TZ = 'UTC';

const fs = require('node:fs');
const { createSegmentMapper, createSegmentBatchMapper } = require('./adapter.cjs');

const USAGE = 'usage: node parity/segment/map.cjs [--batch] [--region US|EU] [--now MS|ISO] [FILE|-]\n';

function parseArgs(argv) {
  const opts = { batch: false, region: 'US', file: '-', now: process.env.PARITY_NOW || undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--batch') opts.batch = true;
    else if (arg === '--region') opts.region = String(argv[++i] ?? '').toUpperCase();
    else if (arg.startsWith('--region=')) opts.region = arg.slice('--region='.length).toUpperCase();
    else if (arg === '--now') opts.now = argv[++i];
    else if (arg.startsWith('--now=')) opts.now = arg.slice('--now='.length);
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else if (arg === '-' || !arg.startsWith('-')) opts.file = arg;
    else throw new Error(`unknown option ${arg}`);
  }
  if (opts.region !== 'US' && opts.region !== 'EU') throw new Error('--region must be US or EU');
  if (opts.now !== undefined) {
    const now = /^\d+$/.test(opts.now) ? Number(opts.now) : Date.parse(opts.now);
    if (Number.isNaN(now)) throw new Error(`PARITY_NOW/--now must be unix ms or ISO-8601, got ${opts.now}`);
    opts.now = now;
  }
  return opts;
}

function readEvents(file) {
  const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  const events = [];
  text.split('\n').forEach((line, lineNo) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line));
    } catch (err) {
      throw new Error(`line ${lineNo + 1}: invalid JSON: ${err.message}`);
    }
  });
  return events;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.now !== undefined) {
    const now = opts.now;
    Date.now = () => now;
  }
  const events = readEvents(opts.file);
  const lines = [];
  let rejected = 0;
  if (opts.batch) {
    const mapEvents = createSegmentBatchMapper({ region: opts.region });
    for (const line of await mapEvents(events)) {
      if (line.error) rejected++;
      lines.push(JSON.stringify(line));
    }
  } else {
    const mapEvent = createSegmentMapper({ region: opts.region });
    for (let index = 0; index < events.length; index++) {
      for (const result of await mapEvent(events[index])) {
        if (result.error) rejected++;
        lines.push(JSON.stringify({ index, ...result }));
      }
    }
  }
  process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
  process.stderr.write(
    `segment map: ${events.length} events -> ${lines.length - rejected} requests, ${rejected} rejections\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err?.message ?? err}\n${USAGE}`);
  process.exit(1);
});
