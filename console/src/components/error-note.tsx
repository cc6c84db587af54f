/** An admin API error as the API worded it, announced to screen readers. */
import type { ApiError } from '../api';

export function ErrorNote({ error }: { error: ApiError | undefined }) {
  if (error === undefined) return null;
  return (
    <p class="error" role="alert">
      <code>{error.code}</code> {error.message}
    </p>
  );
}
