import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { GatewayExchangeEntity } from '../gateway/gateway-exchange.entity';
import { IdempotencyKeyEntity } from '../modules/idempotency/idempotency-key.entity';
import { PaymentEntity } from '../modules/payments/payment.entity';
import { PaymentEventEntity } from '../modules/payments/payment-event.entity';
import { SavedCardEntity } from '../modules/payments/saved-card.entity';

// Every entity, for the app and the migration CLI. Add new entities here.
export const ENTITIES = [ApiKeyEntity, GatewayExchangeEntity, IdempotencyKeyEntity, PaymentEntity, PaymentEventEntity, SavedCardEntity];
