import { type FormEvent, useState } from 'react';

/**
 * A form of text values checked as they are typed: a field shows its problem once a submit was
 * tried, and `submit(send)` sends the values only when no field has a problem. `field(name)` is what
 * a TextField needs for the value (`{...field('email')}`); `reset()` empties the form after a send.
 */
export function useCheckedForm<V extends Record<string, string>>(initial: V, check: (values: V) => Partial<Record<keyof V, string>>) {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState(false);
  const problems = check(values);
  return {
    values,
    problems,
    set: <K extends keyof V>(name: K, value: V[K]) => setValues((current) => ({ ...current, [name]: value })),
    field: (name: keyof V & string) => ({
      value: values[name],
      onValueChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
      error: touched ? problems[name] : undefined,
    }),
    submit: (send: (values: V) => void) => (e: FormEvent) => {
      e.preventDefault();
      setTouched(true);
      if (Object.values(problems).some(Boolean)) return;
      send(values);
    },
    reset: () => {
      setValues(initial);
      setTouched(false);
    },
  };
}
