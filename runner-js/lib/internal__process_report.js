// process.report: Node's diagnostic report as a guest of the sandbox can give it. getReport()
// builds the report with Node 22's sections from what this runtime knows of itself: the header
// (versions, the command line, the sandbox's os view), the JavaScript stack and heap, the
// environment. A guest has no process image of its own, so the native stack, libuv handles,
// user limits and shared objects are empty (npm reads `sharedObjects` and `glibcVersionRuntime`
// to tell the C library: here there is none to name). writeReport() writes it as JSON to a
// file, named as Node names it.

import {
  ArrayPrototypeSlice,
  DateCtor,
  DatePrototypeToISOString,
  ErrorCtor,
  FunctionPrototypeSymbolHasInstance,
  JSONStringify,
  ObjectAssign,
  ObjectDefineProperties,
  StringCtor,
} from '../js/00_primordials.js';
import { makeInvalidArgType } from '../js/06_errors.js';
import { processObject } from '../js/20_exit.js';
import { fsWriteFileSync } from '../js/44_fs_files.js';
import { cpus, hostname, machine, release, type, version } from './os.js';

const settings = {
  __proto__: null,
  compact: false,
  directory: '',
  filename: '',
  reportOnFatalError: false,
  reportOnSignal: false,
  reportOnUncaughtException: false,
  signal: 'SIGUSR2',
  excludeNetwork: false,
  excludeEnv: false,
};

// Node 22's report format version.
const REPORT_VERSION = 5;

let sequence = 0;

function header(trigger, filename, now) {
  const head = {
    reportVersion: REPORT_VERSION,
    event: 'JavaScript API',
    trigger,
    filename,
    dumpEventTime: DatePrototypeToISOString(now),
    dumpEventTimeStamp: StringCtor(now.getTime()),
    processId: processObject.pid,
    threadId: 0,
    cwd: processObject.cwd(),
    commandLine: ArrayPrototypeSlice(processObject.argv),
    nodejsVersion: processObject.version,
    wordSize: 64,
    arch: processObject.arch,
    platform: processObject.platform,
    componentVersions: ObjectAssign({}, processObject.versions),
    release: ObjectAssign({}, processObject.release),
    osName: type(),
    osRelease: release(),
    osVersion: version(),
    osMachine: machine(),
    cpus: cpus(),
    host: hostname(),
  };
  if (!settings.excludeNetwork) head.networkInterfaces = [];
  return head;
}

function build(trigger, filename, err) {
  const now = new DateCtor();
  const isError = FunctionPrototypeSymbolHasInstance(ErrorCtor, err);
  const stack = isError && typeof err.stack === 'string' ? err.stack : '';
  const report = {
    header: header(trigger, filename, now),
    javascriptStack: {
      message: isError ? `${err.name}: ${err.message}` : 'No stack.',
      stack: stack === '' ? ['Unavailable.'] : ArrayPrototypeSlice(stack.split('\n'), 1),
    },
    javascriptHeap: processObject.memoryUsage(),
    nativeStack: [],
    resourceUsage: processObject.resourceUsage(),
    libuv: [],
    workers: [],
    userLimits: {},
    sharedObjects: [],
  };
  if (!settings.excludeEnv) report.environmentVariables = ObjectAssign({}, processObject.env);
  return report;
}

function checkError(err) {
  if (err !== undefined && (err === null || typeof err !== 'object')) {
    throw makeInvalidArgType('err', 'an instance of Error', err);
  }
}

function reportName(now) {
  const pad = (n) => (n < 10 ? `0${n}` : `${n}`);
  const date = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  sequence += 1;
  const seq = `00${sequence}`.slice(-3);
  return `report.${date}.${time}.${processObject.pid}.0.${seq}.json`;
}

function getReport(err) {
  checkError(err);
  return build('GetReport', null, err);
}

function writeReport(file, err) {
  if (typeof file === 'object' && file !== null) {
    err = file;
    file = undefined;
  }
  if (file !== undefined && typeof file !== 'string') {
    throw makeInvalidArgType('file', 'string', file);
  }
  checkError(err);
  const name = file || settings.filename || reportName(new DateCtor());
  const path = settings.directory && name[0] !== '/' ? `${settings.directory}/${name}` : name;
  const report = build('API', name, err);
  const text = settings.compact ? JSONStringify(report) : JSONStringify(report, null, 2);
  fsWriteFileSync(path, `${text}\n`);
  return name;
}

function accessor(key, check) {
  return {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() {
      return settings[key];
    },
    set(value) {
      check(key, value);
      settings[key] = value;
    },
  };
}

function boolean(key, value) {
  if (typeof value !== 'boolean') throw makeInvalidArgType(`report.${key}`, 'boolean', value);
}

function string(key, value) {
  if (typeof value !== 'string') throw makeInvalidArgType(`report.${key}`, 'string', value);
}

/** `process.report`. */
export const report = ObjectDefineProperties(
  { writeReport, getReport },
  {
    compact: accessor('compact', boolean),
    directory: accessor('directory', string),
    filename: accessor('filename', string),
    reportOnFatalError: accessor('reportOnFatalError', boolean),
    reportOnSignal: accessor('reportOnSignal', boolean),
    reportOnUncaughtException: accessor('reportOnUncaughtException', boolean),
    signal: accessor('signal', string),
    excludeNetwork: accessor('excludeNetwork', boolean),
    excludeEnv: accessor('excludeEnv', boolean),
  },
);
