import { z } from 'zod';

/** `extensions.cost`: the leaky bucket's state, sent with every answer (also a throttled one). */
export const costSchema = z.object({
  requestedQueryCost: z.number().nullish(),
  actualQueryCost: z.number().nullish(),
  throttleStatus: z
    .object({
      maximumAvailable: z.number().nullish(),
      currentlyAvailable: z.number().nullish(),
      restoreRate: z.number().nullish(),
    })
    .nullish(),
});
export type Cost = z.infer<typeof costSchema>;

/** One top-level GraphQL error; `extensions.code` is Shopify's (THROTTLED, ACCESS_DENIED, ...). */
const graphqlErrorSchema = z.object({
  message: z.string().optional(),
  extensions: z
    .object({ code: z.string().optional(), cost: z.union([costSchema, z.number()]).optional() })
    .passthrough()
    .nullish(),
});

/**
 * Every answer's envelope. `errors` is an array for GraphQL errors, but a plain string on the 401/402/403 answers
 * in front of GraphQL (`{"errors":"[API] Invalid API key or access token ..."}`).
 */
export const envelopeSchema = z.object({
  data: z.unknown().optional(),
  errors: z.union([z.array(graphqlErrorSchema), z.string()]).optional(),
  extensions: z.object({ cost: costSchema.optional() }).passthrough().nullish(),
});
export type Envelope = z.infer<typeof envelopeSchema>;
export type GraphqlError = z.infer<typeof graphqlErrorSchema>;

/** The order fields the lookup asks for. */
export const orderSchema = z.object({
  id: z.string().min(1),
  cancelledAt: z.string().nullable(),
  displayFinancialStatus: z.string().nullable(),
  displayFulfillmentStatus: z.string().min(1),
  closed: z.boolean(),
});
export type ShopifyOrder = z.infer<typeof orderSchema>;

/** `data` of the lookup: `order` is null when no such order exists. */
export const lookupDataSchema = z.object({ order: orderSchema.nullable() });

/** `OrderCancelUserError`: `code` is optional in the schema, `message` is not. */
export const userErrorSchema = z.object({
  code: z.string().nullish(),
  field: z.array(z.string()).nullish(),
  message: z.string(),
});
export type UserError = z.infer<typeof userErrorSchema>;

const jobSchema = z.object({ id: z.string().min(1), done: z.boolean() });

/** `data` of the mutation: the payload is null only when the whole request failed (then `errors` says why). */
export const cancelDataSchema = z.object({
  orderCancel: z.object({ job: jobSchema.nullable(), orderCancelUserErrors: z.array(userErrorSchema) }).nullable(),
});

/** `data` of the job poll: `query` is null until the job is done; `job` is null for an unknown job. */
export const jobDataSchema = z.object({
  job: jobSchema
    .extend({
      query: z.object({ order: z.object({ id: z.string(), cancelledAt: z.string().nullable() }).nullable() }).nullish(),
    })
    .nullable(),
});

/** `OrderDisplayFinancialStatus` values that mean money was captured (so the merchant's refund step has work). */
const PAID = ['PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED'];
/** Values that mean nothing was captured: pending, only authorized (voided by the cancel), expired, refunded, voided. */
const NOT_PAID = ['PENDING', 'AUTHORIZED', 'EXPIRED', 'REFUNDED', 'VOIDED'];

/** Whether money is held, from `displayFinancialStatus`; undefined when absent or a value we do not know. */
export function paidFromFinancialStatus(status: string | null): boolean | undefined {
  if (status === null) return undefined;
  if (PAID.includes(status)) return true;
  return NOT_PAID.includes(status) ? false : undefined;
}

/** The one status string the eligibility rules judge: CANCELLED once `cancelledAt` is set, else the fulfilment status. */
export function statusOf(order: ShopifyOrder): string {
  return order.cancelledAt !== null ? 'CANCELLED' : order.displayFulfillmentStatus;
}
