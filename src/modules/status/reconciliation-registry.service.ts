import { Global, Injectable, Module } from '@nestjs/common';
import type { ReconciliationQueue } from './reconciliation-queue.interface';

@Injectable()
export class ReconciliationRegistry {
  private readonly queues = new Map<string, ReconciliationQueue>();

  register(queue: ReconciliationQueue): void {
    this.queues.set(queue.name, queue);
  }

  all(): ReconciliationQueue[] {
    return [...this.queues.values()];
  }
}

// Global so payments, P2P and admin (refunds) can register their queues without importing the poller.
@Global()
@Module({ providers: [ReconciliationRegistry], exports: [ReconciliationRegistry] })
export class ReconciliationRegistryModule {}
