/**
 * The contract: everything a caller (in any language) and the worker agree on. Workflow names and ids, inputs and
 * results (zod schemas), messages, states and outcomes, search attributes, steps and merchant events, policies and
 * the error taxonomy. Client, worker, workflows and activities import from here; this imports nothing of theirs.
 */
export * from './bulk-input';
export * from './bulk-messages';
export * from './bulk-model';
export * from './errors';
export * from './events';
export * from './evidence';
export * from './ids';
export * from './input';
export * from './messages';
export * from './model';
export * from './plain-checks';
export * from './policies';
export * from './priority';
export * from './providers';
export * from './rules';
export * from './search-attributes';
export * from './workflows';
