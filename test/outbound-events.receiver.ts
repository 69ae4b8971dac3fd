import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A company system receiving our events, for the outbound-events specs. It checks signatures with its own
// code, written from docs/webhooks-receiving.md only (node:crypto directly, nothing imported from src/).

export interface Reception {
  path: string;
  id: string;
  type: string;
  raw: string;
  body: { id: string; type: string; created: string; data: Record<string, unknown> & { id?: string; step?: string } };
  headers: IncomingHttpHeaders;
  // the registered secrets of this path that produced one of the v1 signatures, timestamp fresh
  verifiedWith: string[];
  status: number;
  at: number;
}

export interface Reply {
  status: number;
  body?: string;
  delayMs?: number;
}

export function verifyIndependently(
  secret: string,
  headers: IncomingHttpHeaders,
  raw: string,
  nowMs = Date.now(),
): boolean {
  const timestamp = String(headers['epay-webhook-timestamp'] ?? '');
  const header = String(headers['epay-webhook-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(
    createHmac('sha256', secret).update(`${timestamp}.${raw}`, 'utf8').digest('hex'),
    'utf8',
  );
  return header
    .split(' ')
    .filter((p) => p.startsWith('v1='))
    .map((p) => Buffer.from(p.slice(3), 'utf8'))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

export class WebhookReceiver {
  readonly receptions: Reception[] = [];
  // path → secrets to try
  readonly secrets = new Map<string, string[]>();
  reply: (r: Reception) => Reply = () => ({ status: 200, body: 'ok' });
  private server?: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = this.port): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        let body: Reception['body'];
        try {
          body = JSON.parse(raw);
        } catch {
          body = { id: '', type: '', created: '', data: {} };
        }
        const reception: Reception = {
          path,
          id: String(req.headers['epay-webhook-id'] ?? ''),
          type: body.type,
          raw,
          body,
          headers: req.headers,
          verifiedWith: (this.secrets.get(path) ?? []).filter((s) => verifyIndependently(s, req.headers, raw)),
          status: 0,
          at: Date.now(),
        };
        const reply = this.reply(reception);
        reception.status = reply.status;
        this.receptions.push(reception);
        const send = () => {
          res.statusCode = reply.status;
          res.end(reply.body ?? '');
        };
        if (!reply.delayMs) return send();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          send();
        }, reply.delayMs);
        this.timers.add(timer);
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  accepted(path?: string): Reception[] {
    return this.receptions.filter((r) => r.status >= 200 && r.status < 300 && (!path || r.path === path));
  }

  // receptions per event id among the accepted ones
  acceptedCounts(path?: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.accepted(path)) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    return counts;
  }
}
