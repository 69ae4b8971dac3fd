import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AppException } from '../../common/errors/app.exception';
import { ErrorCode } from '../../common/errors/error-code.enum';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { CheckScheduleService } from './check-schedule.service';
import { InvoiceIdService } from './invoice-id.service';
import { PaymentEntity } from './payment.entity';
import { PaymentEventEntity } from './payment-event.entity';
import { PaymentEventSource, PaymentStatus } from './payment-status.enum';

export type NewPayment = Omit<
  Partial<PaymentEntity>,
  'id' | 'status' | 'invoiceId' | 'createdAt' | 'updatedAt' | 'capturedAmount' | 'refundedAmount'
> &
  Pick<PaymentEntity, 'method' | 'amount' | 'currency' | 'callbackToken'> & { requestedInvoiceId?: string };

@Injectable()
export class PaymentsRepository {
  constructor(
    @InjectRepository(PaymentEntity) readonly repo: Repository<PaymentEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly invoiceIds: InvoiceIdService,
    private readonly idempotency: IdempotencyService,
    private readonly schedule: CheckScheduleService,
  ) {}

  // Commits the payment (status created) before the bank hears of it; links it to the request's
  // idempotency record in the same transaction so a retry after a crash finds it.
  async create(input: NewPayment, idempotencyRecordId?: string): Promise<PaymentEntity> {
    return this.dataSource.transaction(async (m) => {
      const { requestedInvoiceId, ...fields } = input;
      const invoiceId = await this.invoiceIds.reserve(m, requestedInvoiceId);
      // scheduled from the start: if we crash before the bank answers, the poller still finds it
      const payment = m.getRepository(PaymentEntity).create({
        ...fields,
        invoiceId,
        status: PaymentStatus.CREATED,
        nextCheckAt: this.schedule.next(PaymentStatus.CREATED, 0),
      });
      await m.getRepository(PaymentEntity).insert(payment);
      await m.getRepository(PaymentEventEntity).insert({
        paymentId: payment.id,
        fromStatus: null,
        toStatus: PaymentStatus.CREATED,
        source: PaymentEventSource.API,
        reason: 'created',
      });
      if (idempotencyRecordId) await this.idempotency.attachResource(m, idempotencyRecordId, 'payment', payment.id);
      return payment;
    });
  }

  async get(id: string, manager?: EntityManager): Promise<PaymentEntity> {
    const payment = await (manager?.getRepository(PaymentEntity) ?? this.repo).findOne({ where: { id } });
    if (!payment) throw new AppException(ErrorCode.PAYMENT_NOT_FOUND, 'Payment not found');
    return payment;
  }

  findByInvoiceId(invoiceId: string): Promise<PaymentEntity | null> {
    return this.repo.findOne({ where: { invoiceId } });
  }

  events(paymentId: string): Promise<PaymentEventEntity[]> {
    return this.dataSource
      .getRepository(PaymentEventEntity)
      .find({ where: { paymentId }, order: { createdAt: 'ASC' } });
  }
}
