import { CreateRetentionJobs1763901401000 } from './1763901401000-CreateRetentionJobs';

// Migrations of the retention module, in timestamp order; collected by migrations/index.ts.
export const RETENTION_MIGRATIONS: Function[] = [CreateRetentionJobs1763901401000];
