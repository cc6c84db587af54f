/**
 * One body shape for every refusal, from ingest, admin and health alike:
 * `{ success: false, code, message }`, plus `rejected` when single events of a batch were refused.
 * A client (or a person reading curl output) handles one shape whatever went wrong.
 */
import type { FastifyReply } from 'fastify';
import type { Rejection } from '../errors.js';

/** A refused event of a batch: its position in `batch` and why. */
export interface RejectedEvent {
  index: number;
  code: string;
  message: string;
}

export interface Failure {
  success: false;
  code: string;
  message: string;
  rejected?: RejectedEvent[];
}

export function failure(code: string, message: string, rejected?: RejectedEvent[]): Failure {
  return rejected === undefined
    ? { success: false, code, message }
    : { success: false, code, message, rejected };
}

/** A refusal that also knows its HTTP status, so a helper can return it up to the route. */
export interface HttpFailure {
  status: number;
  body: Failure;
}

export function httpFailure(status: number, rejection: Rejection, rejected?: RejectedEvent[]): HttpFailure {
  return { status, body: failure(rejection.code, rejection.message, rejected) };
}

export function sendFailure(reply: FastifyReply, refusal: HttpFailure): FastifyReply {
  return reply.code(refusal.status).send(refusal.body);
}

/**
 * A refusal thrown from deep inside an admin handler (bad query parameter, unknown name); the
 * server's error handler answers it with its status and body. Ingest returns refusals instead.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
  }
}
