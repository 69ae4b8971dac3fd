import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { AdminActionEntity } from '../api-keys/admin-action.entity';
import { CustomerSessionEntity } from '../api-keys/customer-session.entity';
import { GatewayExchangeEntity } from '../gateway/gateway-exchange.entity';
import { ADMIN_ENTITIES } from '../modules/admin/admin.entities';
import { IdempotencyKeyEntity } from '../modules/idempotency/idempotency-key.entity';
import { OUTBOUND_EVENTS_ENTITIES } from '../modules/outbound-events/outbound-events.entities';
import { P2P_ENTITIES } from '../modules/p2p/p2p.entities';
import { PaymentEntity } from '../modules/payments/payment.entity';
import { PaymentEventEntity } from '../modules/payments/payment-event.entity';
import { SavedCardEntity } from '../modules/payments/saved-card.entity';
import { STATUS_ENTITIES } from '../modules/status/status.entities';
import { WALLETS_ENTITIES } from '../modules/wallets/wallets.entities';
import { WEBHOOKS_ENTITIES } from '../modules/webhooks/webhooks.entities';
import { WIDGET_ENTITIES } from '../modules/widget/widget.entities';

// Every entity, for the app and the migration CLI. Each module lists its own in <module>.entities.ts.
export const ENTITIES = [
  ApiKeyEntity,
  CustomerSessionEntity,
  AdminActionEntity,
  GatewayExchangeEntity,
  IdempotencyKeyEntity,
  PaymentEntity,
  PaymentEventEntity,
  SavedCardEntity,
  ...WALLETS_ENTITIES,
  ...WIDGET_ENTITIES,
  ...P2P_ENTITIES,
  ...STATUS_ENTITIES,
  ...WEBHOOKS_ENTITIES,
  ...ADMIN_ENTITIES,
  ...OUTBOUND_EVENTS_ENTITIES,
];
