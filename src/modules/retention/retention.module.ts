import { Module, OnModuleInit } from '@nestjs/common';
import { ReconciliationRegistry } from '../status/reconciliation-registry.service';
import { RetentionQueue } from './retention.queue';

// Retention of investigation data (issue 14), run by the reconciliation poller.
@Module({ providers: [RetentionQueue] })
export class RetentionModule implements OnModuleInit {
  constructor(
    private readonly registry: ReconciliationRegistry,
    private readonly queue: RetentionQueue,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.queue);
  }
}
