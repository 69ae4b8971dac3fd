import { decimalToMinor, MoneyFormatError } from '../../common/money/money.util';
import type {
  EpayP2pReply,
  EpayPaymentReply,
  EpayRegistryRecord,
  EpaySavedCard,
  EpaySecure3D,
  EpayStatusReply,
  EpayToken,
  EpayTransaction,
} from '../gateway-api.types';
import { bool, decimal, field, int, isObject, nonEmpty, str } from './epay-parse.util';

// Thrown for a 2xx reply that cannot be read: the caller treats the outcome as unknown.
export class EpayParseError extends Error {}

function minor(value: unknown, currency: string | undefined): number | undefined {
  const d = decimal(value);
  if (d === undefined) return undefined;
  try {
    return decimalToMinor(d, currency ?? 'KZT');
  } catch (err) {
    if (err instanceof MoneyFormatError) throw new EpayParseError(`bad amount: ${err.message}`);
    throw err;
  }
}

const upper = (v: unknown) => nonEmpty(v)?.toUpperCase();

export function parseToken(raw: unknown): EpayToken {
  const accessToken = nonEmpty(field(raw, 'access_token'));
  // expires_in: a number in the docs, a string in practice (API.md §1)
  const expiresIn = int(field(raw, 'expires_in'));
  if (!accessToken) throw new EpayParseError('token reply without access_token');
  return {
    accessToken,
    expiresInSeconds: expiresIn && expiresIn > 0 ? expiresIn : 1200,
    scope: str(field(raw, 'scope')) ?? '',
    raw: isObject(raw) ? { ...raw } : undefined,
  };
}

function parseSecure3D(raw: unknown): EpaySecure3D | undefined {
  // S2 shows "secure3D": no / null for payments without 3-D Secure
  if (!isObject(raw)) return undefined;
  const paReq = nonEmpty(field(raw, 'paReq'));
  const md = nonEmpty(field(raw, 'md'));
  const action = nonEmpty(field(raw, 'action'));
  if (!paReq || !md || !action) return undefined;
  return { paReq, md, action, termUrl: nonEmpty(field(raw, 'termUrl')) };
}

export function parsePaymentReply(raw: unknown, currency: string): EpayPaymentReply {
  if (!isObject(raw)) throw new EpayParseError('payment reply is not an object');
  const reply: EpayPaymentReply = {
    transactionId: nonEmpty(field(raw, 'id')),
    invoiceId: nonEmpty(field(raw, 'invoiceId')),
    status: upper(field(raw, 'status')),
    reference: nonEmpty(field(raw, 'reference')),
    intReference: nonEmpty(field(raw, 'intReference')),
    approvalCode: nonEmpty(field(raw, 'approvalCode')),
    cardId: nonEmpty(field(raw, 'cardId')),
    cardMask: nonEmpty(field(raw, 'cardMask')),
    cardType: nonEmpty(field(raw, 'cardType')),
    issuer: nonEmpty(field(raw, 'issuer')),
    amountMinor: minor(field(raw, 'amount'), currency),
    code: int(field(raw, 'code')),
    secure3D: parseSecure3D(field(raw, 'secure3D')),
  };
  if (!reply.transactionId && !reply.status && !reply.secure3D) {
    throw new EpayParseError('payment reply without id, status or 3-D Secure data');
  }
  return reply;
}

export function parseTransaction(raw: unknown): EpayTransaction | undefined {
  if (!isObject(raw)) return undefined;
  const currency = upper(field(raw, 'currency'));
  return {
    id: nonEmpty(field(raw, 'id')),
    invoiceId: nonEmpty(field(raw, 'invoiceId')),
    statusName: upper(field(raw, 'statusName', 'status')),
    amountMinor: minor(field(raw, 'amount'), currency),
    orgAmountMinor: minor(field(raw, 'orgAmount'), currency),
    currency,
    reference: nonEmpty(field(raw, 'reference')),
    intReference: nonEmpty(field(raw, 'intReference')),
    approvalCode: nonEmpty(field(raw, 'approvalCode')),
    cardMask: nonEmpty(field(raw, 'cardMask')),
    cardType: nonEmpty(field(raw, 'cardType')),
    issuer: nonEmpty(field(raw, 'issuer')),
    cardId: nonEmpty(field(raw, 'cardId')),
    reasonCode: int(field(raw, 'reasonCode')),
    reason: nonEmpty(field(raw, 'reason')),
    secure: bool(field(raw, 'secure')),
    createdDate: nonEmpty(field(raw, 'createdDate', 'dateTime')),
  };
}

