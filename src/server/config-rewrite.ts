/**
 * Saving a destination's subscriptions into the configuration file. YAML files are edited as a
 * document (comments, order, `${VARIABLES}` and every other key kept; only the destination's
 * `subscriptions` is replaced); JSON files are rewritten with two-space indentation. A file the
 * relay may not write is refused, never half-written.
 */
import { constants } from 'node:fs';
import { access, readFile, stat, writeFile } from 'node:fs/promises';
import { isMap, isSeq, parseDocument } from 'yaml';
import { shieldVariables, syntaxReason, unshield } from '../config/index.js';
import { type Rejection, reject } from '../errors.js';
import type { SubscriptionConfig } from '../profiles/index.js';

export async function rewriteSubscriptions(
  file: string,
  destination: string,
  subscriptions: readonly SubscriptionConfig[],
): Promise<Rejection | undefined> {
  try {
    // A file without write permission bits is read-only by the operator's choice, even for root.
    if (((await stat(file)).mode & 0o222) === 0) throw Object.assign(new Error(), { code: 'read-only mode' });
    await access(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return reject(
      'config_read_only',
      `the relay may not write its configuration ${file} (${reason}); make the file writable for the relay, or copy these subscriptions into it by hand`,
    );
  }
  const text = await readFile(file, 'utf8');
  const updated = file.endsWith('.json')
    ? rewriteJson(text, destination, subscriptions)
    : rewriteYaml(text, destination, subscriptions);
  if (typeof updated !== 'string') return updated;
  await writeFile(file, updated);
  return undefined;
}

function rewriteYaml(text: string, name: string, subscriptions: readonly SubscriptionConfig[]) {
  const document = parseDocument(shieldVariables(text));
  // Not the parser's message: it prints the offending line, which may hold a secret in clear.
  const [error] = document.errors;
  if (error) return unreadable(`it is not valid YAML (${syntaxReason(error, text)})`);
  const destinations = document.get('destinations');
  const entry = isSeq(destinations)
    ? destinations.items.find((item) => isMap(item) && item.get('name') === name)
    : undefined;
  if (!isMap(entry)) return notFound(name);
  entry.set('subscriptions', document.createNode(subscriptions));
  return unshield(document.toString());
}

function rewriteJson(text: string, name: string, subscriptions: readonly SubscriptionConfig[]) {
  let config: { destinations?: Array<Record<string, unknown>> };
  try {
    config = JSON.parse(text) as typeof config;
  } catch (error) {
    return unreadable(`it is not valid JSON (${syntaxReason(error, text)})`);
  }
  const entry = config.destinations?.find((d) => d.name === name);
  if (entry === undefined) return notFound(name);
  entry.subscriptions = subscriptions;
  return `${JSON.stringify(config, null, 2)}\n`;
}

function unreadable(why: string): Rejection {
  return reject('config_unreadable', `the configuration file could not be updated: ${why}`);
}

function notFound(name: string): Rejection {
  return reject(
    'destination_not_in_file',
    `the configuration file has no destination named ${JSON.stringify(name)} (was it renamed since the relay started?)`,
  );
}
