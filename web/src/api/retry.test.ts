// SPDX-License-Identifier: AGPL-3.0-or-later
import { ApiProblem, networkProblem } from './problem';
import { shouldRetryRead, withRetry } from './retry';

describe('withRetry', () => {
  it('loads a chunk that fails while the server restarts, once it is back', async () => {
    let attempts = 0;
    const load = withRetry(async () => {
      attempts += 1;
      if (attempts < 3) throw new TypeError('Failed to fetch dynamically imported module');
      return 'screen';
    }, [1, 1, 1]);
    await expect(load()).resolves.toBe('screen');
    expect(attempts).toBe(3);
  });

  it('gives up with the last error after the pauses run out', async () => {
    let attempts = 0;
    const load = withRetry(async () => {
      attempts += 1;
      throw new TypeError(`attempt ${attempts}`);
    }, [1, 1]);
    await expect(load()).rejects.toThrow('attempt 3');
    expect(attempts).toBe(3);
  });
});

describe('shouldRetryRead', () => {
  it('never repeats a read the server refused', () => {
    expect(shouldRetryRead(0, new ApiProblem(404, { title: 'Not found' }))).toBe(false);
    expect(shouldRetryRead(0, new ApiProblem(403, { title: 'Forbidden' }))).toBe(false);
  });

  it('keeps trying an unreachable or restarting server longer than a failing one', () => {
    const tries = (error: unknown) => {
      let failures = 0;
      while (shouldRetryRead(failures, error)) failures += 1;
      return failures;
    };
    expect(tries(networkProblem())).toBe(4);
    expect(tries(new ApiProblem(503, { title: 'Unavailable' }))).toBe(4);
    expect(tries(new TypeError('Failed to fetch'))).toBe(4);
    expect(tries(new ApiProblem(500, { title: 'Internal error' }))).toBe(2);
  });
});
