import { HttpService } from '@nestjs/axios';
import { Injectable, Logger } from '@nestjs/common';
import { AxiosError, AxiosResponse } from 'axios';
import { firstValueFrom } from 'rxjs';
import { redactString } from '../common/logging/redact.util';
import { AppConfigService } from '../config/app-config.service';
import { MetricsService } from '../metrics/metrics.service';
import { GatewayException, GatewayFailure } from './gateway.exception';
import { GatewayExchangeRecorder } from './gateway-exchange.recorder';
import { isObject } from './utils/epay-parse.util';

export interface ExchangeLink {
  paymentId?: string;
  transferId?: string;
}

export interface GatewayRequest {
  operation: string;
  method: 'GET' | 'POST';
  url: string;
  bearer?: string;
  form?: Record<string, string>;
  json?: unknown;
  // only idempotent reads (status, public key, token) may be retried; money-moving calls never are
  retry?: boolean;
  // 'operation': charge/cancel/refund, whose success body is undocumented (API.md §6): empty or JSON,
  // a JSON `code` other than 0 is a refusal, anything unreadable is ambiguous
  expect: 'json' | 'text' | 'operation';
  link?: ExchangeLink;
  // what to store of the request/response; defaults to the (redacted) bodies
  recordRequest?: unknown;
  recordResponse?: (data: unknown) => unknown;
}

export interface GatewayResponse<T = unknown> {
  status: number;
  data: T;
  latencyMs: number;
}

const RETRY_DELAYS_MS = [150, 500];

// answers about the URL itself, not the payment
const MISCONFIGURED_STATUSES: ReadonlySet<number> = new Set([404, 405, 415]);

// The raw HTTP layer to ePay: timeouts, error classification, retries of idempotent reads,
// exchange records and metrics. It knows nothing about tokens (the Auth module builds on it).
@Injectable()
export class GatewayTransportService {
  private readonly logger = new Logger('EpayGateway');
  private readonly duration;
  private readonly calls;
  private readonly misconfigured;

  constructor(
    private readonly http: HttpService,
    private readonly config: AppConfigService,
    private readonly recorder: GatewayExchangeRecorder,
    metrics: MetricsService,
  ) {
    this.duration = metrics.histogram('epay_request_duration_seconds', 'ePay call latency', ['operation', 'outcome']);
    this.calls = metrics.counter('epay_requests_total', 'ePay calls', ['operation', 'outcome']);
    // alert on any increase: a call went to a URL that is no bank endpoint
    this.misconfigured = metrics.counter(
      'epay_misconfigured_total',
      'ePay calls answered like no bank endpoint would (404/405/415, a 4xx without the bank body)',
      ['operation', 'http_status'],
    );
  }

