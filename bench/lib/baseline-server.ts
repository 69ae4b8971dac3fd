import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Pool } from 'pg';
import { minorToGatewayAmount } from '../../src/common/money/money.util';
import { EPAY_PAYMENT_SCOPE, EPAY_PUBLIC_TEST_CREDENTIALS } from '../../src/gateway/constants/epay-hosts.constant';
import { encryptCryptogram } from '../../src/modules/crypto/cryptogram.service';
import { parseRsaPublicKey } from '../../src/modules/crypto/epay-public-key.service';

// The baseline of the payment API benchmark: the least a card payment can cost against ePay — one
// INSERT, the invoice-bound token, the same cryptogram (same function, same KeyObject) and cryptopay,
// over keep-alive HTTP to the same sandbox — with none of the service's validation, idempotency,
// state machine, exchange records or logging. Runs in its own process, like the app.

const port = Number(process.env.PORT);
const sandboxUrl = String(process.env.SANDBOX_URL);
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);
const creds = EPAY_PUBLIC_TEST_CREDENTIALS;
const agent = new http.Agent({ keepAlive: true });
// named, so the benchmark can tell its connections from the service's in pg_stat_activity
const BASELINE_APPLICATION_NAME = 'bench-baseline'; // payment-api.bench.ts filters on this name
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: poolSize,
  application_name: BASELINE_APPLICATION_NAME,
});

function call(
  method: 'GET' | 'POST',
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${sandboxUrl}${path}`,
      { method, agent, headers: body ? { ...headers, 'content-length': Buffer.byteLength(body).toString() } : headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

interface PayRequest {
  amount: number;
  currency?: string;
  description: string;
  accountId: string;
  email?: string;
  card: { number: string; expMonth: number; expYear: number; cvc: string; holder: string };
}

async function pay(
  body: PayRequest,
  keyObject: Parameters<typeof encryptCryptogram>[1],
): Promise<{ status: number; json: unknown }> {
  const currency = body.currency ?? 'KZT';
  const callbackToken = randomBytes(24).toString('base64url');
  const { rows } = await pool.query<{ id: string; invoice_id: string }>(
    `INSERT INTO payments (invoice_id, method, status, amount, currency, description, account_id, email, callback_token)
     VALUES (nextval('invoice_id_seq')::text, 'card', 'created', $1, $2, $3, $4, $5, $6) RETURNING id, invoice_id`,
    [body.amount, currency, body.description, body.accountId, body.email ?? null, callbackToken],
  );
  const { id, invoice_id: invoiceId } = rows[0];
  const amount = minorToGatewayAmount(body.amount, currency);
  const postLink = `http://127.0.0.1:${port}/post-link?pid=${id}&token=${callbackToken}`;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: EPAY_PAYMENT_SCOPE,
    invoiceID: invoiceId,
    amount: String(amount),
    currency,
    terminal: creds.terminalId,
    postLink,
    failurePostLink: postLink,
    secret_hash: randomBytes(24).toString('base64url'),
    client_id: creds.clientId,
    client_secret: creds.clientSecret,
  }).toString();
  const token = await call('POST', '/oauth2/token', form, { 'content-type': 'application/x-www-form-urlencoded' });
  if (token.status !== 200) return { status: 502, json: { error: `token ${token.status}` } };
  const accessToken = (JSON.parse(token.text) as { access_token: string }).access_token;
  const exp = `${String(body.card.expMonth).padStart(2, '0')}${String(body.card.expYear % 100).padStart(2, '0')}`;
  const cryptogram = encryptCryptogram(
    { hpan: body.card.number, expDate: exp, cvc: body.card.cvc, terminalId: creds.terminalId },
    keyObject,
  );
  const payBody = JSON.stringify({
    amount,
    currency,
    name: body.card.holder,
    invoiceId,
    description: body.description,
    accountId: body.accountId,
    email: body.email,
    postLink,
    failurePostLink: postLink,
    language: 'rus',
    terminalId: creds.terminalId,
    cardSave: false,
    cryptogram,
  });
  const reply = await call('POST', '/payment/cryptopay', payBody, {
    'content-type': 'application/json',
    authorization: `Bearer ${accessToken}`,
  });
  const parsed = JSON.parse(reply.text) as { status?: string; id?: string };
  return {
    status: 201,
    json: {
      id,
      invoiceId,
      status: reply.status === 200 ? (parsed.status === 'CHARGE' ? 'charged' : parsed.status) : 'failed',
    },
  };
}

async function main(): Promise<void> {
  const pem = await call('GET', '/public.rsa');
  const key = parseRsaPublicKey(pem.text);
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(200).end('ok'); // health probe, postLinks
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pay(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PayRequest, key.keyObject)
        .then(({ status, json }) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json)),
        )
        .catch((err: Error) =>
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message })),
        );
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1');
  const stop = () => {
    server.close(() => void pool.end().then(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
