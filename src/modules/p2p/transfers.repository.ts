import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AppException, ErrorDetail } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { CheckScheduleService } from '../payments/check-schedule.service';
import { InvoiceIdService } from '../payments/invoice-id.service';
import { PaymentEventSource, PaymentStatus } from '../payments/payment-status.enum';
import { TransferEntity } from './transfer.entity';
import { TransferEventEntity } from './transfer-event.entity';

export type NewTransfer = Omit<
  Partial<TransferEntity>,
  'id' | 'status' | 'orderId' | 'createdAt' | 'updatedAt' | 'nextCheckAt' | 'checkAttempts' | 'leaseUntil'
> &
  Pick<TransferEntity, 'amount' | 'currency' | 'accountId' | 'senderTransferType' | 'receiverTransferType'> & {
    requestedOrderId?: string;
  };

// the invoice-id rules speak of invoiceId; a transfer request names it orderId
function asOrderIdError(err: unknown): unknown {
  if (!(err instanceof AppException) || !Array.isArray(err.details)) return err;
  const details = (err.details as ErrorDetail[]).map((d) =>
    d.field === 'invoiceId' ? { ...d, field: 'orderId', message: d.message.replace('invoiceId', 'orderId') } : d,
  );
  return new AppException(err.code, err.message.replace('invoiceId', 'orderId'), details);
}

@Injectable()
export class TransfersRepository {
  constructor(
    @InjectRepository(TransferEntity) readonly repo: Repository<TransferEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly invoiceIds: InvoiceIdService,
    private readonly idempotency: IdempotencyService,
    private readonly schedule: CheckScheduleService,
  ) {}

  // Commits the transfer (status created) before the bank hears of it, with its order id reserved
  // under the payments' last-six-digit rule and the request's idempotency record pointing at it.
  async create(input: NewTransfer, idempotencyRecordId?: string): Promise<TransferEntity> {
    return this.dataSource.transaction(async (m) => {
      const { requestedOrderId, ...fields } = input;
      let orderId: string;
      try {
        orderId = await this.invoiceIds.reserve(m, requestedOrderId);
      } catch (err) {
        throw asOrderIdError(err);
      }
      // scheduled from the start: if we crash before the bank answers, the poller still finds it
      const transfer = m.getRepository(TransferEntity).create({
        ...fields,
        orderId,
        status: PaymentStatus.CREATED,
        nextCheckAt: this.schedule.next(PaymentStatus.CREATED, 0),
      });
      await m.getRepository(TransferEntity).insert(transfer);
      await m.getRepository(TransferEventEntity).insert({
        transferId: transfer.id,
        fromStatus: null,
        toStatus: PaymentStatus.CREATED,
        source: PaymentEventSource.API,
        reason: 'created',
      });
      if (idempotencyRecordId) await this.idempotency.attachResource(m, idempotencyRecordId, 'transfer', transfer.id);
      return transfer;
    });
  }

  async get(id: string, manager?: EntityManager): Promise<TransferEntity> {
    const transfer = await (manager?.getRepository(TransferEntity) ?? this.repo).findOne({ where: { id } });
    if (!transfer) throw new AppException(ErrorCode.TRANSFER_NOT_FOUND, 'Transfer not found');
    return transfer;
  }

  events(transferId: string): Promise<TransferEventEntity[]> {
    return this.dataSource
      .getRepository(TransferEventEntity)
      .find({ where: { transferId }, order: { createdAt: 'ASC' } });
  }
}
