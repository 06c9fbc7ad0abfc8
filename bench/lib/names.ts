/** Scenario names, shared by the sections, the ablations and the findings. */
export const CANCEL = 'cancelOrder';
export const CEILING = 'ceiling (same shape, instant activities)';
export const DIRECT = 'plain script (no Temporal)';
export const ABLATION_BASE = 'ceiling, as is';
export const EAGER_START = 'ceiling, eager workflow start';
export const NO_UPSERTS = 'ceiling without search-attribute upserts';
export const NO_DETAILS = 'ceiling without setCurrentDetails';
export const ALL_REGULAR = 'ceiling, every step a regular activity (shape before 7f95e56)';
export const ALL_LOCAL = 'ceiling, every step a local activity (the pivot too)';
export const NO_IO = 'cancelOrder, instant adapter + hooks';
export const ABLATION_CANCEL = 'cancelOrder (batch)';
