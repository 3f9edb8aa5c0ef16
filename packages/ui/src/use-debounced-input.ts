import { useEffect, useRef, useState } from 'react';

export interface DebouncedInputOptions {
  /** How long typing must pause before the value is committed. */
  delayMs?: number;
  /** Commit (and compare with `committed`) the trimmed text, so surrounding spaces never start a new search. */
  trim?: boolean;
}

/**
 * A text input's value that commits (to the URL, say) once typing pauses for `delayMs` (300 ms by default).
 * Returns `[text, setText]` for the input; `commit` is called with the text only when it differs from `committed`.
 */
export function useDebouncedInput(
  committed: string,
  commit: (value: string) => void,
  { delayMs = 300, trim = false }: DebouncedInputOptions = {},
) {
  const [text, setText] = useState(committed);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  useEffect(() => {
    const value = trim ? text.trim() : text;
    if (value === committed) return;
    const timer = setTimeout(() => commitRef.current(value), delayMs);
    return () => clearTimeout(timer);
  }, [text, committed, delayMs, trim]);
  return [text, setText] as const;
}
