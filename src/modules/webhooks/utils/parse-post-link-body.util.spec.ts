import { parsePostLinkBody } from './parse-post-link-body.util';

describe('parsePostLinkBody', () => {
  it('takes an object the app already parsed (JSON, or a form with a null prototype)', () => {
    expect(parsePostLinkBody({ code: 'ok' })).toEqual({ ok: true, value: { code: 'ok' } });
    const form = Object.assign(Object.create(null) as object, { code: 'ok', amount: '100.5' });
    expect(parsePostLinkBody(form)).toEqual({ ok: true, value: { code: 'ok', amount: '100.5' } });
  });

  it('reads raw bytes of any content type as JSON, then as a form', () => {
    expect(parsePostLinkBody(Buffer.from('{"code":"ok","amount":100.5}'))).toEqual({
      ok: true,
      value: { code: 'ok', amount: 100.5 },
    });
    expect(parsePostLinkBody(Buffer.from('\uFEFF {"code":"ok"}\n'))).toEqual({ ok: true, value: { code: 'ok' } });
    expect(parsePostLinkBody(Buffer.from('code=ok&amount=100.5&invoiceId=100000123'))).toEqual({
      ok: true,
      value: { code: 'ok', amount: '100.5', invoiceId: '100000123' },
    });
  });

  it('reports what it could not read, with the size only', () => {
    expect(parsePostLinkBody(undefined)).toEqual({ ok: false, problem: 'empty body', bytes: 0 });
    expect(parsePostLinkBody(Buffer.alloc(0))).toMatchObject({ ok: false, problem: 'empty body' });
    expect(parsePostLinkBody(Buffer.from('{"code":'))).toEqual({ ok: false, problem: 'unreadable JSON', bytes: 8 });
    expect(parsePostLinkBody(Buffer.from('hello world'))).toMatchObject({
      ok: false,
      problem: 'body is neither JSON nor a form',
    });
    expect(parsePostLinkBody([1, 2])).toMatchObject({ ok: false, problem: 'body is not an object' });
  });
});
