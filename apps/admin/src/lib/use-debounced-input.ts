import { useEffect, useRef, useState } from 'react';

/** A text input's value that commits (to the URL, say) once typing pauses for `delayMs`. */
export function useDebouncedInput(committed: string, commit: (value: string) => void, delayMs = 300) {
  const [text, setText] = useState(committed);
  const commitRef = useRef(commit);
  commitRef.current = commit;
  useEffect(() => {
    if (text.trim() === committed) return;
    const timer = setTimeout(() => commitRef.current(text), delayMs);
    return () => clearTimeout(timer);
  }, [text, committed, delayMs]);
  return [text, setText] as const;
}
