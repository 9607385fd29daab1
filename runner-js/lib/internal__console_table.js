// console.table (Node's lib/internal/console/constructor.js `table` and lib/internal/cli_table.js,
// MIT, Copyright Node.js contributors): the rows and columns of an object, array, Map or Set
// drawn with box characters, cells inspected as Node does (left-aligned).
import { bridge } from 'agentos:bridge';
import {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypeMap,
  ArrayPrototypePush,
  ArrayPrototypeUnshift,
  MathMax,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectValues,
  StringPrototypeRepeat,
} from '../js/00_primordials.js';
import { isMap, isSet } from '../js/01_helpers.js';
import { getStringWidth } from '../js/03_inspect_layout.js';
import { inspect } from '../js/04_inspect.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { utilTypes } from './internal__util_types.js';

const previewEntries = bridge.previewEntries;

function renderRow(row, widths) {
  let out = '\u2502 ';
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    out += cell + StringPrototypeRepeat(' ', widths[i] - getStringWidth(cell));
    if (i !== row.length - 1) out += ' \u2502 ';
  }
  return `${out} \u2502`;
}

function drawTable(head, columns) {
  const rows = [];
  const widths = ArrayPrototypeMap(head, (h) => getStringWidth(h));
  let longest = 0;
  for (let i = 0; i < columns.length; i++) longest = MathMax(longest, columns[i].length);
  for (let i = 0; i < head.length; i++) {
    const column = columns[i];
    for (let j = 0; j < longest; j++) {
      if (rows[j] === undefined) rows[j] = [];
      const value = ObjectPrototypeHasOwnProperty(column, j) ? column[j] : '';
      rows[j][i] = value;
      widths[i] = MathMax(widths[i] || 0, getStringWidth(value));
    }
  }
  const divider = ArrayPrototypeMap(widths, (w) => StringPrototypeRepeat('\u2500', w + 2));
  let result = `\u250c${ArrayPrototypeJoin(divider, '\u252c')}\u2510\n${renderRow(head, widths)}\n\u251c${ArrayPrototypeJoin(divider, '\u253c')}\u2524\n`;
  for (let i = 0; i < rows.length; i++) result += `${renderRow(rows[i], widths)}\n`;
  return `${result}\u2514${ArrayPrototypeJoin(divider, '\u2534')}\u2518`;
}

function cell(v) {
  const depth =
    v !== null && typeof v === 'object' && !ArrayIsArray(v) && ObjectKeys(v).length > 2 ? -1 : 0;
  return inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity, colors: false });
}

function indexColumn(length) {
  const out = [];
  for (let i = 0; i < length; i++) ArrayPrototypePush(out, cell(i));
  return out;
}

/** The table for `data`, or undefined when `data` is not an object (log it as it is). */
export function renderTable(data, properties) {
  if (properties !== undefined && !ArrayIsArray(properties)) {
    throw makeInvalidArgType('properties', 'an instance of Array', properties);
  }
  if (data === null || typeof data !== 'object') return undefined;
  // An iterator is shown without being advanced.
  const mapIter = utilTypes.isMapIterator(data);
  const setIter = utilTypes.isSetIterator(data);
  let isKeyValue = false;
  if (mapIter || setIter) {
    const preview = previewEntries(data);
    data = preview[0];
    isKeyValue = preview[1];
  }
  if (isKeyValue || isMap(data)) {
    const keys = [];
    const values = [];
    if (isKeyValue) {
      for (let i = 0; i + 1 < data.length; i += 2) {
        ArrayPrototypePush(keys, cell(data[i]));
        ArrayPrototypePush(values, cell(data[i + 1]));
      }
    } else {
      for (const { 0: k, 1: v } of data) {
        ArrayPrototypePush(keys, cell(k));
        ArrayPrototypePush(values, cell(v));
      }
    }
    return drawTable(
      ['(iteration index)', 'Key', 'Values'],
      [indexColumn(keys.length), keys, values],
    );
  }
  if (mapIter || setIter || isSet(data)) {
    const values = [];
    for (const v of data) ArrayPrototypePush(values, cell(v));
    return drawTable(['(iteration index)', 'Values'], [indexColumn(values.length), values]);
  }
  const map = { __proto__: null };
  let hasPrimitives = false;
  const primitives = [];
  const indexKeys = ObjectKeys(data);
  for (let i = 0; i < indexKeys.length; i++) {
    const item = data[indexKeys[i]];
    const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object');
    if (properties === undefined && primitive) {
      hasPrimitives = true;
      primitives[i] = cell(item);
    } else {
      const keys = properties || ObjectKeys(item);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k];
        map[key] ??= [];
        if ((primitive && properties) || !ObjectPrototypeHasOwnProperty(item, key))
          map[key][i] = '';
        else map[key][i] = cell(item[key]);
      }
    }
  }
  const keys = ObjectKeys(map);
  const values = ObjectValues(map);
  if (hasPrimitives) {
    ArrayPrototypePush(keys, 'Values');
    ArrayPrototypePush(values, primitives);
  }
  ArrayPrototypeUnshift(keys, '(index)');
  ArrayPrototypeUnshift(values, indexKeys);
  return drawTable(keys, values);
}
