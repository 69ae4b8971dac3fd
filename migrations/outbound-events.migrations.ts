import { CreateOutboundEvents1763900400000 } from './1763900400000-CreateOutboundEvents';
import { EncryptWebhookSecrets1763901400000 } from './1763901400000-EncryptWebhookSecrets';

// Migrations of the outbound-events module, in timestamp order; collected by migrations/index.ts.
export const OUTBOUND_EVENTS_MIGRATIONS: Function[] = [
  CreateOutboundEvents1763900400000,
  EncryptWebhookSecrets1763901400000,
];
