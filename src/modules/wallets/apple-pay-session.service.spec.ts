import { generateKeyPairSync } from 'node:crypto';
import { createServer, Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { AppException } from '../../common/errors/app.exception';
import type { AppConfigService } from '../../config/app-config.service';
import { ApplePaySessionService, requestMerchantSession } from './apple-pay-session.service';

function selfSigned(cn: string): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: cn }]);
  cert.setIssuer([{ name: 'commonName', value: cn }]);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: privateKey };
}

describe('Apple Pay merchant validation', () => {
  const server = selfSigned('127.0.0.1');
  const merchant = selfSigned('merchant.kz.example.shop');
  let https: Server;
  let url: string;
  const seen: { clientCn?: string; body: unknown }[] = [];
  let reply: { status: number; body: string } = { status: 200, body: '{}' };

  beforeAll(async () => {
    https = createServer(
      { key: server.key, cert: server.cert, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
          seen.push({
            clientCn: peer?.subject?.CN as string | undefined,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          });
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
        });
      },
    );
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(https.address() as AddressInfo).port}/paymentservices/paymentSession`;
  });
  afterAll(() => new Promise<void>((resolve) => https.close(() => resolve())));

  const tls = () => ({
    cert: Buffer.from(merchant.cert),
    key: Buffer.from(merchant.key),
    ca: Buffer.from(server.cert),
  });

  it('presents the merchant identity certificate and posts the session request as JSON', async () => {
    reply = {
      status: 200,
      body: JSON.stringify({ epochTimestamp: 1, merchantSessionIdentifier: 'SSH1', signature: 'abc' }),
    };
    const body = {
      merchantIdentifier: 'merchant.kz.example.shop',
      displayName: 'Shop',
      initiative: 'web',
      initiativeContext: 'shop.example.kz',
    };
    const res = await requestMerchantSession(url, body, tls(), 5000);
    expect(res).toEqual({
      status: 200,
      data: { epochTimestamp: 1, merchantSessionIdentifier: 'SSH1', signature: 'abc' },
    });
    expect(seen.at(-1)).toEqual({ clientCn: 'merchant.kz.example.shop', body });
  });

  it('passes a refusal through as a status and refuses an oversized reply', async () => {
    reply = { status: 400, body: '{"statusMessage":"Payment Services Exception"}' };
    expect((await requestMerchantSession(url, {}, tls(), 5000)).status).toBe(400);
    reply = { status: 200, body: JSON.stringify({ pad: 'x'.repeat(70_000) }) };
    await expect(requestMerchantSession(url, {}, tls(), 5000)).rejects.toThrow(/too large/);
  });

  it('never calls a host that is not an Apple Pay gateway', async () => {
    const config = {
      get: (key: string) => ({ APPLE_PAY_MERCHANT_ID: 'merchant.kz.example.shop', EPAY_TIMEOUT_MS: 1000 })[key],
      publicBaseUrl: 'https://shop.example.kz',
    } as unknown as AppConfigService;
    const service = new ApplePaySessionService(config);
    const before = seen.length;
    await expect(service.createSession(url)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'validationUrl' }],
    });
    await expect(service.createSession(url)).rejects.toBeInstanceOf(AppException);
    expect(seen.length).toBe(before);
  });
});
