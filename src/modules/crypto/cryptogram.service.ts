import { Injectable } from '@nestjs/common';
import { constants, publicEncrypt } from 'node:crypto';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import { HomebankHttpService } from '../../gateway/homebank-http.service';
import { CardInput, expDateMMYY, normalisePan, validateCard } from './card-validation.util';
import { EpayPublicKeyService } from './epay-public-key.service';

// The plaintext the bank decrypts (S2, API.md §2): compact JSON, keys in this order.
export interface CryptogramPayload {
  hpan: string;
  expDate: string;
  cvc: string;
  terminalId: string;
}

// Encrypts with RSA PKCS#1 v1.5, base64 in one line. Keys are parsed with node-forge; encryption
// uses node:crypto, which bench/cryptogram.bench measures at well over 10x node-forge on RSA-4096.
export function encryptCryptogram(payload: CryptogramPayload, key: Parameters<typeof publicEncrypt>[0]): string {
  const plaintext = Buffer.from(
    JSON.stringify({ hpan: payload.hpan, expDate: payload.expDate, cvc: payload.cvc, terminalId: payload.terminalId }),
    'utf8',
  );
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_PADDING } as Parameters<typeof publicEncrypt>[0],
    plaintext,
  ).toString('base64');
}

// Card data lives only in the arguments of this call; nothing is stored or logged.
@Injectable()
export class CryptogramService {
  constructor(
    private readonly keys: EpayPublicKeyService,
    private readonly homebank: HomebankHttpService,
    private readonly config: AppConfigService,
  ) {}

  validate(card: CardInput): void {
    const errors = validateCard(card, { allowDocumentedTestCards: this.config.get('EPAY_ENV') !== 'prod' });
    if (errors.length) {
      throw new AppException(
        ErrorCode.INVALID_CARD,
        `Invalid card: ${[...new Set(errors.map((e) => e.field))].join(', ')}`,
        errors,
      );
    }
  }

  async forCard(card: CardInput): Promise<string> {
    this.validate(card);
    return this.encrypt({
      hpan: normalisePan(card.number),
      expDate: expDateMMYY(card),
      cvc: card.cvc,
      terminalId: this.homebank.terminalId,
    });
  }

  async encrypt(payload: CryptogramPayload): Promise<string> {
    const key = await this.keys.get();
    return encryptCryptogram(payload, key.keyObject);
  }
}
