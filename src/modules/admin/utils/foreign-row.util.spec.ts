import { publicRow } from './foreign-row.util';

describe('rows of other modules in admin answers', () => {
  it('camel-cases keys and drops secret-looking columns', () => {
    expect(
      publicRow({
        id: 'x',
        order_id: '42',
        sender_card_mask: '440563...5096',
        callback_token: 'abc',
        secret_hash_digest: 'def',
        dedupe_key: 'k',
        created_at: '2025-01-01T00:00:00+00:00',
      }),
    ).toEqual({
      id: 'x',
      orderId: '42',
      senderCardMask: '440563...5096',
      dedupeKey: 'k',
      createdAt: '2025-01-01T00:00:00+00:00',
    });
  });

  it('redacts card numbers inside values', () => {
    const row = publicRow({ body: { cardNumber: '4405639704015096', note: 'pan 4405639704015096' } });
    expect(JSON.stringify(row)).not.toContain('4405639704015096');
  });
});
