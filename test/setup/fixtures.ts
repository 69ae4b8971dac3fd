// Cards and request bodies shared by the end-to-end specs. The PANs are the bank's published test
// cards and the sandbox's magic numbers; the at-rest scans search for exactly these strings.
export const CARDS = {
  approve: { number: '4405639704015096', expMonth: 1, expYear: 2025, cvc: '815', holder: 'ARMAN ALI' },
  approveAny: { number: '4111111111111111', expMonth: 12, expYear: 2030, cvc: '123', holder: 'TEST USER' },
  threeDs: { number: '5522042705066736', expMonth: 1, expYear: 2025, cvc: '525', holder: 'ARMAN ALI' },
  threeDsAny: { number: '4000000000003220', expMonth: 12, expYear: 2030, cvc: '321', holder: 'TEST USER' },
  insufficientFunds: { number: '4000000000000002', expMonth: 12, expYear: 2030, cvc: '222', holder: 'TEST USER' },
  pending454: { number: '4000000000000119', expMonth: 12, expYear: 2030, cvc: '454', holder: 'TEST USER' },
  restricted: { number: '377514500004820', expMonth: 1, expYear: 2025, cvc: '4169', holder: 'ARMAN ALI' },
} as const;

export const ALL_TEST_PANS = Object.values(CARDS).map((c) => c.number);
export const ALL_TEST_CVCS_WITH_CONTEXT = Object.values(CARDS).map((c) => `"cvc":"${c.cvc}"`);

let seq = 0;
export function uniqueAccount(prefix = 'acct'): string {
  seq += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${seq}`;
}

export function paymentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: 10050,
    currency: 'KZT',
    description: 'Order 42',
    accountId: uniqueAccount(),
    email: 'buyer@example.kz',
    backLink: 'https://shop.example.kz/ok',
    failureBackLink: 'https://shop.example.kz/fail',
    ...overrides,
  };
}

// A card-to-card transfer request (seed card to a test receiver).
export function transferBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    amount: 250075,
    currency: 'KZT',
    description: 'P2P test',
    accountId: uniqueAccount('p2p'),
    email: 'sender@example.kz',
    sender: { card: CARDS.approve },
    receiver: { card: { number: '4111111111111111' } },
    ...overrides,
  };
}

// Looks for every test card number and CVC-in-JSON in a text (logs, database dump, responses).
export function findCardData(text: string): string[] {
  const hits: string[] = [];
  for (const pan of ALL_TEST_PANS) if (text.includes(pan)) hits.push(pan);
  for (const cvc of ALL_TEST_CVCS_WITH_CONTEXT) if (text.includes(cvc)) hits.push(cvc);
  return hits;
}
