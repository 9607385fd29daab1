// 03_inspect_accessor.js: how util.inspect shows an accessor property: `[Getter]`,
// `[Setter]`, `[Getter/Setter]`, or with the `getters` option the getter's value
// (`[Getter: 1]`, `[Getter] { ... }`, `[Getter: <Inspection threw (message)>]`), styled as Node's.

import { ReflectApply } from './00_primordials.js';
import { formatPrimitive } from './02_inspect_base.js';

/** The shown value of accessor `desc` of `value`; `formatValue` formats an object result. */
export function formatAccessor(ctx, value, recurseTimes, desc, formatValue) {
  const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
  const s = ctx.stylize;
  const getters = ctx.getters;
  const wanted =
    getters === true ||
    (getters === 'get' && desc.set === undefined) ||
    (getters === 'set' && desc.set !== undefined);
  if (!wanted) return s(`[${label}]`, 'special');
  try {
    const result = ReflectApply(desc.get, value, []);
    ctx.indentationLvl += 2;
    let str;
    if (result === null)
      str = `${s(`[${label}:`, 'special')} ${s('null', 'null')}${s(']', 'special')}`;
    else if (typeof result === 'object') {
      str = `${s(`[${label}]`, 'special')} ${formatValue(ctx, result, recurseTimes)}`;
    } else {
      str = `${s(`[${label}:`, 'special')} ${formatPrimitive(s, result, ctx)}${s(']', 'special')}`;
    }
    ctx.indentationLvl -= 2;
    return str;
  } catch (err) {
    let message;
    try {
      message = `${err.message}`;
    } catch {
      message = 'unknown';
    }
    return `${s(`[${label}:`, 'special')} <Inspection threw (${message})>${s(']', 'special')}`;
  }
}
