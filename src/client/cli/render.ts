import type { ClientEnv } from '../../config';
import type { CancelStatus, StepRecord } from '../../contract';

/** Outcomes that leave the order cancelled (exit 0); every other outcome exits non-zero. */
export const CANCELLED_OUTCOMES = ['CANCELLED', 'ALREADY_CANCELLED'];

/** The Web UI page of a workflow, when we know where the UI is (TEMPORAL_UI_URL, or the local dev server's). */
export function uiLink(env: ClientEnv, workflowId: string): string | undefined {
  const local = /^(localhost|127\.0\.0\.1):7233$/.test(env.TEMPORAL_ADDRESS);
  const base = env.TEMPORAL_UI_URL ?? (local ? 'http://localhost:8233' : undefined);
  if (!base) return undefined;
  const ns = encodeURIComponent(env.TEMPORAL_NAMESPACE);
  return `${base.replace(/\/+$/, '')}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}`;
}

/** One line per step: name, status, attempts, last error. */
export function stepLines(steps: StepRecord[]): string[] {
  if (steps.length === 0) return ['  (no step has run yet)'];
  return steps.map((s) => {
    const attempts = `${s.attempts} attempt${s.attempts === 1 ? '' : 's'}`;
    const error = s.lastError ? `  last error: ${s.lastError.type}: ${s.lastError.message}` : '';
    const note = s.note ? `  (${s.note})` : '';
    return `  ${s.name.padEnd(14)} ${s.status.padEnd(12)} ${attempts.padEnd(11)}${error}${note}`.trimEnd();
  });
}

/** Shell-quote one argument for a ready-to-paste line. */
export function sh(arg: string): string {
  return /^[A-Za-z0-9_:./@%+=-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** What an operator can do next, as commands to paste. */
export function nextSteps(
  s: Pick<CancelStatus, 'state' | 'outcome' | 'awaiting' | 'providerCancelled' | 'workflowId'>,
): string[] {
  const id = sh(s.workflowId);
  const cli = 'npx cancel-orders';
  if (s.awaiting) {
    const lines = [`${cli} retry ${id}    # run step "${s.awaiting.step}" again with a fresh retry budget`];
    if (s.awaiting.providerState === 'unknown') {
      lines.push(
        `${cli} confirm ${id} --cancelled --by you    # you checked: the provider DID cancel (finish: refund, restock, notify)`,
        `${cli} confirm ${id} --not-cancelled --by you    # you checked: it did NOT (release the hold, end not cancelled)`,
        `${cli} abort ${id} --reason '...'    # stop without knowing: the hold stays, the merchant is told the state is unknown`,
      );
      return lines;
    }
    if (s.awaiting.abortAllowed) {
      lines.push(`${cli} abort ${id} --reason '...'    # stop; the hold is released, nothing was cancelled`);
    } else {
      lines.push(`${cli} abort ${id} --reason '...' --signal    # skip what is left (the provider cancel stays)`);
    }
    return lines;
  }
  switch (s.outcome) {
    case undefined:
      return s.providerCancelled
        ? [`wait: the provider already cancelled; the merchant steps are running (${cli} status ${id})`]
        : [`wait (${cli} status ${id}), or stop it: ${cli} abort ${id} --reason '...'`];
    case 'CANCELLED':
    case 'ALREADY_CANCELLED':
      return ['nothing: the order is cancelled'];
    case 'NOT_ELIGIBLE':
      return ['the provider no longer lets this order be cancelled: handle it as a return/refund outside this tool'];
    case 'REJECTED':
      return ['read the last error above; the hold was released. Fix the cause, then start the cancellation again'];
    case 'FAILED':
      return ['a configuration or input problem (see the last error): fix it, then start the cancellation again'];
    case 'ABORTED':
      if (s.providerCancelled === 'unknown')
        return ['aborted while the provider state was unknown: check the order at the provider; the hold is still on'];
      return s.providerCancelled
        ? ['aborted after the provider cancel: do the skipped merchant steps (refund/restock) by hand']
        : ['aborted before the provider cancel: the order is not cancelled; start again if it should be'];
  }
}
