import { z } from 'zod';
import { BULK_PRIORITY_KEY, INTERACTIVE_PRIORITY } from '../../src/contract/priority';
import {
  INLINE_MAX,
  SEARCH_ATTRIBUTES,
  WORKFLOW_TYPES,
  ErrorType,
  abortSignal,
  abortUpdate,
  addOrdersUpdate,
  bulkInputSchema,
  confirmCancelledSignal,
  confirmCancelledUpdate,
  confirmNotCancelledSignal,
  confirmNotCancelledUpdate,
  cancelOrderInputSchema,
  orderIdSchema,
  progressQuery,
  retrySignal,
  retryUpdate,
  snapshotObjectSchema,
  statusQuery,
  waitAcceptedUpdate,
} from '../../src/contract';
import {
  abortArgsSchema,
  acceptedAnswerSchema,
  addOrdersArgsSchema,
  bulkProgressSchema,
  bulkResultSchema,
  cancelOrderResultSchema,
  cancelStatusSchema,
  confirmArgsSchema,
  retryArgsSchema,
} from '../../src/contract/result-schemas';
import {
  merchantBatchAnswerSchema,
  merchantEventBatchSchema,
  merchantEventSchema,
} from '../../src/contract/merchant-schemas';

/** One published JSON Schema file: which zod schema, read as what the caller sends (input) or receives (output). */
interface Doc {
  file: string;
  title: string;
  schema: z.ZodType;
  io: 'input' | 'output';
}

// What a caller may send inline: the workflow re-checks each id itself, the published schema states the rule.
const publicBulkInput = bulkInputSchema
  .omit({ limits: true })
  .extend({
    orderIds: z.array(orderIdSchema).max(INLINE_MAX).optional(),
    orders: z
      .array(z.object({ orderId: orderIdSchema, snapshot: snapshotObjectSchema.optional() }))
      .max(INLINE_MAX)
      .optional(),
  })
  .describe(
    `Give exactly one of orderIds, orders (at most ${INLINE_MAX} inline) or total (chunked mode: the orders follow ` +
      'in addOrders updates). Duplicates are removed; one invalid id refuses the whole input.',
  );

const C = WORKFLOW_TYPES.cancelOrder;
const B = WORKFLOW_TYPES.bulkCancelOrders;
/** Every schema file under schema/, named `<workflow>.<what>.json`. */
export const DOCS: Doc[] = [
  { file: `${C}.input.json`, title: `${C} input`, schema: cancelOrderInputSchema, io: 'input' },
  { file: `${C}.result.json`, title: `${C} result`, schema: cancelOrderResultSchema, io: 'output' },
  { file: `${C}.query.${statusQuery.name}.json`, title: 'status query answer', schema: cancelStatusSchema, io: 'output' },
  { file: `${C}.${abortSignal.name}.args.json`, title: 'abort arguments', schema: abortArgsSchema, io: 'input' },
  { file: `${C}.${retrySignal.name}.args.json`, title: 'retry arguments', schema: retryArgsSchema, io: 'input' },
  { file: `${C}.confirm.args.json`, title: 'confirm arguments', schema: confirmArgsSchema, io: 'input' },
  {
    file: `${C}.update.${waitAcceptedUpdate.name}.json`,
    title: `${waitAcceptedUpdate.name} update answer`,
    schema: acceptedAnswerSchema,
    io: 'output',
  },
  { file: `${B}.input.json`, title: `${B} input`, schema: publicBulkInput, io: 'input' },
  { file: `${B}.result.json`, title: `${B} result`, schema: bulkResultSchema, io: 'output' },
  { file: `${B}.query.${progressQuery.name}.json`, title: 'progress answer', schema: bulkProgressSchema, io: 'output' },
  { file: `${B}.${addOrdersUpdate.name}.args.json`, title: 'addOrders args', schema: addOrdersArgsSchema, io: 'input' },
  // What the merchant's webhook receiver gets (per event or batched) and answers to a batch.
  { file: 'merchant.event.json', title: 'merchant event', schema: merchantEventSchema, io: 'output' },
  { file: 'merchant.batch.json', title: 'merchant batched delivery', schema: merchantEventBatchSchema, io: 'output' },
  {
    file: 'merchant.batch.answer.json',
    title: "merchant's answer to a batch",
    schema: merchantBatchAnswerSchema,
    io: 'input',
  },
];

const file = (schema: z.ZodType) => DOCS.find((d) => d.schema === schema)!.file;
const abortFile = file(abortArgsSchema);
const retryFile = file(retryArgsSchema);
const confirmFile = file(confirmArgsSchema);
const confirmRefused = "no order's provider state is unknown (see status: awaiting.providerState)";

