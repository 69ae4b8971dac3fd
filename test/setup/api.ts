import request from 'supertest';
import type { TestApp } from './test-app';

// Thin helpers over supertest for the common calls of the specs; key: the test app's secret key
// ('client'), its owner admin key ('admin'), or any key itself.
export function api(t: TestApp, key: 'client' | 'admin' | (string & {}) = 'client') {
  const k = key === 'client' ? t.clientKey : key === 'admin' ? t.adminKey : key;
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
