import { OutboundDeliveryAttemptEntity } from './outbound-delivery-attempt.entity';
import { OutboundDeliveryEntity } from './outbound-delivery.entity';
import { OutboundEventStreamEntity } from './outbound-event-stream.entity';
import { OutboundEventEntity } from './outbound-event.entity';
import { OutboundWebhookEndpointEntity } from './webhook-endpoint.entity';

// Entities of this module, collected by src/database/entities.ts (app and migration CLI).
export const OUTBOUND_EVENTS_ENTITIES: Function[] = [
  OutboundWebhookEndpointEntity,
  OutboundEventStreamEntity,
  OutboundEventEntity,
  OutboundDeliveryEntity,
  OutboundDeliveryAttemptEntity,
];
