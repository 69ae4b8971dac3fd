import { GatewayException } from '../../../gateway/gateway.exception';
import { classifyBankError } from './bank-outcome.util';

describe('bank outcome of a money-moving call', () => {
  it('a refusal with a bank code is a failure with that code', () => {
    const err = new GatewayException('rejected', 'ePay refund: refused (code 470)', {
      operation: 'refund',
      httpStatus: 400,
      bankCode: 470,
    });
    expect(classifyBankError(err, 'refund')).toMatchObject({
      kind: 'failed',
      code: 'epay_470',
      message: 'Invalid amount',
    });
  });

  it('"amount may be blocked" (454/460) is not final', () => {
    const err = new GatewayException('rejected', 'x', { operation: 'refund', httpStatus: 400, bankCode: 454 });
    expect(classifyBankError(err, 'refund').kind).toBe('unknown');
  });

  it.each(['timeout', 'unavailable', 'malformed'] as const)('%s after sending is unknown', (failure) => {
    expect(classifyBankError(new GatewayException(failure, 'x', { operation: 'charge' }), 'charge')).toMatchObject({
      kind: 'unknown',
      code: expect.stringMatching(/^GATEWAY_/),
    });
  });

  it('an answer no bank endpoint gives (404) is a configuration error, not a decline', () => {
    const err = new GatewayException('misconfigured', 'x', { operation: 'refund', httpStatus: 404 });
    expect(classifyBankError(err, 'refund')).toMatchObject({ kind: 'failed', code: 'gateway_misconfigured' });
  });

  it('a connection that was refused before sending is a failure', () => {
    const err = new GatewayException('unavailable', 'x', { operation: 'cancel' }, undefined, true);
    expect(classifyBankError(err, 'cancel').kind).toBe('failed');
  });

  it('a failed token request means the call was never made', () => {
    const err = new GatewayException('timeout', 'x', { operation: 'token' });
    expect(classifyBankError(err, 'refund')).toMatchObject({ kind: 'failed', code: 'GATEWAY_TIMEOUT' });
  });

  it('credentials refused twice: not processed', () => {
    expect(
      classifyBankError(new GatewayException('auth', 'x', { operation: 'refund', httpStatus: 401 }), 'refund').kind,
    ).toBe('failed');
  });

  it('our own error around the call is unknown, never failed', () => {
    expect(classifyBankError(new Error('boom'), 'refund')).toMatchObject({ kind: 'unknown', code: 'INTERNAL' });
  });
});
