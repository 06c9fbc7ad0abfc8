/**
 * Dynamic config the local dev server runs with (production: deploy/temporal/dynamicconfig.yaml). Task priority
 * needs the priority-aware matcher, fairness keys need fairness (which implies that matcher). Set explicitly: their
 * defaults are off in the server releases we read and have changed between releases; without them the keys are
 * recorded on each workflow but its tasks are dispatched in arrival order.
 */
export const DEV_DYNAMIC_CONFIG: Readonly<Record<string, boolean | number | string>> = {
  'matching.useNewMatcher': true,
  'matching.enableFairness': true,
};

/** `--dynamic-config-value KEY=JSON` arguments for `temporal server start-dev`. */
export function dynamicConfigArgs(config: Readonly<Record<string, unknown>> = DEV_DYNAMIC_CONFIG): string[] {
  return Object.entries(config).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${JSON.stringify(v)}`]);
}
