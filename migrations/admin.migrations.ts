import { CreateRefunds1763900300000 } from './1763900300000-CreateRefunds';
import { AddAdminSearchIndexes1763900301000 } from './1763900301000-AddAdminSearchIndexes';

// Migrations of the admin module, in timestamp order; collected by migrations/index.ts.
export const ADMIN_MIGRATIONS: Function[] = [CreateRefunds1763900300000, AddAdminSearchIndexes1763900301000];
