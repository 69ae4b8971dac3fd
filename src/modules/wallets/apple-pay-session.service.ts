import { Injectable, Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { AppConfigService } from '../../config/app-config.service';
import { isAppleValidationUrl } from './utils/apple-pay-validation-url.util';

const MAX_SESSION_BYTES = 64 * 1024;

// POSTs JSON with our merchant identity certificate (mutual TLS) and reads a small JSON reply.
export function requestMerchantSession(
  url: string,
  body: object,
  tls: { cert: Buffer; key: Buffer; ca?: Buffer },
  timeoutMs: number,
): Promise<{ status: number; data: unknown }> {
  return new Promise((resolve, reject) => {
    const options = {
      method: 'POST',
      cert: tls.cert,
      key: tls.key,
      ca: tls.ca,
      headers: { 'content-type': 'application/json' },
      timeout: timeoutMs,
    };
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_SESSION_BYTES) req.destroy(new Error('merchant session reply too large'));
        else chunks.push(c);
      });
      res.on('end', () => {
        let data: unknown;
        try {
          data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          data = undefined;
        }
        resolve({ status: res.statusCode ?? 0, data });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('merchant validation timed out')));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

// Apple Pay on the web, merchant validation: the page's onvalidatemerchant hands us Apple's
// validationURL; we ask Apple for a merchant session with our merchant identity certificate and the
// page passes the opaque session to completeMerchantValidation(). Nothing of it is stored.
@Injectable()
export class ApplePaySessionService {
  private readonly logger = new Logger(ApplePaySessionService.name);
  private credentials?: { cert: Buffer; key: Buffer };

  constructor(private readonly config: AppConfigService) {}

  async createSession(validationUrl: string): Promise<Record<string, unknown>> {
    if (!isAppleValidationUrl(validationUrl)) {
      throw new AppException(ErrorCode.VALIDATION_FAILED, 'Invalid request: validationUrl', [
        {
          field: 'validationUrl',
          message: 'must be an Apple Pay gateway URL (https://apple-pay-gateway….apple.com/…)',
        },
      ]);
    }
    const merchantIdentifier = this.config.get('APPLE_PAY_MERCHANT_ID')!;
    const body = {
      merchantIdentifier,
      displayName: this.config.get('APPLE_PAY_DISPLAY_NAME') ?? merchantIdentifier,
      initiative: 'web',
      initiativeContext: this.config.get('APPLE_PAY_DOMAIN') ?? new URL(this.config.publicBaseUrl).hostname,
    };
    let reply: { status: number; data: unknown };
    try {
      reply = await requestMerchantSession(
        validationUrl,
        body,
        this.tlsCredentials(),
        this.config.get('EPAY_TIMEOUT_MS'),
      );
    } catch (err) {
      this.logger.warn(
        { host: new URL(validationUrl).hostname, err: (err as Error).message },
        'Apple Pay merchant validation failed',
      );
      throw new AppException(ErrorCode.APPLE_PAY_SESSION_FAILED, 'Apple Pay merchant validation failed; try again');
    }
    if (reply.status !== 200 || typeof reply.data !== 'object' || reply.data === null) {
      this.logger.warn(
        { host: new URL(validationUrl).hostname, status: reply.status },
        'Apple Pay merchant validation refused',
      );
      throw new AppException(ErrorCode.APPLE_PAY_SESSION_FAILED, 'Apple refused the merchant validation');
    }
    return reply.data as Record<string, unknown>;
  }

  // read once; configuration validation already made sure both files are readable
  private tlsCredentials(): { cert: Buffer; key: Buffer } {
    this.credentials ??= {
      cert: readFileSync(this.config.get('APPLE_PAY_MERCHANT_CERT_PATH')!),
      key: readFileSync(this.config.get('APPLE_PAY_MERCHANT_KEY_PATH')!),
    };
    return this.credentials;
  }
}
