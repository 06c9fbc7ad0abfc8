/**
 * What a provider declares about itself: pure data, no I/O, so the workflow bundle can read it (the registry of
 * manifests is imported by the contract and the workflows; the adapter and simulator live in the plug-in, plugin.ts).
 * Everything the core needs to know about a provider is here: the core asks what it can do, never who it is.
 */
import type { RetrySpec } from '../contract/policies';
import type { ReasonCode } from '../contract/providers';

/** Which provider statuses still allow a cancel, and which mean "already cancelled" (compared case-insensitively). */
export interface EligibilityRules {
  cancellable: string[];
  cancelled: string[];
}

/**
 * Batch cancel: many ids in one call. A provider with it gets batch children in a bulk (the `cancelFincartBatch`
 * workflow type, a contract name kept from its first user); the others get one cancelOrder child per order.
 */
export interface BatchCancelCapability {
  /** Most ids the adapter sends in one call (also the bulk's default batch size). */
  maxIdsPerCall: number;
  /**
   * Whether a refusal says which ids failed. False: the answer is all-or-nothing, so a refused batch is split in
   * halves (bisection) until the refused ids stand alone.
   */
  reportsFailedIds: boolean;
}

/**
 * Asynchronous cancel: the cancel call answers with a job, and the order is cancelled once the job is done. Declared
 * for the sixth provider; no workflow branches on it yet.
 */
export interface AsyncCancelCapability {
  /** How long to wait between two polls of the job (ms). */
  pollIntervalMs: number;
  /** How long the job may take before the cancel counts as failed (ms). */
  maxWaitMs: number;
}

/** What a provider can do; the workflows, the bulk and the worker branch on these, never on the provider's id. */
export interface ProviderCapabilities {
  /**
   * The provider documents an order lookup: eligibility calls it (a regular activity on the provider's queue, rate
   * capped). Without it the caller's snapshot is judged in the worker (a local activity; no provider call).
   */
  lookup: boolean;
  /**
   * An order can be read back after the fact by a call other than the lookup (e.g. an order-logs endpoint): the evidence that
   * settles a cancel whose answer was lost (the adapter's `readBack`). With `lookup`, the lookup serves; with neither,
   * a lost answer waits for an operator's confirm.
   */
  readBack?: boolean;
  batchCancel?: BatchCancelCapability;
  asyncCancel?: AsyncCancelCapability;
  /** Header that carries the step's idempotency key on the cancel call; absent: the provider documents none. */
  idempotencyHeader?: string;
}

/** How a configuration variable is checked when the worker starts (a bad value is a one-line error naming it). */
export type ConfigKind =
  /** An http(s) URL. */
  | 'url'
  /** Any text. */
  | 'text'
  /** One of `values`. */
  | 'enum'
  /** A whole HTTP header line, "Header-Name: value". */
  | 'header';

/** One environment variable of a provider: the worker reads it, the docs table lists it. */
export interface ConfigField {
  /** The variable's name, e.g. `ACME_TOKEN` for provider `acme` (a contract: keep it once published). */
  env: string;
  /** The adapter setting it fills (a key of the settings plugin.createAdapter receives). */
  key: string;
  kind: ConfigKind;
  /** One line for the docs table. */
  description: string;
  /** A credential: never logged, never in workflow input or history, masked in the docs. */
  secret?: boolean;
  /** The provider is enabled only when every required variable is set (the others have a default or are optional). */
  required?: boolean;
  default?: string;
  /** The allowed values of an `enum`. */
  values?: readonly string[];
}

/** How the orchestrator's reason codes reach the provider. */
export interface ReasonMapping {
  /** The provider's code for each of ours (absent: see `note`, e.g. none sent, or looked up at the provider). */
  codes?: Readonly<Record<ReasonCode, string>>;
  /** One line for the docs: what is sent and where the mapping comes from. */
  note: string;
}

/**
 * A name in `src/` outside the provider's folder that carries the provider's name because it is part of the
 * contract (a workflow type, a workflow id). The architecture test allows exactly these, and prints the reason.
 */
export interface ContractName {
  /** The identifier or text as written in the source (matched whole, case-sensitively). */
  name: string;
  reason: string;
}

/** Everything the core knows about one provider. `defineManifest` keeps the id's literal type. */
export interface ProviderManifest<Id extends string = string> {
  /** Lower-case id: the folder name, the `provider` field of every input, the prefix of its env vars (upper-cased). */
  id: Id;
  /** As the provider spells itself (docs, CLI). */
  displayName: string;
  /** One line: what the provider is and which call cancels (docs, CLI help). */
  summary: string;
  capabilities: ProviderCapabilities;
  /** Retry budget of its calls (`<ID>_RETRY_*` override it). */
  retry: RetrySpec;
  /** Calls per second across every worker when `<ID>_MAX_CALLS_PER_SECOND` is unset; absent: no cap. */
  maxCallsPerSecond?: number;
  /** Its environment variables (base URL, credentials, options). */
  config: readonly ConfigField[];
  /** Status → eligibility (`<ID>_CANCELLABLE_STATUSES` overrides `cancellable`). */
  eligibility: EligibilityRules;
  reasons: ReasonMapping;
  /** Names outside its folder that carry its name because they are contract (see ContractName). */
  contractNames?: readonly ContractName[];
}

/** Identity function that keeps the literal type of `id` (so ProviderId stays a union of literals). */
export function defineManifest<const Id extends string>(m: ProviderManifest<Id>): ProviderManifest<Id> {
  return m;
}

/** The prefix of a provider's own environment variables (`ACME` for `acme`). */
export function envPrefix(id: string): string {
  return id.toUpperCase();
}

/** The usual retry budget of a provider call (5 attempts from 1 s, doubling, at most 30 s apart). */
export const STANDARD_RETRY: RetrySpec = {
  maximumAttempts: 5,
  initialIntervalMs: 1000,
  maximumIntervalMs: 30_000,
  backoffCoefficient: 2,
};
