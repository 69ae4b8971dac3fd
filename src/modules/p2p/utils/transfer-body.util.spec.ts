import { redact } from '../../../common/logging/redact.util';
import { canonicalRequest, requestHash } from '../../idempotency/idempotency-hash.util';
import { buildTransferBody, TransferBodyInput } from './transfer-body.util';

const TERMINAL = '67e34d63-102f-4bd1-898e-370781d0074d';
const SENDER_PAN = '4405639704015096';
const RECEIVER_PAN = '5522042705066736';

const base: TransferBodyInput = {
  orderId: '100000123',
  amountMinor: 10050,
  currency: 'KZT',
  description: 'Rent',
  accountId: 'user-1',
  email: 'a@example.kz',
  terminalId: TERMINAL,
  sender: { kind: 'pan', pan: SENDER_PAN, expMonth: 1, expYear: 2025, cvc: '815', name: 'ARMAN ALI', save: true },
  receiver: { kind: 'pan', pan: RECEIVER_PAN },
};

describe('buildTransferBody', () => {
  it('builds the S3 body: decimal amount, order id, TYPEPAN sender with MM/YY expiry', () => {
    expect(buildTransferBody(base)).toEqual({
      order: {
        amount: 100.5,
        currency: 'KZT',
        description: 'Rent',
        id: '100000123',
        accountID: 'user-1',
        senderEmail: 'a@example.kz',
        terminalId: TERMINAL,
        backLink: undefined,
        failureBackLink: undefined,
      },
      card: {
        sender: {
          save: true,
          transferType: 'TYPEPAN',
          cvc: '815',
          expire: { month: '01', year: '25' },
          name: 'ARMAN ALI',
          cardCred: SENDER_PAN,
        },
        receiver: { transferType: 'TYPEPAN', cardCred: RECEIVER_PAN },
      },
    });
  });

  it('sends saved cards as TYPECARDID with the bank cardID and no card data', () => {
    const body = buildTransferBody({
      ...base,
      sender: { kind: 'card_id', epayCardId: 'bank-card-1' },
      receiver: { kind: 'card_id', epayCardId: 'bank-card-2' },
    });
    expect(body.card).toEqual({
      sender: { save: false, transferType: 'TYPECARDID', cardCred: 'bank-card-1' },
      receiver: { transferType: 'TYPECARDID', cardCred: 'bank-card-2' },
    });
  });

  it('accepts two-digit years and keeps amounts exact', () => {
    const body = buildTransferBody({
      ...base,
      amountMinor: 1,
      sender: { ...base.sender, expYear: 30, expMonth: 12 } as TransferBodyInput['sender'],
    });
    expect((body.order as { amount: number }).amount).toBe(0.01);
    expect((body.card as { sender: { expire: unknown } }).sender.expire).toEqual({ month: '12', year: '30' });
  });

  // what the exchange recorder stores and what the idempotency hash sees
  it('is fully redacted by redact(): no PAN, CVC or expiry survives (cardCred is a sensitive key)', () => {
    const text = JSON.stringify(redact(buildTransferBody(base)));
    expect(text).not.toContain(SENDER_PAN);
    expect(text).not.toContain(RECEIVER_PAN);
    expect(text).not.toContain('"815"');
    expect(text).not.toMatch(/"month"|"year"/);
    expect(text).toContain('"cardCred":"[REDACTED]"');
    expect(text).toContain('"expire":"[REDACTED]"');
    expect(text).toContain('"cvc":"[REDACTED]"');
  });

  it('redacts PANs even under a key that is not on the sensitive list', () => {
    expect(JSON.stringify(redact({ note: `card ${SENDER_PAN}` }))).not.toContain(SENDER_PAN);
  });

  it('keeps our request hash free of the numbers but tells different cards apart', () => {
    const request = {
      sender: { card: { number: SENDER_PAN, cvc: '815', expMonth: 1, expYear: 2025 } },
      receiver: { card: { number: RECEIVER_PAN } },
    };
    const other = { ...request, receiver: { card: { number: '4111111111111111' } } };
    const text = JSON.stringify(canonicalRequest(request));
    expect(text).not.toContain(SENDER_PAN);
    expect(text).not.toContain(RECEIVER_PAN);
    expect(text).not.toContain('815');
    expect(requestHash('s', request)).not.toBe(requestHash('s', other));
  });
});
