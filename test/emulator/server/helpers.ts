/**
 * Shared helpers for the emulator server tests: credentials, an emulator on an ephemeral 127.0.0.1
 * port with the real in-memory Workspace, HTTP calls.
 */
import { request } from 'undici';
import type { Emulator, EmulatorOptions } from '../../../src/emulator/index.js';
import { createEmulator } from '../../../src/emulator/index.js';

export const SITE_ID = 'site-test';
export const API_KEY = 'key-very-secret-123';
export const AUTH = `Basic ${Buffer.from(`${SITE_ID}:${API_KEY}`).toString('base64')}`;

export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return createEmulator({
    siteId: SITE_ID,
    apiKey: API_KEY,
    port: 0,
    host: '127.0.0.1',
    ...options,
  });
}

export interface CallOptions {
  /** A value to send as JSON (Content-Type application/json). */
  json?: unknown;
  /** A raw body, sent as is with `contentType` (if any). */
  raw?: string | Buffer;
  contentType?: string;
  /** Authorization header; default good credentials; `null` sends none. */
  auth?: string | null;
  headers?: Record<string, string>;
  /** Give up waiting for response headers after this many ms. */
  timeoutMs?: number;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: unknown;
}

export async function call(
  emulator: Emulator,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? AUTH : options.auth;
  if (auth !== null) headers['authorization'] = auth;
  let body: string | Buffer | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
    if (options.contentType) headers['content-type'] = options.contentType;
  }
  const response = await request(`${emulator.url}${path}`, {
    method,
    headers,
    body,
    headersTimeout: options.timeoutMs ?? 10_000,
    bodyTimeout: options.timeoutMs ?? 10_000,
  });
  const text = await response.body.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, body: parsed };
}

/** A minimal valid v2 person identify. */
export function identify(id: string, attributes: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'person', action: 'identify', identifiers: { id }, attributes };
}

export function event(
  id: string,
  name: string,
  attributes: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'person', action: 'event', identifiers: { id }, name, attributes };
}
