/** The newest delivery log entry of one event at one destination (how pages follow an event). */
import { call, query } from './api';
import type { LogEntry } from './types';

export async function latestEntry(messageId: string, destination: string): Promise<LogEntry | undefined> {
  const answer = await call<{ entries: LogEntry[] }>(
    `/deliveries${query({ messageId, destination, limit: 1 })}`,
  );
  return answer.ok ? answer.value.entries[0] : undefined;
}
