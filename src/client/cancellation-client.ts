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

export { InvalidInputError, RefusedError };

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
}

/** Per-call options of `startCancellation`. */
export interface StartCancellationOptions {
  /**
   * Overrides INTERACTIVE_PRIORITY ({ priorityKey: 2 }) field by field: priorityKey 1 (first) .. 5 (last),
   * fairnessKey (at most 64 bytes), fairnessWeight. Applies when this call starts the workflow, not when it attaches.
   */
  priority?: Priority;
}

export interface ListFilter {
  state?: string;
  provider?: string;
  bulkId?: string;
  limit?: number;
}

export interface ListedCancellation {
  workflowId: string;
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

  /** Validate, then start `cancelOrder`; a second start for the same order attaches to the running one. */
  async startCancellation(
    raw: unknown,
    opts: StartCancellationOptions = {},
  ): Promise<WorkflowHandleWithFirstExecutionRunId<CancelOrderWorkflow>> {
    const input = this.validate(raw);
    const priority = withPriorityOverride(INTERACTIVE_PRIORITY, opts.priority);
    // By name: importing the workflow as a value would load all workflow code into every client.
    return this.opts.client.workflow.start<CancelOrderWorkflow>(
      WORKFLOW_TYPES.cancelOrder,
      this.startOptions(input, priority),
    );
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
    return { workflowId, ...answer.data };
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
