import { endpointUrlProblem } from './endpoint-url.util';

describe('endpointUrlProblem', () => {
  it('accepts https everywhere and http outside production', () => {
    expect(endpointUrlProblem('https://erp.example.kz/hooks/epay?x=1', true)).toBeNull();
    expect(endpointUrlProblem('http://127.0.0.1:4000/hooks', false, true)).toBeNull();
  });
  it('refuses http in production', () => {
    expect(endpointUrlProblem('http://erp.example.kz/hooks', true)).toBe('must use https');
  });
  it('refuses other schemes, relative URLs, credentials and fragments', () => {
    expect(endpointUrlProblem('ftp://erp.example.kz/', false)).toBe('must be an http(s) URL');
    expect(endpointUrlProblem('/hooks', false)).toBe('must be an absolute URL');
    expect(endpointUrlProblem('https://user:pw@erp.example.kz/', true)).toBe('must not contain credentials');
    expect(endpointUrlProblem('https://erp.example.kz/#x', true)).toBe('must not contain a fragment');
  });
});
