import type { Worker, WorkerOptions } from '@temporalio/worker';
import { CancellationClient } from '../../src/client/cancellation-client';
import type { CancelOrderResult, CancelStatus } from '../../src/contract';
import { judgeStatus } from '../../src/providers/eligibility';
import type { FixtureOrder, ProviderPlugin } from '../../src/providers/plugin';
import { pluginOf } from '../../src/providers/plugins';
import type { ProviderId } from '../../src/providers/registry';
import type { SimServer } from '../../src/sandbox/sim-server';
import type { MerchantReceiverSim } from '../../src/sandbox/merchant';
import { useTestStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';
import { badCredentials, providerSecrets, type WorkerLog } from './secrets';

/** What every cancel of the kit asks for (the fixture's cancelRequest is written for it). */
export const KIT_REASON = { code: 'customer_request' } as const;

/** The merchant events of an order that ended CANCELLED (refund only when the order is known to be paid). */
export function cancelledEvents(paid: boolean, extra: string[] = []): string[] {
  return [
    'cancellation.hold_requested',
    ...extra,
    ...(paid ? ['cancellation.refund_requested'] : []),
    'cancellation.restock_requested',
    'cancellation.completed',
  ];
}

/** A seeded order of one test: its fresh id, the cancel input the kit starts, whether the merchant must refund it. */
export interface SeededOrder {
  id: string;
  input: { provider: ProviderId; orderId: string; reason: typeof KIT_REASON; snapshot?: FixtureOrder['snapshot'] };
  paid: boolean;
}

/** A worker on a fresh task queue, with a client for it. */
export interface KitWorker {
  worker: Worker;
  taskQueue: string;
  client: CancellationClient;
}

/**
 * One provider's side of the kit: its plug-in, its own simulator in this file's sandbox, fresh order ids, and the
 * workflows each test started (the secrets check reads their histories).
 */
export class ProviderHarness {
  readonly plugin: ProviderPlugin;
  readonly stack: TestStack;
  /** Workflow ids started by the running test (cleared before each test). */
  readonly started: string[] = [];
  /** Secrets beyond the provider's own that the running test used (e.g. refused credentials). */
  readonly extraSecrets: string[] = [];
  /** Per order (the simulator's key): how many times the provider turned it cancelled. */
  private readonly flips = new Map<string, number>();
  /** The key the simulator filed each seeded id under (one may normalise ids, e.g. a global id to its number). */
  private readonly keys = new Map<string, string>();
  private seq = 0;
  /** Digits unique to this process, so reruns on a long-lived server (npm run test:engine) never reuse an id. */
  private readonly run = String(Date.now()).slice(-6);

  constructor(
    readonly provider: ProviderId,
    readonly log: WorkerLog,
  ) {
    this.plugin = pluginOf(provider);
    this.stack = useTestStack();
    beforeAll(() => this.watchOrders());
    beforeEach(() => {
      this.stack.sandbox.reset();
      this.started.length = 0;
      this.extraSecrets.length = 0;
      this.flips.clear();
      this.keys.clear();
    });
  }

  get sim(): SimServer {
    return this.stack.sandbox.sims[this.provider];
  }

  get merchant(): MerchantReceiverSim {
    return this.stack.sandbox.merchant;
  }

  get route(): string {
    return this.plugin.conformance.cancelRoute ?? 'cancel';
  }

  get fixture() {
    return this.plugin.conformance;
  }

  /** The provider can read an order back after a lost answer (its lookup, or a read-back call). */
  get canReadBack(): boolean {
    const caps = this.plugin.manifest.capabilities;
    return caps.lookup || caps.readBack === true;
  }

  /** Every secret a history or log must not contain: the provider's own, and the test's extra ones. */
  get secrets(): string[] {
    return [...providerSecrets(this.plugin), ...this.extraSecrets];
  }

  /** Settings the simulator refuses as bad credentials (their values count as secrets for this test). */
  badCredentials(): Record<string, string> {
    const bad = { ...(this.fixture.badCredentials ?? badCredentials(this.plugin)) };
    this.extraSecrets.push(...Object.values(bad));
    return bad;
  }

  /**
   * Seed `template` under a fresh id (the template's id plus digits, so a numeric or global id keeps its form), with
   * its fault (scoped to the new id; `faultTimes` overrides how often it strikes) if any.
   */
  seed(template: FixtureOrder, over: { faultTimes?: number } = {}): SeededOrder {
    this.seq += 1;
    const id = `${template.id}${this.run}${String(this.seq).padStart(3, '0')}`;
    const { snapshot, fault, ...order } = template;
    const before = new Set(this.sim.orders.keys());
    this.sim.seed([{ ...order, id }]);
    const added = [...this.sim.orders.keys()].filter((k) => !before.has(k));
    if (added.length !== 1) throw new Error(`seeding ${id} filed ${added.length} orders in the simulator, not 1`);
    this.keys.set(id, added[0]);
    if (fault) this.sim.injectFault({ ...fault, orderId: id, times: over.faultTimes ?? fault.times });
    const paid = (snapshot?.paid ?? template.paid) === true;
    return { id, input: { provider: this.provider, orderId: id, reason: KIT_REASON, snapshot }, paid };
  }

  /** A worker on a fresh task queue (this file's sandbox, the test stack's fast retries, `env` on top). */
  async worker(env: Record<string, string> = {}, options: Partial<WorkerOptions> = {}): Promise<KitWorker> {
    const { worker, taskQueue } = await this.stack.newWorker(env, undefined, options);
    return { worker, taskQueue, client: new CancellationClient({ client: this.stack.env.client, taskQueue }) };
  }

  /** Start one cancellation (recorded for the secrets check). */
  async start(w: KitWorker, order: SeededOrder) {
    const handle = await w.client.startCancellation(order.input);
    this.started.push(handle.workflowId);
    return handle;
  }

  /** Run one cancellation to its result on a fresh worker. */
  async cancel(order: SeededOrder, env: Record<string, string> = {}): Promise<CancelOrderResult> {
    const w = await this.worker(env);
    return w.worker.runUntil(async () => this.outcome(w, (await this.start(w, order)).workflowId));
  }

  /**
   * The cancellation's result; fails at once, saying what it waits for, when it waits for an operator instead (a
   * scenario that expects an outcome would otherwise only time out).
   */
  async outcome(w: KitWorker, workflowId: string): Promise<CancelOrderResult> {
    const handle = this.stack.env.client.workflow.getHandle(workflowId);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if ((await handle.describe()).status.name !== 'RUNNING') return w.client.result(workflowId);
      const status = await w.client.getStatus(workflowId);
      if (status.state === 'AWAITING_OPERATOR') {
        throw new Error(`${workflowId} awaits an operator instead of ending: ${JSON.stringify(status.awaiting)}`);
      }
      if (Date.now() > deadline) throw new Error(`${workflowId} did not end within 60 s (state ${status.state})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Wait until a cancellation awaits an operator; its status then. */
  awaiting(w: KitWorker, workflowId: string, timeoutMs = 30_000): Promise<CancelStatus> {
    return waitFor(
      async () => {
        const s = await w.client.getStatus(workflowId);
        return s.state === 'AWAITING_OPERATOR' ? s : undefined;
      },
      `${workflowId} to await an operator`,
      timeoutMs,
    );
  }

  /** How many times the provider turned the order cancelled (1: cancelled exactly once, whatever the repeats). */
  cancellationsAtProvider(id: string): number {
    return this.flips.get(this.keyOf(id)) ?? 0;
  }

  private keyOf(id: string): string {
    return this.keys.get(id) ?? id;
  }

  /**
   * Count each order's turns into a cancelled status, however the simulator makes them: a new object filed under the
   * order's key, or the `status` of the filed object set in place (each filed object gets a counting `status`).
   */
  private watchOrders(): void {
    const { orders } = this.sim;
    const isCancelled = (status: string | undefined) =>
      status !== undefined && judgeStatus(this.plugin.manifest.eligibility, status) === 'ALREADY_CANCELLED';
    const flip = (key: string) => this.flips.set(key, (this.flips.get(key) ?? 0) + 1);
    const set = orders.set.bind(orders);
    orders.set = (key, order) => {
      const before = orders.get(key);
      if (before && !isCancelled(before.status) && isCancelled(order.status)) flip(key);
      let status = order.status;
      const counted = { ...order };
      Object.defineProperty(counted, 'status', {
        enumerable: true,
        get: () => status,
        set: (next: string) => {
          if (!isCancelled(status) && isCancelled(next)) flip(key);
          status = next;
        },
      });
      return set(key, counted);
    };
  }

  /** The order's status in the simulator's book. */
  statusOf(id: string): string | undefined {
    return this.sim.orders.get(this.keyOf(id))?.status;
  }

  /** The simulator holds the order cancelled (judged by the provider's own rules). */
  cancelledAtProvider(id: string): boolean {
    const status = this.sim.orders.get(this.keyOf(id))?.status;
    return status !== undefined && judgeStatus(this.plugin.manifest.eligibility, status) === 'ALREADY_CANCELLED';
  }
}
