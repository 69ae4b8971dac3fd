import { PostLinkCallbackEntity } from './post-link-callback.entity';

// Entities of this module, collected by src/database/entities.ts (app and migration CLI).
export const WEBHOOKS_ENTITIES: Function[] = [PostLinkCallbackEntity];
