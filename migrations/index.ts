import { CreateApiKeys1763900000000 } from './1763900000000-CreateApiKeys';
import { CreateGatewayExchanges1763900001000 } from './1763900001000-CreateGatewayExchanges';
import { CreatePayments1763900002000 } from './1763900002000-CreatePayments';
import { ADMIN_MIGRATIONS } from './admin.migrations';
import { API_KEYS_MIGRATIONS } from './api-keys.migrations';
import { OUTBOUND_EVENTS_MIGRATIONS } from './outbound-events.migrations';
import { P2P_MIGRATIONS } from './p2p.migrations';
import { RETENTION_MIGRATIONS } from './retention.migrations';
import { STATUS_MIGRATIONS } from './status.migrations';
import { WALLETS_MIGRATIONS } from './wallets.migrations';
import { WEBHOOKS_MIGRATIONS } from './webhooks.migrations';
import { WIDGET_MIGRATIONS } from './widget.migrations';

// Migrations are listed explicitly (no glob) so they load the same way under Jest, ts and compiled JS.
// Each module keeps its own list in migrations/<module>.migrations.ts; TypeORM runs them all in
// timestamp order (the number in the class name). Never edit one that has landed.
export const MIGRATIONS = [
  CreateApiKeys1763900000000,
  CreateGatewayExchanges1763900001000,
  CreatePayments1763900002000,
  ...WALLETS_MIGRATIONS,
  ...WIDGET_MIGRATIONS,
  ...P2P_MIGRATIONS,
  ...STATUS_MIGRATIONS,
  ...WEBHOOKS_MIGRATIONS,
  ...ADMIN_MIGRATIONS,
  ...OUTBOUND_EVENTS_MIGRATIONS,
  ...API_KEYS_MIGRATIONS,
  ...RETENTION_MIGRATIONS,
].sort((a, b) => Number(/\d{13}$/.exec(a.name)?.[0]) - Number(/\d{13}$/.exec(b.name)?.[0]));
