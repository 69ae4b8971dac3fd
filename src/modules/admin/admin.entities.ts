import { PaymentOperationEntity } from './payment-operation.entity';
import { RefundEntity } from './refund.entity';

// Entities of this module, collected by src/database/entities.ts (app and migration CLI).
export const ADMIN_ENTITIES: Function[] = [RefundEntity, PaymentOperationEntity];
