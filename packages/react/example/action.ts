// A button's action: runs it once at a time and keeps its error's message to show.
import { useCallback, useState } from "react";

/** `[run, busy, error]`: `run` returns whether the action succeeded. */
export function useAction(): [(action: () => Promise<unknown>) => Promise<boolean>, boolean, string | null] {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return [run, busy, error];
}
