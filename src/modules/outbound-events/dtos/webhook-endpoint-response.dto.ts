import type { OutboundWebhookEndpointEntity } from '../webhook-endpoint.entity';

export class WebhookEndpointResponseDto {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  enabled: boolean;
  // the first characters only, to tell secrets apart after a rotation
  secretPrefix: string;
  // while set and in the future, deliveries carry a second signature made with the previous secret
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;

  static from(e: OutboundWebhookEndpointEntity): WebhookEndpointResponseDto {
    const graceActive =
      e.previousSecret && e.previousSecretExpiresAt && e.previousSecretExpiresAt.getTime() > Date.now();
    return {
      id: e.id,
      url: e.url,
      description: e.description,
      eventTypes: e.eventTypes,
      enabled: e.enabled,
      secretPrefix: e.secret.slice(0, 10),
      previousSecretExpiresAt: graceActive ? e.previousSecretExpiresAt!.toISOString() : null,
      createdAt: e.createdAt.toISOString(),
      updatedAt: e.updatedAt.toISOString(),
    };
  }
}

export class WebhookEndpointWithSecretResponseDto extends WebhookEndpointResponseDto {
  // shown once (on creation and rotation): store it in the receiving system to verify signatures
  secret: string;
}
