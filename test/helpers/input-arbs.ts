import fc from 'fast-check';
import { PROVIDER_IDS, REASON_CODES } from '../../src/contract/providers';
import { nastyString } from './fuzz';

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const orJunk = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 12, arbitrary: a }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
const validId = fc.string({ minLength: 1, maxLength: 40, unit: fc.constantFrom(...'abcXYZ0189-_./:#?%é') });
const duration = fc.oneof(
  fc.integer({ min: -5, max: 10 ** 12 }),
  fc.double({ noNaN: true }),
  fc.constantFrom('1ms', '5s', '72h', '3d', '0s', '10x', 'h', '-1h', '99999999999999999999d'),
);

/** Cancel inputs: mostly near-valid records with one or more odd fields, sometimes any JSON at all. */
export const cancelInput = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 6,
    arbitrary: fc.record(
      {
        provider: orJunk(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PROVIDER_IDS) }, nastyString(12))),
        orderId: orJunk(fc.oneof({ weight: 4, arbitrary: validId }, { weight: 1, arbitrary: nastyString(250) })),
        reason: orJunk(
          fc.record(
            {
              code: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...REASON_CODES) }, nastyString(20)),
              note: maybe(
                fc.oneof({ weight: 4, arbitrary: nastyString(80) }, fc.string({ minLength: 490, maxLength: 520 })),
              ),
            },
            { requiredKeys: ['code'] },
          ),
        ),
        requestedBy: maybe(orJunk(nastyString(220))),
        snapshot: maybe(
          orJunk(
            fc.record(
              {
                status: fc.oneof({ weight: 4, arbitrary: validId }, nastyString(110)),
                paid: orJunk(fc.boolean()),
                extra: fc.jsonValue({ maxDepth: 1 }),
              },
              { requiredKeys: [] },
            ),
          ),
        ),
        options: maybe(
          orJunk(
            fc.record(
              { notifyCustomer: orJunk(fc.boolean()), refund: orJunk(fc.boolean()), operatorTimeout: duration },
              { requiredKeys: [] },
            ),
          ),
        ),
        bulkId: maybe(orJunk(nastyString(210))),
      },
      { requiredKeys: ['provider', 'orderId', 'reason'] },
    ),
  },
);

/** Bulk inputs (inline orders; chunked `total` waits for chunks by design, so it is left out). */
export const bulkInput = fc.record(
  {
    provider: orJunk(fc.constantFrom(...PROVIDER_IDS)),
    bulkId: orJunk(fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/) }, nastyString(110))),
    reason: orJunk(fc.record({ code: fc.constantFrom(...REASON_CODES) })),
    orderIds: maybe(fc.array(orJunk(fc.oneof({ weight: 8, arbitrary: validId }, nastyString(210))), { maxLength: 4 })),
    orders: maybe(
      fc.array(
        orJunk(
          fc.record({
            orderId: fc.oneof({ weight: 8, arbitrary: validId }, nastyString(210)),
            snapshot: maybe(orJunk(fc.record({ status: nastyString(20) }))),
          }),
        ),
        {
          maxLength: 4,
        },
      ),
    ),
    batchSize: maybe(orJunk(fc.integer({ min: -1, max: 120 }))),
    concurrency: maybe(orJunk(fc.integer({ min: -1, max: 600 }))),
    limits: maybe(orJunk(fc.record({ historyThreshold: fc.integer({ min: 0, max: 20_000 }) }, { requiredKeys: [] }))),
  },
  { requiredKeys: ['provider', 'bulkId', 'reason'] },
);

/** The one-line refusals name a top-level field of the input (or `input` for the whole value). */
export const CANCEL_FIELD =
  /^(input|provider|orderId|reason(\.code|\.note)?|requestedBy|snapshot(\.\w+)?|options(\.\w+)?|bulkId)[:\s]/;
export const BULK_FIELD =
  /^(input|provider|bulkId|reason(\.\w+)?|orderIds(\.\d+)?|orders(\.\d+(\.\w+)?)?|batchSize|concurrency|limits(\.\w+)?|give exactly one|\d+ invalid order id)/;
