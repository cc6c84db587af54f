/** Load something from the admin API when a page shows (and again on `reload`). */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Result } from './api';

export interface Loaded<T> {
  /** undefined while the first answer is awaited. */
  result: Result<T> | undefined;
  reload: () => void;
}

export function useLoad<T>(load: () => Promise<Result<T>>, deps: readonly unknown[]): Loaded<T> {
  const [result, setResult] = useState<Result<T> | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    void load().then((value) => {
      if (current) setResult(value);
    });
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { result, reload };
}
