import request from 'supertest';
import type { TestApp } from './test-app';

// Thin helpers over supertest for the common calls of the specs.
export function api(t: TestApp, key: 'client' | 'admin' = 'client') {
  const k = key === 'client' ? t.clientKey : t.adminKey;
  return {
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      request(t.url)
        .post(path)
        .set('X-API-Key', k)
        .set(headers)
        .send(body as object),
    get: (path: string) => request(t.url).get(path).set('X-API-Key', k),
    del: (path: string) => request(t.url).delete(path).set('X-API-Key', k),
  };
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 5000,
  stepMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
