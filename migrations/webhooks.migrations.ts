import { CreatePostLinkCallbacks1763900100000 } from './1763900100000-CreatePostLinkCallbacks';
import { PostLinkFloodLimits1763900500000 } from './1763900500000-PostLinkFloodLimits';

// Migrations of the webhooks module, in timestamp order; collected by migrations/index.ts.
export const WEBHOOKS_MIGRATIONS: Function[] = [CreatePostLinkCallbacks1763900100000, PostLinkFloodLimits1763900500000];
