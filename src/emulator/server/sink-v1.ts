/**
 * Sink mode's stand-in for `workspace.applyV1`: recognises the v1 routes and checks the basic shape of
 * their bodies, but changes nothing. (v2 operations are checked by `workspace.validateV2Shape`, the
 * real stateless rules; v1 has no validate-only entry point in the contract, so this stays shallow.)
 */
import type { V1Result } from '../contract.js';

interface V1Route {
  method: string;
  pattern: RegExp;
  check?: (body: Record<string, unknown>) => string | undefined;
  /** Whether the route needs a JSON object body. */
  body: boolean;
}

const SEGMENT = '[^/]+';

function needsName(body: Record<string, unknown>): string | undefined {
  return typeof body['name'] === 'string' && body['name'].trim() !== '' ? undefined : 'name is required';
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

const ROUTES: V1Route[] = [
  { method: 'PUT', pattern: new RegExp(`^/customers/${SEGMENT}$`), body: false },
  { method: 'DELETE', pattern: new RegExp(`^/customers/${SEGMENT}$`), body: false },
  { method: 'POST', pattern: new RegExp(`^/customers/${SEGMENT}/events$`), body: true, check: needsName },
  { method: 'POST', pattern: /^\/events$/, body: true, check: needsName },
  {
    method: 'PUT',
    pattern: new RegExp(`^/customers/${SEGMENT}/devices$`),
    body: true,
    check: (body) => {
      const device = body['device'];
      return typeof device === 'object' &&
        device !== null &&
        typeof (device as { id?: unknown }).id === 'string'
        ? undefined
        : 'device.id is required';
    },
  },
  { method: 'DELETE', pattern: new RegExp(`^/customers/${SEGMENT}/devices/${SEGMENT}$`), body: false },
  { method: 'POST', pattern: new RegExp(`^/customers/${SEGMENT}/(suppress|unsuppress)$`), body: false },
  {
    method: 'POST',
    pattern: /^\/merge_customers$/,
    body: true,
    check: (body) =>
      body['primary'] && body['secondary'] ? undefined : 'primary and secondary are required',
  },
  {
    method: 'POST',
    pattern: /^\/metrics$/,
    body: true,
    check: (body) =>
      present(body['delivery_id']) && present(body['metric'])
        ? undefined
        : 'delivery_id and metric are required',
  },
];

export function sinkApplyV1(method: string, path: string, body: unknown): V1Result {
  const route = ROUTES.find((r) => r.method === method && r.pattern.test(path));
  if (!route) return { status: 404, body: { meta: { error: `no such route: ${method} /api/v1${path}` } } };
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (body !== undefined && !isObject) {
    return { status: 400, body: { meta: { error: 'the request body must be a JSON object' } } };
  }
  if (route.body && !isObject) {
    return { status: 400, body: { meta: { error: 'the request body must be a JSON object' } } };
  }
  const problem = isObject && route.check ? route.check(body as Record<string, unknown>) : undefined;
  return problem ? { status: 400, body: { meta: { errors: [problem] } } } : { status: 200, body: {} };
}
