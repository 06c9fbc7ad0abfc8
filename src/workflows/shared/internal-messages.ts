import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, setDefaultSignalHandler, setDefaultUpdateHandler } from '@temporalio/workflow';

// Internal messages (sent by this project's workers and workflows, never by an operator) are served through the
// default signal/update handlers: the SDK's `__temporal_workflow_metadata` query lists only handlers registered by
// name, and the Web UI builds its "Send a Signal" / "Execute Update" menus from that list. The names on the wire do
// not change, so running workflows and senders of any version keep working. Module state is per workflow run (the
// SDK gives each run its own module cache).
// Register a workflow's named handlers before its first internal one: from then on a message with no handler by
// name comes here, not to the SDK's buffer.

type Fn = (...args: unknown[]) => unknown;
const signals = new Map<string, Fn>();
const updates = new Map<string, Fn>();
/** Internal signals that arrived before their handler (the SDK's buffer would have held them). */
const early: { name: string; args: unknown[] }[] = [];

/** Handle an internal signal without listing it in the workflow's metadata (the UI's signal menu). */
export function setInternalSignalHandler<Args extends unknown[]>(
  def: SignalDefinition<Args>,
  handler: (...args: Args) => void,
): void {
  signals.set(def.name, handler as Fn);
  for (const m of early.filter((e) => e.name === def.name)) {
    early.splice(early.indexOf(m), 1);
    handler(...(m.args as Args));
  }
  if (signals.size === 1) setDefaultSignalHandler(onSignal);
}

/** Handle an internal update (no validator: never refused) without listing it in the UI's update menu. */
export function setInternalUpdateHandler<Ret, Args extends unknown[]>(
  def: UpdateDefinition<Ret, Args>,
  handler: (...args: Args) => Promise<Ret>,
): void {
  updates.set(def.name, handler as Fn);
  if (updates.size === 1) setDefaultUpdateHandler(onUpdate);
}

function onSignal(name: string, ...args: unknown[]): void {
  const handler = signals.get(name);
  if (handler) handler(...args);
  else early.push({ name, args });
}

async function onUpdate(name: string, ...args: unknown[]): Promise<unknown> {
  const handler = updates.get(name);
  // Accepted then failed (a handler by name would have rejected it): same message as the SDK's rejection.
  if (!handler) throw ApplicationFailure.nonRetryable(`No registered handler for update: ${name}`);
  return handler(...args);
}
