import {
  WithStartWorkflowOperation,
  WorkflowIdConflictPolicy,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandleWithFirstExecutionRunId,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { TypedSearchAttributes, WorkflowNotFoundError } from '@temporalio/common';
import type { ProviderId } from '../providers/types';
import {
  cancelOrderInputSchema,
  cancelWorkflowId,
  describeZodError,
  type CancelOrderInput,
  abortUpdate,
  retryUpdate,
  confirmCancelledUpdate,
  confirmNotCancelledUpdate,
  type ConfirmArgs,
  statusQuery,
  type CancelOrderResult,
  type CancelStatus,
  CancelBulkId,
  CancelOrderId,
  CancelProvider,
  CancelState,
  type CancelOrderWorkflow,
  type State,
  type Verdict,
  waitAcceptedUpdate,
  endedAnswer,
  WORKFLOW_TYPES,
  InvalidInputError,
  RefusedError,
} from '../contract';
import { acceptedAnswerSchema } from '../contract/result-schemas';
import { checkPriority, INTERACTIVE_PRIORITY, type Priority } from '../contract/priority';
import { attachedRun, endedCancelled, latestRun, type AttachedRun, type LatestRun } from './earlier-run';

export { InvalidInputError, RefusedError };
export type { AttachedRun };

/** An earlier run that left the order cancelled: a new start starts nothing (see `again`). */
export interface EarlierCancelled {
  runId: string;
  /** CANCELLED or ALREADY_CANCELLED. */
  outcome: string;
  endedAt?: Date;
}

/** Whether a start started a run, attached to the running one, or found the order cancelled by an earlier run. */
export interface StartReport {
  /** True when this call started a new run. */
  started: boolean;
  /** Set when the order's cancellation was running: this call attached to it (its options apply, not this call's). */
  attachedTo?: AttachedRun;
  /** Set when an earlier run left the order cancelled: nothing was started, the merchant is not told again. */
  alreadyCancelled?: EarlierCancelled;
}

/** What `startCancellation` returns: the workflow's handle and how the start went. */
export type StartedCancellation = WorkflowHandleWithFirstExecutionRunId<CancelOrderWorkflow> & StartReport;

export interface CancellationClientOptions {
  client: Client;
  taskQueue: string;
  /** When given, a cancel for another provider is refused before it starts. */
  enabledProviders?: ProviderId[];
  /**
   * requestCancellation asks for eager workflow start: only for a client on the NativeConnection of a worker polling
   * `taskQueue` in this process (the server then hands the first workflow task straight to that worker).
   */
  eagerStart?: boolean;
}

/** The early answer of requestCancellation (see README, "An early answer"). */
export interface CancellationRequestAnswer {
  /** `verdict === 'ACCEPTED'`: eligible and held; the saga goes on to the provider (the outcome comes later). */
  accepted: boolean;
  verdict: Verdict;
  workflowId: string;
  /** The run that answered (the one started, or the running one it attached to). */
  runId: string;
  state: State;
  message: string;
  /** True when this request started the run (false: attached, or an earlier run had cancelled the order). */
  started: boolean;
  attachedTo?: AttachedRun;
  alreadyCancelled?: EarlierCancelled;
}

/** Per-call options of `startCancellation`. */
export interface StartCancellationOptions {
  /**
   * Overrides INTERACTIVE_PRIORITY ({ priorityKey: 2 }) field by field: priorityKey 1 (first) .. 5 (last),
   * fairnessKey (at most 64 bytes), fairnessWeight. Applies when this call starts the workflow, not when it attaches.
   */
  priority?: Priority;
  /**
   * Start a new run even when the order's latest run ended with it cancelled (CANCELLED or ALREADY_CANCELLED). By
   * default such a start starts nothing and reports `alreadyCancelled`: a new run would tell the merchant again.
   */
  again?: boolean;
}

export interface ListFilter {
  state?: string;
  provider?: string;
  bulkId?: string;
  limit?: number;
}

export interface ListedCancellation {
  workflowId: string;
  /** `cancelOrder`, or a batch provider's batch workflow (`list --bulk`). */
  type: string;
  provider?: string;
  orderId?: string;
  state?: string;
  bulkId?: string;
  status: string;
  startTime: Date;
}

/** Typed client for backend services: start, inspect, steer and list cancellations. */
export class CancellationClient {
  constructor(private readonly opts: CancellationClientOptions) {}

  /**
   * Validate, then start `cancelOrder`. A start for an order whose cancellation is running attaches to it
   * (`started: false`, `attachedTo`: what it was started with and what this call asked differently); one whose latest
   * run left the order cancelled starts nothing (`alreadyCancelled`) unless `again`.
   */
  async startCancellation(raw: unknown, opts: StartCancellationOptions = {}): Promise<StartedCancellation> {
    const input = this.validate(raw);
    const priority = withPriorityOverride(INTERACTIVE_PRIORITY, opts.priority);
    const workflowId = cancelWorkflowId(input.provider, input.orderId);
    const { client } = this.opts;
    const before = await latestRun(client, workflowId);
    if (!opts.again && endedCancelled(before)) {
      const handle = client.workflow.getHandle<CancelOrderWorkflow>(workflowId, before.runId);
      return { ...handle, firstExecutionRunId: before.runId, ...earlierReport(before) };
    }
    // By name: importing the workflow as a value would load all workflow code into every client.
    const handle = await client.workflow.start<CancelOrderWorkflow>(
      WORKFLOW_TYPES.cancelOrder,
      this.startOptions(input, priority),
    );
    return { ...handle, ...(await this.startReport(before, handle.firstExecutionRunId, input, priority)) };
  }

  /** Started, or attached: the run was running before the call and the server answered with that same run. */
  private async startReport(
    before: LatestRun | undefined,
    runId: string,
    input: CancelOrderInput,
    priority: Priority,
  ): Promise<StartReport> {
    if (before?.status !== 'RUNNING' || before.runId !== runId) return { started: true };
    const workflowId = cancelWorkflowId(input.provider, input.orderId);
    return { started: false, attachedTo: await attachedRun(this.opts.client, workflowId, runId, { input, priority }) };
  }

  /**
   * Validate, then start (or attach to) the order's cancellation and wait only for its early answer (update-with-start
   * of `waitAccepted`): accepted once eligible and held, else why not. The outcome comes later (`result`).
   * `eagerStart` (a worker in this process on the same NativeConnection): the server refuses eager start inside
   * update-with-start, so it is an eager start followed by the update.
   */
  async requestCancellation(
    raw: unknown,
    opts: StartCancellationOptions & { eagerStart?: boolean } = {},
  ): Promise<CancellationRequestAnswer> {
    const input = this.validate(raw);
    const priority = withPriorityOverride(INTERACTIVE_PRIORITY, opts.priority);
    const workflowId = cancelWorkflowId(input.provider, input.orderId);
    const eager = opts.eagerStart ?? this.opts.eagerStart ?? false;
    const before = await latestRun(this.opts.client, workflowId);
    if (!opts.again && endedCancelled(before)) {
      const message = `already cancelled by an earlier run (run ${before.runId}, ended ${before.state})`;
      const state = 'ALREADY_CANCELLED' as const;
      return {
        workflowId,
        verdict: state,
        accepted: false,
        state,
        message,
        runId: before.runId,
        ...earlierReport(before),
      };
    }
    const reply = eager
      ? await this.eagerRequest(input, priority)
      : await this.opts.client.workflow.executeUpdateWithStart(waitAcceptedUpdate, {
          startWorkflowOperation: new WithStartWorkflowOperation<CancelOrderWorkflow>(
            WORKFLOW_TYPES.cancelOrder,
            this.startOptions(input, priority),
          ),
        });
    const answer = acceptedAnswerSchema.safeParse(reply);
    if (!answer.success) {
      throw new Error(`unexpected waitAccepted answer from ${workflowId}: ${describeZodError(answer.error)}`);
    }
    return { workflowId, ...answer.data, ...(await this.startReport(before, answer.data.runId, input, priority)) };
  }

  /** Eager start, then the update; a run that ended in between (it can, in-process) answers from its result. */
  private async eagerRequest(input: CancelOrderInput, priority: Priority): Promise<unknown> {
    const handle = await this.opts.client.workflow.start<CancelOrderWorkflow>(WORKFLOW_TYPES.cancelOrder, {
      ...this.startOptions(input, priority),
      requestEagerStart: true,
    });
    try {
      return await handle.executeUpdate(waitAcceptedUpdate);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const { outcome, message } = await handle.result();
      return endedAnswer(outcome, message, handle.firstExecutionRunId);
    }
  }

  /** Start options shared by startCancellation and requestCancellation (ids, conflict policy, summary, attributes). */
  private startOptions(input: CancelOrderInput, priority: Priority) {
    const { provider, orderId, reason } = input;
    return {
      taskQueue: this.opts.taskQueue,
      workflowId: cancelWorkflowId(provider, orderId),
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [input],
      priority,
      staticSummary: `Cancel ${provider} order ${orderId} — ${reason.code}`,
      typedSearchAttributes: new TypedSearchAttributes([
        { key: CancelProvider, value: provider },
        { key: CancelOrderId, value: orderId },
        { key: CancelState, value: 'CHECKING_ELIGIBILITY' },
        ...(input.bulkId ? [{ key: CancelBulkId, value: input.bulkId }] : []),
      ]),
    } satisfies WorkflowStartOptions<CancelOrderWorkflow>;
  }

  validate(raw: unknown): CancelOrderInput {
    const r = cancelOrderInputSchema.safeParse(raw);
    if (!r.success) throw new InvalidInputError(`invalid cancellation: ${describeZodError(r.error)}`);
    const enabled = this.opts.enabledProviders;
    if (enabled && !enabled.includes(r.data.provider)) {
      throw new InvalidInputError(`provider: ${r.data.provider} is not enabled (its credentials are not configured)`);
    }
    return r.data;
  }

  /** State, steps and timeline of one cancellation. */
  async getStatus(workflowId: string): Promise<CancelStatus> {
    return this.opts.client.workflow.getHandle(workflowId).query(statusQuery);
  }

  /** Wait for the outcome. */
  async result(workflowId: string): Promise<CancelOrderResult> {
    return this.opts.client.workflow.getHandle<CancelOrderWorkflow>(workflowId).result();
  }

  /** Abort; refused (RefusedError with the workflow's reason) when nothing can be aborted. */
  async abort(workflowId: string, reason: string, by?: string): Promise<string> {
    const handle = this.opts.client.workflow.getHandle(workflowId);
    return unwrapRefusal(handle.executeUpdate(abortUpdate, { args: [{ reason, by }] }));
  }

  /** Retry the step an operator is awaited for; refused when the cancellation is not waiting. */
  async retry(workflowId: string, by?: string): Promise<string> {
    const handle = this.opts.client.workflow.getHandle(workflowId);
    return unwrapRefusal(handle.executeUpdate(retryUpdate, { args: [{ by }] }));
  }

  /**
   * Confirm what an operator checked at the provider for orders whose provider state is unknown (a lost answer):
   * cancelled (finish as CANCELLED) or not (release the hold, end not cancelled). Refused when nothing waits for it.
   */
  async confirm(workflowId: string, cancelled: boolean, args: ConfirmArgs = {}): Promise<string> {
    const handle = this.opts.client.workflow.getHandle(workflowId);
    return unwrapRefusal(
      handle.executeUpdate(cancelled ? confirmCancelledUpdate : confirmNotCancelledUpdate, { args: [args] }),
    );
  }

  /** Cancellations filtered by the contract's search attributes. */
  async list(filter: ListFilter = {}): Promise<ListedCancellation[]> {
    const out: ListedCancellation[] = [];
    for await (const wf of this.opts.client.workflow.list({ query: listQuery(filter) })) {
      const sa = wf.typedSearchAttributes;
      out.push({
        workflowId: wf.workflowId,
        type: wf.type,
        provider: sa.get(CancelProvider),
        orderId: sa.get(CancelOrderId),
        state: sa.get(CancelState),
        bulkId: sa.get(CancelBulkId),
        status: wf.status.name,
        startTime: wf.startTime,
      });
      if (out.length >= (filter.limit ?? 100)) break;
    }
    return out;
  }
}

/** The report of a start that found the order cancelled by an earlier run. */
function earlierReport(run: LatestRun & { state: string }): StartReport {
  return { started: false, alreadyCancelled: { runId: run.runId, outcome: run.state, endedAt: run.endedAt } };
}

/**
 * `base` with a caller's override applied field by field; a bad override is refused (InvalidInputError naming the
 * field) before anything starts. Single cancels start from INTERACTIVE_PRIORITY, bulks from their bulk default.
 */
export function withPriorityOverride(base: Readonly<Priority>, override: unknown): Priority {
  if (override === undefined) return { ...base };
  const r = checkPriority(override);
  if (!r.ok) throw new InvalidInputError(r.error);
  return { ...base, ...r.value };
}

async function unwrapRefusal<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new RefusedError(err.cause?.message ?? err.message);
    }
    throw err;
  }
}

/** Visibility query for a filter (values quoted so ids with spaces or quotes stay one value). */
export function listQuery(filter: ListFilter): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  // A batch provider's bulk cancels in batch workflows (the orders have none of their own): list those with the bulk's orders.
  const parts = [
    filter.bulkId
      ? `(WorkflowType = "${WORKFLOW_TYPES.cancelOrder}" OR WorkflowType = "${WORKFLOW_TYPES.cancelFincartBatch}")`
      : `WorkflowType = "${WORKFLOW_TYPES.cancelOrder}"`,
  ];
  if (filter.state) parts.push(`CancelState = ${q(filter.state)}`);
  if (filter.provider) parts.push(`CancelProvider = ${q(filter.provider)}`);
  if (filter.bulkId) parts.push(`CancelBulkId = ${q(filter.bulkId)}`);
  return parts.join(' AND ');
}