export function parseStatusReply(raw: unknown): EpayStatusReply {
  if (!isObject(raw)) throw new EpayParseError('status reply is not an object');
  // payments: {resultCode, resultMessage, transaction}; P2P: {result:{code,message}, transaction:{p2p:{...}}}
  const result = field(raw, 'result');
  const resultCode = int(field(raw, 'resultCode')) ?? int(field(result, 'code'));
  if (resultCode === undefined) throw new EpayParseError('status reply without resultCode');
  const txRaw = field(raw, 'transaction');
  const p2p = field(txRaw, 'p2p');
  return {
    resultCode,
    resultMessage: str(field(raw, 'resultMessage')) ?? str(field(result, 'message')),
    transaction: parseTransaction(isObject(p2p) ? p2p : txRaw),
  };
}

export function parseP2pReply(raw: unknown, currency: string): EpayP2pReply {
  if (!isObject(raw)) throw new EpayParseError('transfer reply is not an object');
  const reply: EpayP2pReply = {
    transactionId: nonEmpty(field(raw, 'id')),
    orderId: nonEmpty(field(raw, 'orderId')),
    status: upper(field(raw, 'status')),
    reference: nonEmpty(field(raw, 'reference')),
    intReference: nonEmpty(field(raw, 'intReference')),
    senderCardId: nonEmpty(field(raw, 'senderCardId')),
    senderCardMask: nonEmpty(field(raw, 'senderCardPAN')),
    senderCardType: nonEmpty(field(raw, 'senderCardType')),
    receiverCardId: nonEmpty(field(raw, 'receiverCardId')),
    receiverCardMask: nonEmpty(field(raw, 'receiverCardPAN')),
    receiverCardType: nonEmpty(field(raw, 'receiverCardType')),
    amountMinor: minor(field(raw, 'amount'), currency),
    feeMinor: minor(field(raw, 'fee'), currency),
    secure3D: parseSecure3D(field(raw, 'secure3D')),
  };
  if (!reply.transactionId && !reply.status && !reply.secure3D) {
    throw new EpayParseError('transfer reply without id, status or 3-D Secure data');
  }
  return reply;
}

// GET /cards/:accountId answers a PascalCase array, or {code:1373} when there are none (API.md §9)
export function parseSavedCards(raw: unknown): EpaySavedCard[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .map((c) => ({
      cardId: nonEmpty(field(c, 'ID', 'cardId')) ?? '',
      cardMask: nonEmpty(field(c, 'CardMask')),
      accountId: nonEmpty(field(c, 'AccountID')),
      payerName: nonEmpty(field(c, 'PayerName')),
      paymentAvailable: bool(field(c, 'PaymentAvailable')),
      createdDate: nonEmpty(field(c, 'CreatedDate')),
    }))
    .filter((c) => c.cardId);
}

export function parseRegistry(raw: unknown): { total: number; records: EpayRegistryRecord[] } {
  const records = field(raw, 'records');
  const list = Array.isArray(records) ? records : [];
  return {
    total: int(field(raw, 'totalCount')) ?? list.length,
    records: list.map((r) => {
      const currency = upper(field(r, 'currency'));
      return {
        id: nonEmpty(field(r, 'id')),
        invoiceId: nonEmpty(field(r, 'invoiceId')),
        reference: nonEmpty(field(r, 'reference')),
        amountMinor: minor(field(r, 'amount'), currency),
        orgAmountMinor: minor(field(r, 'orgAmount'), currency),
        currency,
        status: upper(field(r, 'status', 'statusName')),
        createdDate: nonEmpty(field(r, 'createdDate')),
        cardMask: nonEmpty(field(r, 'cardMask')),
      };
    }),
  };
}
