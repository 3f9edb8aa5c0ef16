import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useDebouncedInput } from './use-debounced-input';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup(committed: string, options?: Parameters<typeof useDebouncedInput>[2]) {
  const commit = vi.fn();
  const hook = renderHook(({ c }) => useDebouncedInput(c, commit, options), { initialProps: { c: committed } });
  return { commit, hook, type: (text: string) => act(() => hook.result.current[1](text)) };
}

describe('useDebouncedInput', () => {
  it('commits only once typing has paused for 300 ms, each keystroke starting the wait again', () => {
    const { commit, hook, type } = setup('');
    type('c');
    act(() => vi.advanceTimersByTime(200));
    type('co');
    act(() => vi.advanceTimersByTime(299));
    expect(commit).not.toHaveBeenCalled();
    expect(hook.result.current[0]).toBe('co');
    act(() => vi.advanceTimersByTime(1));
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenCalledWith('co');
  });

  it('does not commit what is already committed, and starts from the committed value', () => {
    const { commit, hook, type } = setup('corner');
    expect(hook.result.current[0]).toBe('corner');
    type('corne');
    type('corner');
    act(() => vi.advanceTimersByTime(1000));
    expect(commit).not.toHaveBeenCalled();
  });

  it('with trim, commits the trimmed text and ignores surrounding spaces; without, commits the text as typed', () => {
    const trimmed = setup('corn', { trim: true });
    trimmed.type(' corn ');
    act(() => vi.advanceTimersByTime(1000));
    expect(trimmed.commit).not.toHaveBeenCalled();
    trimmed.type(' corner ');
    act(() => vi.advanceTimersByTime(300));
    expect(trimmed.commit).toHaveBeenCalledWith('corner');

    const asTyped = setup('corn', { delayMs: 50 });
    asTyped.type('corn ');
    act(() => vi.advanceTimersByTime(50));
    expect(asTyped.commit).toHaveBeenCalledWith('corn ');
  });

  it('a new commit function between keystrokes is the one called (no stale closure)', () => {
    const first = vi.fn();
    const second = vi.fn();
    const hook = renderHook(({ commit }) => useDebouncedInput('', commit), { initialProps: { commit: first } });
    act(() => hook.result.current[1]('x'));
    hook.rerender({ commit: second });
    act(() => vi.advanceTimersByTime(300));
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith('x');
  });
});
