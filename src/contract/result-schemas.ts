import { z } from 'zod';
import type { BulkProgress, BulkResult } from './bulk-model';
import type { AddOrdersArgs } from './bulk-messages';
import { providerSchema, snapshotObjectSchema } from './input';
import type { ConfirmArgs } from './evidence';
import type { AbortArgs, RetryArgs } from './messages';
import { OUTCOMES, STATES, VERDICTS, type AcceptedAnswer, type CancelOrderResult, type CancelStatus } from './model';
import { STEP_NAMES } from './steps';

// zod schemas of what the workflows answer and of the messages' arguments (the TS types stay interfaces): the
// source of the published JSON Schema (schema/, `npm run schema`). The checks at the bottom fail `npm run lint`
// when a schema and its interface drift apart.

const outcome = z.enum(OUTCOMES);
const state = z.enum([...STATES, ...OUTCOMES]);
const stepName = z.enum(STEP_NAMES);
const stepError = z.object({ type: z.string(), message: z.string() });
const isoTime = z.string().describe('ISO-8601 time');
const providerCancelled = z
  .union([z.boolean(), z.literal('unknown')])
  .describe("whether the order is cancelled at the provider; 'unknown' when it ended before anyone could tell");

const stepRecord = z.object({
  name: stepName,
  status: z.enum(['running', 'done', 'skipped', 'failed', 'compensated']),
  attempts: z.number().int().min(0).describe('activity attempts used so far (all runs of the step added up)'),
  lastError: stepError.optional(),
  note: z.string().optional(),
  startedAt: isoTime,
  endedAt: isoTime.optional(),
});

/** Answer of the `status` query. */
export const cancelStatusSchema = z.object({
  workflowId: z.string(),
  provider: providerSchema,
  orderId: z.string(),
  state,
  outcome: outcome.optional(),
  steps: z.array(stepRecord),
  timeline: z.array(z.object({ at: isoTime, state, message: z.string() })),
  awaiting: z
    .object({
      step: stepName,
      since: isoTime,
      error: stepError.optional(),
      abortAllowed: z.boolean(),
      providerState: z.enum(['cancelled', 'not_cancelled', 'unknown']).optional(),
      unknownOrderIds: z.array(z.string()).optional().describe('orders whose provider state an operator must confirm'),
      actions: z.array(z.enum(['retry', 'abort', 'confirmCancelled', 'confirmNotCancelled'])).optional(),
    })
    .optional()
    .describe('set while AWAITING_OPERATOR'),
  providerCancelled,
  providerJob: z
    .object({ id: z.string(), since: isoTime, state: z.enum(['pending', 'done', 'failed']) })
    .optional()
    .describe("an asynchronous cancel's job at the provider: the order is cancelled when it is done"),
});

/** Result of a completed cancelOrder (business outcomes never fail the workflow). */
export const cancelOrderResultSchema = z.object({
  outcome,
  provider: providerSchema,
  orderId: z.string(),
  attempts: z.number().int().min(0).describe('provider cancel attempts (activity attempts at the pivot)'),
  steps: z.array(stepRecord),
  providerCancelled,
  message: z.string().describe('why it ended this way, in one line'),
  error: stepError.optional(),
  bulkId: z.string().optional(),
});

/** Answer of the `waitAccepted` update (the early answer). */
export const acceptedAnswerSchema = z.object({
  verdict: z.enum(VERDICTS),
  accepted: z.boolean().describe("verdict === 'ACCEPTED': the saga goes on to the provider's cancel"),
  state: state.describe('the state when the answer was given'),
  message: z.string().describe('why, in one line'),
  runId: z.string().describe('the run that answered (the one started, or the running one a request attached to)'),
});

/** Argument of the `abort` signal and the `abortCancellation` update. */
export const abortArgsSchema = z.object({ reason: z.string(), by: z.string().optional() });
/** Argument of the `retry` signal and the `retryCancellation` update. */
export const retryArgsSchema = z.object({ by: z.string().optional() });
/** Argument of the `confirmCancelled` / `confirmNotCancelled` signals and their updates. */
export const confirmArgsSchema = z.object({
  by: z.string().optional(),
  note: z.string().optional(),
  orderIds: z
    .array(z.string())
    .optional()
    .describe('a batch: the orders checked (default: all whose state is unknown)'),
});

const bulkOutcome = z.enum([...OUTCOMES, 'NOT_STARTED', 'ALREADY_RUNNING']);
const byOutcome = z.partialRecord(bulkOutcome, z.number().int().min(0));

/** Answer of the bulk's `progress` query. */
export const bulkProgressSchema = z.object({
  bulkId: z.string(),
  provider: providerSchema,
  state: z.enum(['RUNNING', 'ABORTING', 'DONE', 'ABORTED']),
  total: z.number().int(),
  received: z.number().int(),
  done: z.number().int(),
  byOutcome,
  inFlight: z.number().int(),
  inFlightChildren: z.number().int(),
  awaitingOperator: z.number().int(),
  awaitingOperatorOrders: z.number().int().optional(),
  run: z.number().int(),
  historyLength: z.number().int(),
});

/** Result of a bulkCancelOrders. */
export const bulkResultSchema = z.object({
  bulkId: z.string(),
  provider: providerSchema,
  state: z.enum(['DONE', 'ABORTED']),
  total: z.number().int(),
  byOutcome,
  cancelled: z.number().int(),
  notCancelled: z.array(z.object({ orderId: z.string(), outcome: bulkOutcome, reason: z.string() })),
  notCancelledOmitted: z.number().int(),
  howToList: z.string(),
  duplicatesRemoved: z.number().int(),
  runs: z.number().int(),
  runHistoryLengths: z.array(z.number().int()),
  maxHistoryLength: z.number().int(),
  abort: abortArgsSchema.optional(),
});

/** Argument of the bulk's `addOrders` update (chunked mode). */
export const addOrdersArgsSchema = z.object({
  seq: z.number().int().min(0),
  orders: z.array(z.object({ orderId: z.string(), snapshot: snapshotObjectSchema.optional() })),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const drift: [
  Same<z.infer<typeof cancelStatusSchema>, CancelStatus>,
  Same<z.infer<typeof cancelOrderResultSchema>, CancelOrderResult>,
  Same<z.infer<typeof abortArgsSchema>, AbortArgs>,
  Same<z.infer<typeof retryArgsSchema>, RetryArgs>,
  Same<z.infer<typeof confirmArgsSchema>, ConfirmArgs>,
  Same<z.infer<typeof bulkProgressSchema>, BulkProgress>,
  Same<z.infer<typeof bulkResultSchema>, BulkResult>,
  Same<z.infer<typeof addOrdersArgsSchema>, AddOrdersArgs>,
  Same<z.infer<typeof acceptedAnswerSchema>, AcceptedAnswer>,
] = [true, true, true, true, true, true, true, true, true];
void drift;