/** schema/contract.json: names, ids, messages (each pointing at its schema file), search attributes, error types. */
export function manifest(): Record<string, unknown> {
  return {
    description:
      'The contract of the order-cancellation orchestrator for callers in any language: start workflows by name ' +
      'on the task queue, send messages by name; payloads are JSON (the default data converter).',
    taskQueue: { default: 'order-cancellation', env: 'TEMPORAL_TASK_QUEUE' },
    workflows: {
      [C]: {
        workflowId: 'cancel:{provider}:{orderId}',
        start: {
          workflowIdConflictPolicy: 'USE_EXISTING',
          why: 'one running cancellation per order: starting it again while it runs attaches to it',
          staticSummary: 'Cancel {provider} order {orderId} — {reason.code}',
          priority: {
            ...INTERACTIVE_PRIORITY,
            why: 'a single cancel goes ahead of bulk work (priorityKey 1 = first .. 5 = last; the server default is 3)',
          },
        },
        input: file(cancelOrderInputSchema),
        result: file(cancelOrderResultSchema),
        signals: {
          [abortSignal.name]: abortFile,
          [retrySignal.name]: retryFile,
          [confirmCancelledSignal.name]: confirmFile,
          [confirmNotCancelledSignal.name]: confirmFile,
        },
        updates: {
          [abortUpdate.name]: { args: abortFile, result: { type: 'string' }, refusedWhen: 'nothing can be aborted' },
          [retryUpdate.name]: { args: retryFile, result: { type: 'string' }, refusedWhen: 'not AWAITING_OPERATOR' },
          [confirmCancelledUpdate.name]: { args: confirmFile, result: { type: 'string' }, refusedWhen: confirmRefused },
          [confirmNotCancelledUpdate.name]: { args: confirmFile, result: { type: 'string' }, refusedWhen: confirmRefused },
          [waitAcceptedUpdate.name]: {
            result: file(acceptedAnswerSchema),
            refusedWhen: 'never',
            how:
              'no arguments; send with update-with-start (the start options above, conflict policy USE_EXISTING): completes once ' +
              'the verdict is known (ACCEPTED when eligible and held; AWAITING_OPERATOR; or the outcome before the pivot)',
          },
        },
        queries: { [statusQuery.name]: file(cancelStatusSchema) },
      },
      [B]: {
        workflowId: 'bulk-cancel:{provider}:{bulkId}',
        start: {
          priority: {
            priorityKey: BULK_PRIORITY_KEY,
            fairnessKey: '{bulkId}',
            why: 'behind single cancels; bulks share the workers fairly (children copy the priority and fairness key)',
          },
        },
        input: file(publicBulkInput),
        result: file(bulkResultSchema),
        signals: { [abortSignal.name]: abortFile },
        updates: {
          [addOrdersUpdate.name]: {
            args: file(addOrdersArgsSchema),
            result: { type: 'object', properties: { accepted: { type: 'integer' }, duplicate: { type: 'boolean' } } },
            refusedWhen: 'the run is full or draining (message BUSY: send the same chunk again shortly)',
          },
        },
        queries: { [progressQuery.name]: file(bulkProgressSchema) },
      },
    },
    merchantWebhook: {
      url: 'MERCHANT_WEBHOOK_URL',
      signature: 'header X-Signature: sha256=<hex HMAC-SHA256 of the raw body with MERCHANT_WEBHOOK_SECRET>',
      perEvent: {
        body: file(merchantEventSchema),
        idempotencyKey: 'header Idempotency-Key = the event id',
        answer: '2xx taken; 4xx other than 408/429 refused (final); 408, 429, 5xx, timeout: sent again',
      },
      batched: {
        when: 'MERCHANT_DELIVERY=batched: the merchant events of a bulk batch, one POST per step',
        body: file(merchantEventBatchSchema),
        answer: file(merchantBatchAnswerSchema),
        caps: 'MERCHANT_BATCH_MAX_EVENTS events and MERCHANT_BATCH_MAX_BYTES bytes per POST (more: several POSTs)',
        status:
          '2xx with a result per event; 413 splits the POST in halves; another 4xx than 408/429 refuses every event ' +
          'of the POST; 408, 429, 5xx, timeout: the untaken events are sent again (same ids)',
      },
    },
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((a) => [a.name, 'Keyword'])),
    failureTypes: Object.values(ErrorType),
  };
}

/** The zod → JSON Schema step; order ids also get the control-character rule zod checks with a refinement. */
export function toJsonSchema(doc: Doc): Record<string, unknown> {
  const json = z.toJSONSchema(doc.schema, {
    io: doc.io,
    override: (ctx) => {
      if (ctx.zodSchema === orderIdSchema) ctx.jsonSchema.pattern = '^[^\\u0000-\\u001F\\u007F]+$';
    },
  });
  const { $schema, ...rest } = json;
  return { $schema, $id: doc.file, title: doc.title, ...rest };
}
