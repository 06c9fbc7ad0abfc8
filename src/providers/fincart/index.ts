import type { Dispatcher } from 'undici';
import { send } from '../http';
import type { CallOptions, CancelReason, CancelResult, OrderLookup, ProviderAdapter } from '../types';
import { classifyCancel } from './classify';
import { buildLogsRequest, classifyLogs } from './logs';
import { buildCancelRequest, checkBatch, DEFAULT_MAX_BATCH } from './request';

/** Worker-side configuration of the Fincart adapter (the token never leaves the worker). */
export interface FincartConfig {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  /** Most ids per bulk call (default 100; Fincart documents no limit). */
  maxBatchSize?: number;
}

const P = 'fincart';

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
