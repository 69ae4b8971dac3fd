import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PaymentStatus } from '../../payments/payment-status.enum';
import type { EpayTransferType, TransferEntity } from '../transfer.entity';

export class TransferCardDto {
  @ApiProperty({ enum: ['card', 'saved_card'] })
  type: 'card' | 'saved_card';
  // e.g. "440563...5096"
  mask: string | null;
  cardType: string | null;
  // the saved card used, or (sender.save) the card this transfer saved
  savedCardId: string | null;
}

export class TransferFailureDto {
  // epay_<reasonCode> for bank declines, or one of our gateway error codes
  code: string;
  message: string;
}

export class TransferResponseDto {
  id: string;
  orderId: string;
  @ApiProperty({
    enum: PaymentStatus,
    description: 'charged = the money moved; unknown = being confirmed with the bank',
  })
  status: PaymentStatus;
  // minor units
  amount: number;
  // minor units, as the bank reported it (null until it did)
  fee: number | null;
  currency: string;
  description: string | null;
  accountId: string;
  sender: TransferCardDto;
  receiver: TransferCardDto;
  reference: string | null;
  epayTransactionId: string | null;
  failure: TransferFailureDto | null;
  @ApiPropertyOptional({
    description: 'creation answers only: reads this transfer back with a customer session (X-Client-Secret)',
  })
  clientSecret?: string;
  metadata: Record<string, unknown> | null;
  needsAttention: boolean;
  createdAt: string;
  updatedAt: string;

  static from(t: TransferEntity): TransferResponseDto {
    const side = (
      type: EpayTransferType,
      mask: string | null,
      cardType: string | null,
      savedCardId: string | null,
    ): TransferCardDto => ({
      type: type === 'TYPECARDID' ? 'saved_card' : 'card',
      mask,
      cardType,
      savedCardId,
    });
    return {
      id: t.id,
      orderId: t.orderId,
      status: t.status,
      amount: t.amount,
      fee: t.fee ?? null,
      currency: t.currency.trim(),
      description: t.description ?? null,
      accountId: t.accountId,
      sender: side(t.senderTransferType, t.senderCardMask, t.senderCardType, t.senderSavedCardId),
      receiver: side(t.receiverTransferType, t.receiverCardMask, t.receiverCardType, t.receiverSavedCardId),
      reference: t.reference ?? null,
      epayTransactionId: t.epayTransactionId ?? null,
      failure: t.failureCode ? { code: t.failureCode, message: t.failureMessage ?? '' } : null,
      metadata: (t.metadata as Record<string, unknown> | null) ?? null,
      needsAttention: t.needsAttention,
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    };
  }
}
