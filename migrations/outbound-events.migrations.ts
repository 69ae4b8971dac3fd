import { CreateOutboundEvents1763900400000 } from './1763900400000-CreateOutboundEvents';

// Migrations of the outbound-events module, in timestamp order; collected by migrations/index.ts.
export const OUTBOUND_EVENTS_MIGRATIONS: Function[] = [CreateOutboundEvents1763900400000];