  async send<T = unknown>(req: GatewayRequest): Promise<GatewayResponse<T>> {
    const attempts = req.retry ? RETRY_DELAYS_MS.length + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(req, attempt);
      } catch (err) {
        const retriable =
          err instanceof GatewayException &&
          (err.failure === 'timeout' || err.failure === 'unavailable' || err.failure === 'malformed');
        if (!retriable || attempt >= attempts) throw err;
        const delay = RETRY_DELAYS_MS[attempt - 1] * (0.75 + Math.random() / 2);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private async once<T>(req: GatewayRequest, attempt: number): Promise<GatewayResponse<T>> {
    const timeout = this.config.get('EPAY_TIMEOUT_MS');
    const started = performance.now();
    const path = safePath(req.url);
    let response: AxiosResponse<string> | undefined;
    let outcome: GatewayFailure | 'ok' = 'ok';
    let parsed: unknown;
    let error: GatewayException | undefined;
    try {
      response = await firstValueFrom(
        this.http.request<string>({
          method: req.method,
          url: req.url,
          headers: {
            Accept: 'application/json, text/plain, */*',
            ...(req.bearer ? { Authorization: `Bearer ${req.bearer}` } : {}),
            ...(req.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
            ...(req.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          data: req.form
            ? new URLSearchParams(req.form).toString()
            : req.json !== undefined
              ? JSON.stringify(req.json)
              : undefined,
          timeout,
          // hard cap in case a server trickles bytes past the socket timeout
          signal: AbortSignal.timeout(timeout + 1000),
          responseType: 'text',
          transformResponse: [(d: string) => d],
          validateStatus: () => true,
          maxRedirects: 0,
        }),
      );
      parsed = this.interpret(req, response);
    } catch (err) {
      error = err instanceof GatewayException ? err : this.classifyTransportError(req.operation, err);
      outcome = error.failure;
    }
    const latencyMs = performance.now() - started;
    if (error && error.failure !== 'timeout' && response) outcome = error.failure;
    this.duration.observe({ operation: req.operation, outcome }, latencyMs / 1000);
    this.calls.inc({ operation: req.operation, outcome });
    await this.recorder.record({
      ...req.link,
      operation: req.operation,
      method: req.method,
      path,
      httpStatus: response?.status,
      outcome,
      latencyMs,
      attempt,
      requestBody: req.recordRequest ?? req.json ?? req.form,
      responseBody: req.recordResponse
        ? req.recordResponse(parsed ?? response?.data)
        : (parsed ?? truncate(response?.data)),
      errorMessage: error?.message,
    });
    if (error) {
      this.logger.warn(
        {
          operation: req.operation,
          path,
          status: response?.status,
          outcome,
          latencyMs: Math.round(latencyMs),
          bankCode: error.bankCode,
        },
        'ePay call failed',
      );
      throw error;
    }
    this.logger.debug(
      { operation: req.operation, path, status: response!.status, latencyMs: Math.round(latencyMs) },
      'ePay call',
    );
    return { status: response!.status, data: parsed as T, latencyMs };
  }

  private interpret(req: GatewayRequest, res: AxiosResponse<string>): unknown {
    const status = res.status;
    const body = typeof res.data === 'string' ? res.data : String(res.data ?? '');
    const json = tryParseJson(body);
    const base = { operation: req.operation, httpStatus: status };
    if (status >= 200 && status < 300) {
      if (req.expect === 'text') return body;
      if (req.expect === 'operation') {
        if (!body.trim()) return {};
        if (json === undefined) {
          throw new GatewayException('malformed', `ePay ${req.operation}: unreadable reply`, {
            ...base,
            body: truncate(body),
          });
        }
        const code = isObject(json) ? Number(json.code ?? 0) : 0;
        if (Number.isFinite(code) && code !== 0) {
          const message = isObject(json) && typeof json.message === 'string' ? json.message.trim() : undefined;
          return this.reject(req.operation, status, code, message, json);
        }
        return json;
      }
      if (json === undefined) {
        throw new GatewayException('malformed', `ePay ${req.operation}: unreadable reply`, {
          ...base,
          body: truncate(body),
        });
      }
      return json;
    }
    if (status === 401 || status === 403) {
      throw new GatewayException('auth', `ePay ${req.operation}: credentials refused`, {
        ...base,
        body: json ?? truncate(body),
      });
    }
    if (status >= 500 || status === 408 || status === 429) {
      throw new GatewayException('unavailable', `ePay ${req.operation}: HTTP ${status}`, {
        ...base,
        body: json ?? truncate(body),
      });
    }
    // 4xx: the bank refused. Its body is {code, message} (API.md §3, §6). On a money-moving call (never
    // retried) a route, method or media type the server does not have, or a 4xx without that body, is
    // not the bank deciding: it is our configuration, and must never read as a decline. (Reads keep
    // their 4xx: a lookup may well answer 404 for what it does not have.)
    const code = isObject(json) ? Number(json.code) : NaN;
    if (!req.retry && (MISCONFIGURED_STATUSES.has(status) || !Number.isFinite(code))) {
      this.misconfigured.inc({ operation: req.operation, http_status: String(status) });
      this.logger.error(
        { operation: req.operation, path: safePath(req.url), status },
        'ePay answered like no bank endpoint would: check EPAY_API_URL, P2P_TRANSFER_PATH and the paths',
      );
      throw new GatewayException('misconfigured', `ePay ${req.operation}: HTTP ${status} (not a bank answer)`, {
        ...base,
        body: json ?? truncate(body),
      });
    }
    const message = isObject(json) && typeof json.message === 'string' ? json.message.trim() : undefined;
    return this.reject(
      req.operation,
      status,
      Number.isFinite(code) ? code : undefined,
      message,
      json ?? truncate(body),
    );
  }

  private reject(
    operation: string,
    httpStatus: number,
    bankCode: number | undefined,
    bankMessage: string | undefined,
    body: unknown,
  ): never {
    throw new GatewayException(
      'rejected',
      `ePay ${operation}: refused${bankCode !== undefined ? ` (code ${bankCode})` : ''}`,
      {
        operation,
        httpStatus,
        bankCode,
        bankMessage,
        body,
      },
    );
  }

  private classifyTransportError(operation: string, err: unknown): GatewayException {
    const e = err as AxiosError & { cause?: { code?: string } };
    const code = e.code ?? e.cause?.code;
    if (
      code === 'ECONNABORTED' ||
      code === 'ETIMEDOUT' ||
      code === 'ERR_CANCELED' ||
      e.name === 'CanceledError' ||
      e.name === 'AbortError'
    ) {
      return new GatewayException('timeout', `ePay ${operation}: no reply in time`, { operation }, { cause: err });
    }
    // refused before anything was sent: the bank cannot have acted
    const notSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
    return new GatewayException(
      'unavailable',
      `ePay ${operation}: ${notSent ? 'unreachable' : 'connection failed'}`,
      { operation },
      { cause: err },
      notSent,
    );
  }
}

function tryParseJson(body: string): unknown {
  if (!body.trim()) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function truncate(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  const text = redactString(body);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return 'invalid-url';
  }
}
