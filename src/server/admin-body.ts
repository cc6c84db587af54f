import type { FastifyRequest } from 'fastify';
import { readBody } from './body.js';
import { HttpError } from './responses.js';

/** An admin request body as JSON; none at all reads as undefined (the caller says what to send). */
export async function jsonBody(request: FastifyRequest): Promise<unknown> {
  if (!Buffer.isBuffer(request.body) || request.body.length === 0) return undefined;
  const body = readBody(request.body, request.headers);
  if (!body.ok) throw new HttpError(body.failure.status, body.failure.body.code, body.failure.body.message);
  return body.value;
}
