import type { DataSource } from 'typeorm';

// pg answers UPDATE ... RETURNING through TypeORM as [rows, count]; SELECTs as rows
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

export interface Claim {
  // the lease this replica stamped: a fencing token for its reschedule (null if not claimed here)
  lease: Date | null;
  // the claim ran out before the work started: another replica may own the row now
  expired: boolean;
}

// The claim/lease mechanics every reconciliation queue shares, for a table with next_check_at and
// lease_until. One statement claims: the SKIP LOCKED sub-select takes at most `limit` due rows no
// other replica is claiming and the UPDATE stamps the lease before the row locks are released (a
// locking read without LIMIT once locked every pending row). Times come from the database clock,
// truncated to milliseconds so the lease round-trips exactly through JS as a fencing token.
export class LeasedClaims {
  private readonly leases = new Map<string, Date>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly table: string,
    // an extra filter on status for small tables; large ones rely on next_check_at alone (the partial
    // index walked in order, no sort)
    private readonly statuses?: readonly string[],
  ) {}

  async claim(limit: number, leaseMs: number): Promise<string[]> {
    const result = await this.dataSource.query(
      `UPDATE ${this.table} SET lease_until = date_trunc('milliseconds', now()) + $2 * interval '1 millisecond'
        WHERE id IN (
          SELECT id FROM ${this.table}
           WHERE next_check_at <= now()
             AND (lease_until IS NULL OR lease_until <= now())
             ${this.statuses ? 'AND status = ANY($3::text[])' : ''}
           ORDER BY next_check_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING id, lease_until`,
      this.statuses ? [limit, leaseMs, this.statuses] : [limit, leaseMs],
    );
    const rows = rowsOf<{ id: string; lease_until: Date }>(result);
    for (const row of rows) this.leases.set(row.id, new Date(row.lease_until));
    return rows.map((r) => r.id);
  }

  // Hands the claim on a row to its reconcile() call (once).
  take(id: string): Claim {
    const lease = this.leases.get(id) ?? null;
    this.leases.delete(id);
    return { lease, expired: lease !== null && lease.getTime() <= Date.now() };
  }

  // SQL that keeps an UPDATE to rows still carrying our lease ($n is the lease parameter).
  fence(lease: Date | null, param: number): string {
    return lease ? ` AND lease_until = $${param}` : '';
  }

  async release(id: string, lease: Date | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.table} SET lease_until = NULL WHERE id = $1${this.fence(lease, 2)}`,
      lease ? [id, lease] : [id],
    );
  }

  // Nothing left to learn about this row (it settled since it was claimed): stop scheduling it.
  async retire(id: string, lease: Date | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.table} SET lease_until = NULL, next_check_at = NULL WHERE id = $1${this.fence(lease, 2)}`,
      lease ? [id, lease] : [id],
    );
  }

  async oldestDueLagSeconds(): Promise<number> {
    const rows = rowsOf<{ lag: number | string | null }>(
      await this.dataSource.query(
        `SELECT EXTRACT(EPOCH FROM now() - min(next_check_at))::float8 AS lag FROM ${this.table}
          WHERE next_check_at <= now()${this.statuses ? ' AND status = ANY($1::text[])' : ''}`,
        this.statuses ? [this.statuses] : [],
      ),
    );
    const lag = Number(rows[0]?.lag ?? 0);
    return Number.isFinite(lag) && lag > 0 ? lag : 0;
  }
}
