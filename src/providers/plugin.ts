/**
 * The worker-side half of a provider: `src/providers/<id>/index.ts` exports `plugin: ProviderPlugin`. It may use
 * undici and Node built-ins (the workflows never import it; they read the manifest only). The plug-in is found by
 * the folder named after the manifest's id (plugins.ts), so the registry stays one line per provider.
 */
import type { Fault, SimOrder, SimServer } from '../sandbox/sim-server';
import type { ProviderManifest } from './manifest';
import { ProviderConfigError } from '../contract/errors';
import type { ProviderAdapter } from './types';

/**
 * The provider's settings as the worker parsed them: one entry per `manifest.config` field, by its `key` (a field
 * without a value or default is absent). Values are checked text (`enum` values are among `values`).
 */
export type ProviderSettings = Readonly<Record<string, string | undefined>>;

/** What every adapter gets besides its own settings. */
export interface CommonAdapterOptions {
  /** Per-request timeout (PROVIDER_TIMEOUT_MS). */
  timeoutMs: number;
}

/** The provider's simulator (real HTTP, fault injection), for `npm start`, `npm run sandbox` and the tests. */
export interface ProviderSimulator {
  /** A new simulator that accepts `credentials`. */
  create(): SimServer;
  /** The sandbox credentials by variable name (not secrets: they open only the local simulator). */
  credentials: Readonly<Record<string, string>>;
  /** The variables (its base URL) that point a worker at the simulator listening at `url`. */
  env(url: string): Record<string, string>;
}

/** One order `npm start` seeds, and what the printed hint says about it. */
export interface DemoOrder extends SimOrder {
  /** What `start --wait` ends with, for the printed hint; absent: seeded, not printed. */
  expect?: string;
  reason?: string;
  /** Extra flags for the printed command (e.g. `--snapshot-status pending` for a provider without lookup). */
  extra?: string;
  /** Print the line without --wait (it would wait for an operator). */
  noWait?: boolean;
}

/** A provider's part of the `npm start` demo. */
export interface ProviderDemo {
  orders: readonly DemoOrder[];
  /** Faults injected after seeding; `retryAttempts` is the provider's retry budget in the sandbox. */
  faults?(retryAttempts: number): Fault[];
  /** More ready-to-paste lines (a bulk file of examples/, status and retry of a demo order). */
  lines?: readonly string[];
}

/**
 * One order of a conformance scenario: seeded in the simulator, with the caller's snapshot and a fault if any. The kit
 * seeds it under fresh ids (the fixture's id plus digits), so a fault's `orderId` is rewritten to the seeded id.
 */
export interface FixtureOrder extends SimOrder {
  /** Sent with the cancel (providers without lookup judge eligibility on it); its `paid` decides the refund. */
  snapshot?: { status: string; paid?: boolean };
  /** Injected before the cancel (e.g. a refusal the simulator would not give for this status by itself). */
  fault?: Fault;
}

/**
 * Input of the conformance kit (test/conformance/kit.ts, docs/providers.md): the orders each standard scenario seeds
 * in the provider's simulator, and the request a cancel must send as the provider's page documents it. Everything
 * else the kit derives from the manifest (capabilities, secrets, eligibility rules) and the simulator.
 */
export interface ConformanceFixture {
  orders: {
    /**
     * Cancellable: the saga ends CANCELLED. `paid` (or `snapshot.paid`) says whether the provider reports it paid,
     * hence whether the merchant is asked to refund. The template of every order the fault scenarios seed.
     */
    eligible: FixtureOrder;
    /** Already cancelled: ALREADY_CANCELLED. */
    alreadyCancelled: FixtureOrder;
    /** In a status that forbids a cancel: NOT_ELIGIBLE. */
    notEligible: FixtureOrder;
    /** Passes eligibility, then the provider refuses the cancel: REJECTED, the hold released. */
    refused: FixtureOrder;
    /**
     * The order of the lost-answer scenario (default: `eligible`): e.g. an asynchronous provider's order whose job
     * finishes on its own, as the provider's background job does when nobody polls it.
     */
    lostAnswer?: FixtureOrder;
  };
  /** The request a cancel of `orderId` (reason `customer_request`, no note) sends to the simulator. */
  cancelRequest(orderId: string): DocumentedRequest;
  /** The simulator's route name of the cancel call, where faults are injected; default `cancel`. */
  cancelRoute?: string;
  /**
   * Settings that the simulator refuses as bad credentials (variable → value); default: every `secret` variable of
   * the manifest with the sandbox value's last four characters changed.
   */
  badCredentials?: Readonly<Record<string, string>>;
}

/** A request as a provider's page documents it; header names lower-case; `body` compared as parsed JSON or text. */
export interface DocumentedRequest {
  method: string;
  /** Path and query after the base URL. */
  path: string;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
}

/** One provider, everything the worker, the sandbox and the tests need. */
export interface ProviderPlugin {
  manifest: ProviderManifest;
  /** The adapter for these settings (called only when every required setting is present). */
  createAdapter(settings: ProviderSettings, common: CommonAdapterOptions): ProviderAdapter;
  simulator: ProviderSimulator;
  demo: ProviderDemo;
  conformance: ConformanceFixture;
}

/** A setting the adapter cannot do without (the worker enables a provider only when its required ones are set). */
export function setting(settings: ProviderSettings, key: string, provider: string): string {
  const value = settings[key];
  if (value === undefined) throw new ProviderConfigError(`${provider}: ${key} is not set`, { provider });
  return value;
}
