/** Retry budgets live beside the workflows that apply them; activities and the worker read them from here. */
export { DEFAULT_POLICIES, type Policies, type RetrySpec } from '../workflows/policies';
