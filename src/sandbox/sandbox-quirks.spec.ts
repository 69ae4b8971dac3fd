import { startSandbox, type RunningSandbox } from './sandbox.server';
import { SandboxTestClient } from './sandbox-test-client.util';

const VISA_OK = { pan: '4111111111111111', exp: '1230', cvc: '123' };

describe("ePay sandbox: seedQuirks 'all' behaves like the seeds' samples", () => {
  let sandbox: RunningSandbox;
  let client: SandboxTestClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ seedQuirks: 'all' });
    client = new SandboxTestClient(sandbox.url);
  });
  afterAll(() => sandbox.close());

  it('answers an approved payment in seed 002\'s literal text ("secure3D":no), and processes it', async () => {
    const inv = '700001';
    const res = await client.http.post(
      '/payment/cryptopay',
      { amount: 10, currency: 'KZT', name: 'A', cryptogram: await client.cryptogram(VISA_OK), invoiceId: inv },
      {
        ...client.bearer(await client.paymentToken(inv, 10)),
        responseType: 'text',
        transformResponse: (d: string) => d,
      },
    );
    expect(res.status).toBe(200);
    expect(res.data).toContain('"secure3D":no');
    expect(() => JSON.parse(res.data as unknown as string)).toThrow();
    expect(sandbox.control.getTransaction(inv)?.statusName).toBe('CHARGE');
  });

  it("sends postLinks without secret_hash (seed 001) and has only seed 003's P2P path", async () => {
    const inv = '700002';
    await client.payCard(inv, 10, VISA_OK, { postLink: `${sandbox.url}/nowhere` }, { secret_hash: 'our-secret' });
    await sandbox.control.flushPostLinks();
    const [delivery] = sandbox.control.getDeliveries().filter((d) => d.invoiceId === inv);
    expect(delivery.body).toMatchObject({ code: 'ok', invoiceId: inv });
    expect(delivery.body).not.toHaveProperty('secret_hash');
    const sdk = await client.http.post('/p2p/transfer', {}, client.bearer(await client.token()));
    expect(sdk.status).toBe(404);
  });
});
