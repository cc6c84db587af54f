/**
 * The one thing delivery needs from the network: POST a JSON body to the Track API. The HTTP client
 * (undici, with the destination's credentials) lives at the edge, in src/relay/; tests may pass
 * their own.
 */
import type { TrackResponse } from '../../customerio/index.js';

export interface TrackTransport {
  /** Resolves with Customer.io's answer; rejects with a TransportError when none came. */
  post(url: string, body: string, timeoutMs: number): Promise<TrackResponse>;
  close(): Promise<void>;
}

/** No answer: the connection failed, or the answer took longer than the timeout. */
export class TransportError extends Error {
  constructor(
    readonly code: 'timeout' | 'network',
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}
