import { newId } from './sandbox-format.util';
import type { SandboxContext } from './sandbox.context';
import type { CaptureMode, FaultSpec, PaymentView, PostLinkOptions, SandboxControl } from './sandbox.types';

const FAULT_TYPES = new Set([
  'timeout',
  'http500',
  'http502',
  'malformed',
  'reset',
  'commit-then-timeout',
  'commit-then-500',
]);

// In-process twin of the /_sandbox HTTP API.
export function createControl(ctx: SandboxContext): SandboxControl {
  const { store } = ctx;
  const view = (invoiceId: string): PaymentView | undefined => {
    const t = store.latestPayment(invoiceId);
    return t && store.paymentView(t);
  };
  return {
    reset() {
      ctx.postLinks.cancelPending();
      store.reset();
    },
    setCaptureMode(mode: CaptureMode) {
      if (mode !== 'CHARGE' && mode !== 'AUTH')
        throw new Error(`captureMode must be CHARGE or AUTH, got ${String(mode)}`);
      store.settings.captureMode = mode;
    },
    setLatency(ms: number) {
      store.settings.latencyMs = Math.max(0, Number(ms) || 0);
    },
    setPostLink(opts: PostLinkOptions) {
      store.settings.postLink = { ...store.settings.postLink, ...definedOnly(opts) };
    },
    addFault(fault: FaultSpec) {
      if (!fault || typeof fault.path !== 'string' || !FAULT_TYPES.has(fault.type)) {
        throw new Error(
          'fault needs a path and a type (timeout, http500, http502, malformed, reset, commit-then-timeout, commit-then-500)',
        );
      }
      return store.addFault(fault);
    },
    clearFaults: () => void store.faults.splice(0),
    listFaults: () => store.faults.map((f) => ({ ...f })),
    getTransaction: view,
    getTransactionById(id: string) {
      const t = store.payments.get(id);
      return t && store.paymentView(t);
    },
    listTransactions: () => [...store.payments.values()].map((t) => store.paymentView(t)),
    getTransfer(orderId: string) {
      const t = store.latestTransfer(orderId);
      return t && store.transferView(t);
    },
    listTransfers: () => [...store.transfers.values()].map((t) => store.transferView(t)),
    getDeliveries: () => store.deliveries.map((d) => structuredClone(d)),
    setStatusOverride(invoiceId: string, resultCode: string | null) {
      if (resultCode === null || resultCode === undefined) store.statusOverrides.delete(invoiceId);
      else store.statusOverrides.set(invoiceId, String(resultCode));
    },
    expireAuth(invoiceId: string) {
      const t = store.latestPayment(invoiceId);
      if (!t || t.statusName !== 'AUTH') throw new Error(`invoice ${invoiceId} has no AUTH transaction`);
      t.statusName = 'CANCEL_OLD';
      t.statusId = newId();
      return store.paymentView(t);
    },
    setPendingStatusChecks(n: number) {
      store.settings.pendingStatusChecks = Math.max(0, Math.floor(Number(n) || 0));
    },
    setDedupeExternalId(on: boolean) {
      store.settings.dedupeExternalId = on !== false;
    },
    requestCount: (route?: string) => store.requestCount(route),
    requestCounts: () => Object.fromEntries(store.requestCounts),
    resendPostLink: (invoiceId: string) => ctx.postLinks.resend(invoiceId),
    deliverOutOfOrder: (invoiceId: string) => ctx.postLinks.deliverOutOfOrder(invoiceId),
    flushPostLinks: () => ctx.postLinks.flush(),
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
