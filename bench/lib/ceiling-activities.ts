import { DEFAULT_POLICIES } from '../../src/contract';

export interface CeilingInput {
  provider: string;
  orderId: string;
  reason: { code: string; note?: string };
  /** Diagnostics: change one ingredient to see what it costs. */
  variant?: {
    noUpserts?: boolean;
    noDetails?: boolean;
    /** Default: only the lookup and the pivot are regular activities, on the provider's queue (as in cancelOrder). */
    activities?: 'all-regular' | 'all-local';
  };
}

export interface CeilingCall {
  step: string;
  workflowId: string;
  key: string;
  provider: string;
  orderId: string;
}

/** Activities of the ceiling workflow: they answer at once, with results the size of the real ones. */
export function createCeilingActivities() {
  return {
    async prepareCancellation(call: CeilingCall) {
      const verdict = 'ELIGIBLE';
      return { verdict, source: 'provider', status: 'PAID', paid: true, policies: DEFAULT_POLICIES, attempt: 1, id: call.orderId };
    },
    async cancelAtProvider(call: CeilingCall) {
      return { orderId: call.orderId, status: 'CANCELLED', attempt: 1 };
    },
    async merchantHook(_call: CeilingCall) {
      return { result: 'done', attempt: 1 };
    },
    async merchantSteps(calls: CeilingCall[]) {
      return { results: calls.map(() => 'done'), attempt: 1 };
    },
  };
}

export type CeilingActivities = ReturnType<typeof createCeilingActivities>;
