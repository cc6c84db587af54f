/** Asks for the admin token and keeps it only once the admin API accepted it. */
import { useState } from 'preact/hooks';
import { type ApiError, call } from '../api';
import { ErrorNote } from '../components/error-note';
import { saveToken } from '../session';

export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const answer = await call('/destinations', { token });
    setBusy(false);
    if (!answer.ok) return setError(answer.error);
    saveToken(token);
    onSignedIn();
  };
  return (
    <main class="login">
      <h1>cio-relay console</h1>
      <form onSubmit={submit}>
        <label for="token">Admin token</label>
        <input
          id="token"
          type="password"
          autocomplete="current-password"
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          required
          autofocus
        />
        <p class="hint">The relay's admin.token. It is kept in this tab only.</p>
        <button type="submit" disabled={busy}>
          Log in
        </button>
        <ErrorNote error={error} />
      </form>
    </main>
  );
}
