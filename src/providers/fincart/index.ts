import type { Dispatcher } from 'undici';
import { send } from '../http';
import { setting, type ProviderPlugin } from '../plugin';
import type { CallOptions, CancelReason, CancelResult, OrderLookup, ProviderAdapter } from '../types';
import { classifyCancel } from './classify';
import { buildLogsRequest, classifyLogs } from './logs';
import { demo } from './demo';
import { manifest } from './manifest';
import { buildCancelRequest, checkBatch } from './request';
import { FincartSim } from './simulator';

/** Worker-side configuration of the Fincart adapter (the token never leaves the worker). */
export interface FincartConfig {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  /** Most ids per bulk call (default: the manifest's maxIdsPerCall; Fincart documents no limit). */
  maxBatchSize?: number;
}

const P = manifest.id;
const DEFAULT_MAX_BATCH = manifest.capabilities.batchCancel?.maxIdsPerCall ?? 1;

/**
 * Fincart adapter: bulk cancel (`cancel` is a batch of one). No get-order endpoint is documented, so eligibility has
 * no lookup; the order logs serve as read-back evidence when a cancel's answer was lost.
 */
export function createFincartAdapter(
  cfg: FincartConfig,
): ProviderAdapter & { cancelMany: NonNullable<ProviderAdapter['cancelMany']> } {
  const max = cfg.maxBatchSize ?? DEFAULT_MAX_BATCH;

  // Fincart takes no reason and documents no idempotency key, so neither is sent.
  async function cancelMany(orderIds: string[], _reason: CancelReason, opts?: CallOptions): Promise<CancelResult[]> {
    const ids = checkBatch(P, orderIds, max);
    const req = buildCancelRequest(cfg.baseUrl, cfg.token, ids);
    const res = await send(P, req, { timeoutMs: cfg.timeoutMs, dispatcher: cfg.dispatcher, signal: opts?.signal });
    return classifyCancel(res, ids, cfg.token);
  }

  async function cancel(orderId: string, reason: CancelReason, opts?: CallOptions): Promise<CancelResult> {
    const [result] = await cancelMany([orderId], reason, opts);
    return result;
  }

  async function readBack(orderId: string, opts?: CallOptions): Promise<OrderLookup> {
    const res = await send(P, buildLogsRequest(cfg.baseUrl, cfg.token, orderId), {
      timeoutMs: cfg.timeoutMs,
      dispatcher: cfg.dispatcher,
      signal: opts?.signal,
    });
    return classifyLogs(res, orderId, cfg.token);
  }

  return { id: P, cancel, cancelMany, readBack };
}

/** Sandbox credentials (not secrets: they open only the local simulator). */
const SANDBOX_TOKEN = 'sandbox-fincart-token-81ad';

/** Fincart as a plug-in: manifest, adapter from its settings, simulator, demo orders, conformance fixture. */
export const plugin: ProviderPlugin = {
  manifest,
  createAdapter: (s, common) =>
    createFincartAdapter({ baseUrl: setting(s, 'baseUrl', P), token: setting(s, 'token', P), ...common }),
  simulator: {
    create: () => new FincartSim({ token: SANDBOX_TOKEN }),
    credentials: { FINCART_TOKEN: SANDBOX_TOKEN },
    env: (url) => ({ FINCART_BASE_URL: url }),
  },
  demo,
  conformance: {
    orders: {
      eligible: { id: 'conf-fincart-eligible', status: 'pending', snapshot: { status: 'pending' } },
      alreadyCancelled: { id: 'conf-fincart-cancelled', status: 'cancelled', snapshot: { status: 'cancelled' } },
      notEligible: { id: 'conf-fincart-shipped', status: 'shipped', snapshot: { status: 'shipped' } },
      // The caller's snapshot says pending; Fincart knows better and refuses the (all-or-nothing) batch.
      refused: { id: 'conf-fincart-refused', status: 'processing', snapshot: { status: 'pending' } },
    },
    cancelRequest: (orderId) => ({
      method: 'POST',
      path: '/v4/orders/cancel',
      headers: { authorization: SANDBOX_TOKEN, 'content-type': 'application/json' },
      body: { filters: { ids: [orderId] } },
    }),
  },
};
