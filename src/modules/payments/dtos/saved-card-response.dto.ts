import type { SavedCardEntity } from '../saved-card.entity';

export class SavedCardResponseDto {
  // our id, used as cardId in POST /v1/payments/saved-card
  id: string;
  accountId: string;
  mask: string | null;
  type: string | null;
  issuer: string | null;
  createdAt: string;
  deactivatedAt: string | null;

  static from(c: SavedCardEntity): SavedCardResponseDto {
    return {
      id: c.id,
      accountId: c.accountId,
      mask: c.cardMask,
      type: c.cardType,
      issuer: c.issuer,
      createdAt: c.createdAt.toISOString(),
      deactivatedAt: c.deactivatedAt?.toISOString() ?? null,
    };
  }
}
