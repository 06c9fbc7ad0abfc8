// A few zod-like checks, small enough for the workflow bundle: each checks a value at a path, reports issues worded as
// zod 4 words them (same order, same odd cases) and returns what zod would output. plain-checks.ts builds the
// workflows' input checks from them.

export type Key = string | number;
export interface Issue {
  path: Key[];
  message: string;
}
export type Obj = Record<string, unknown>;
/** Checks one value at a path; returns what zod would output, or undefined after reporting an issue. */
export type Check<T> = (v: unknown, at: Key[], out: Issue[]) => T | undefined;

/** One line naming the first bad fields, as describeZodError words it. */
export function describe(issues: Issue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

/** zod's name of what it received. */
function received(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null && typeof proto.constructor === 'function')
      return proto.constructor.name;
  }
  return typeof v;
}

export const expected = (what: string, v: unknown) => `Invalid input: expected ${what}, received ${received(v)}`;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string rule: a length bound (zod measures code points, and applies bounds even to a non-string with a length) or a test. */
type Rule = { min: number; message?: string } | { max: number; message?: string } | [(s: string) => boolean, string];

export const str =
  (rules: Rule[] = []): Check<string> =>
  (v, at, out) => {
    const n = out.length;
    const isString = typeof v === 'string';
    if (!isString) out.push({ path: at, message: expected('string', v) });
    for (const rule of rules) {
      if (Array.isArray(rule)) {
        if (isString && !rule[0](v)) out.push({ path: at, message: rule[1] });
      } else if (v !== null && v !== undefined && (v as { length?: unknown }).length !== undefined) {
        const message = lengthIssue(v as { length: unknown }, rule);
        if (message) out.push({ path: at, message });
      }
    }
    return out.length === n ? (v as string) : undefined;
  };

/** What zod says of a length bound, or undefined when it holds (same comparisons, so the same odd cases). */
function lengthIssue(
  v: { length: unknown },
  rule: { min: number; message?: string } | { max: number; message?: string },
) {
  const units = v.length as number;
  const what = typeof v === 'string' ? 'string' : Array.isArray(v) ? 'array' : 'unknown';
  const unit = what === 'string' ? 'characters' : 'items';
  if ('max' in rule) {
    const length = typeof v === 'string' && units > rule.max ? [...v].length : units;
    if (length <= rule.max) return undefined;
    const bound = what === 'unknown' ? `to be <=${rule.max}` : `to have <=${rule.max} ${unit}`;
    return rule.message ?? `Too big: expected ${what} ${bound}`;
  }
  const length = typeof v === 'string' && units >= rule.min && units < rule.min * 2 ? [...v].length : units;
  if (length >= rule.min) return undefined;
  const bound = what === 'unknown' ? `to be >=${rule.min}` : `to have >=${rule.min} ${unit}`;
  return rule.message ?? `Too small: expected ${what} ${bound}`;
}

export const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, at, out) => {
    if ((values as readonly unknown[]).includes(v)) return v as T;
    out.push({ path: at, message: `Invalid option: expected one of ${values.map((x) => `"${x}"`).join('|')}` });
    return undefined;
  };

export const bool: Check<boolean> = (v, at, out) =>
  typeof v === 'boolean' ? v : void out.push({ path: at, message: expected('boolean', v) });

export const int =
  (min: number, max = Number.MAX_SAFE_INTEGER, maxMessage?: string): Check<number> =>
  (v, at, out) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      return void out.push({ path: at, message: expected('number', v) });
    if (!Number.isInteger(v))
      return void out.push({ path: at, message: 'Invalid input: expected int, received number' });
    const n = out.length;
    unsafe(v, at, out);
    if (v < min) out.push({ path: at, message: `Too small: expected number to be >=${min}` });
    if (v > max) out.push({ path: at, message: maxMessage ?? `Too big: expected number to be <=${max}` });
    return out.length === n ? v : undefined;
  };

/** zod's int is a safe integer: past the range it reports the bound before any other. */
export function unsafe(v: number, at: Key[], out: Issue[]): void {
  if (v < Number.MIN_SAFE_INTEGER)
    out.push({ path: at, message: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}` });
  else if (v > Number.MAX_SAFE_INTEGER)
    out.push({ path: at, message: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}` });
}

/** An optional key: absent or undefined passes (and stays out of the output). */
export const opt =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v, at, out) =>
    v === undefined ? undefined : check(v, at, out);

/** An object of known keys (unknown keys dropped, or kept with `passthrough`), keys checked in order. */
export function object(shape: Record<string, Check<unknown>>, passthrough = false): Check<Obj> {
  return (v, at, out) => {
    if (!isObj(v)) return void out.push({ path: at, message: expected('object', v) });
    const n = out.length;
    const value: Obj = passthrough ? { ...v } : {};
    for (const [key, check] of Object.entries(shape)) {
      const parsed = check(v[key], [...at, key], out);
      if (parsed !== undefined) value[key] = parsed;
    }
    return out.length === n ? value : undefined;
  };
}

export const array =
  <T>(item: Check<T>, max: number, maxMessage: string): Check<T[]> =>
  (v, at, out) => {
    if (!Array.isArray(v)) return void out.push({ path: at, message: expected('array', v) });
    const n = out.length;
    const value = v.map((x, i) => item(x, [...at, i], out) as T);
    if (v.length > max) out.push({ path: at, message: maxMessage });
    return out.length === n ? value : undefined;
  };

export const anything: Check<unknown> = (v) => v;
export const required: Check<unknown> = (v, at, out) =>
  v === undefined ? void out.push({ path: at, message: expected('nonoptional', v) }) : v;
