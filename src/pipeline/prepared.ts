/**
 * Operations mapped at ingest and stored with the event, so that delivery, the relay's busiest
 * thread, need not parse the stored event and map it again: ingest holds the parsed event anyway.
 *
 * Mapping still follows the subscriptions in force at delivery (DESIGN.md): each destination's
 * section carries the version of the subscriptions it was mapped with (a hash of their
 * configuration), and delivery uses it only when its own subscriptions have that version. Otherwise
 * (subscriptions edited or reloaded since, a replayed dead letter, a regulation) there is no usable
 * section and delivery maps the stored event.
 *
 * Text, one line per item (JSON.stringify never writes a raw line break):
 *   @<version>\t<destination name as JSON>   starts a destination's section
 *   o<action>\t<endpoint>\t<operation JSON>
 *   r<rejection as JSON>
 *   f<filter reason as JSON>
 */
import { createHash } from 'node:crypto';
import type { Rejection } from '../errors.js';
import type { RouteConfig } from '../profiles/index.js';
import type { MappedEvent, MappedOperation } from './mapped-event.js';
import { type CompiledSubscription, compileSubscriptions } from './router.js';

/** A destination's compiled subscriptions and their version. */
export interface DestinationMapping {
  /** Equal configurations, equal versions (in any thread, across restarts). */
  version: string;
  subscriptions: CompiledSubscription[];
}

/** Compile `routes` (a compile error throws: see compileSubscriptions). */
export function compileDestinationMapping(routes: readonly RouteConfig[], path: string): DestinationMapping {
  return {
    version: createHash('sha256').update(JSON.stringify(routes)).digest('base64url').slice(0, 22),
    subscriptions: compileSubscriptions(routes, { path }),
  };
}

export interface PreparedSection {
  destination: string;
  version: string;
  mapped: MappedEvent;
}

/** The line that starts `destination`'s section mapped with `version` (computed once per claim). */
export function sectionHeader(destination: string, version: string): string {
  return `@${version}\t${JSON.stringify(destination)}`;
}

export function encodePrepared(sections: readonly PreparedSection[]): string {
  const lines: string[] = [];
  for (const { destination, version, mapped } of sections) {
    lines.push(sectionHeader(destination, version));
    for (const op of mapped.operations) lines.push(`o${op.action}\t${op.endpoint}\t${op.json}`);
    for (const rejection of mapped.rejections) lines.push(`r${JSON.stringify(rejection)}`);
    if (mapped.filtered !== undefined) lines.push(`f${JSON.stringify(mapped.filtered)}`);
  }
  return lines.join('\n');
}

/** The section of `text` that `header` starts (sectionHeader); undefined when none (map again). */
export function decodePrepared(text: string, header: string): MappedEvent | undefined {
  let at: number;
  if (text.startsWith(header)) at = header.length;
  else {
    const found = text.indexOf(`\n${header}`);
    if (found < 0) return undefined;
    at = found + 1 + header.length;
  }
  const operations: MappedOperation[] = [];
  const rejections: Rejection[] = [];
  let filtered: string | undefined;
  while (at < text.length && text[at + 1] !== '@') {
    // `at` is on the line break before the next line.
    const end = text.indexOf('\n', at + 1);
    const line = text.slice(at + 1, end < 0 ? text.length : end);
    at = end < 0 ? text.length : end;
    const kind = line[0];
    if (kind === 'o') {
      const tab1 = line.indexOf('\t');
      const tab2 = line.indexOf('\t', tab1 + 1);
      const json = line.slice(tab2 + 1);
      operations.push({
        action: line.slice(1, tab1),
        endpoint: line.slice(tab1 + 1, tab2) as MappedOperation['endpoint'],
        json,
        bytes: Buffer.byteLength(json),
      });
    } else if (kind === 'r') {
      rejections.push(JSON.parse(line.slice(1)) as Rejection);
    } else if (kind === 'f') {
      filtered = JSON.parse(line.slice(1)) as string;
    }
  }
  return filtered === undefined ? { operations, rejections } : { operations, rejections, filtered };
}
