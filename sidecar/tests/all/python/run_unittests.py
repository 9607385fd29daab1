"""Runs CPython test modules inside the guest and prints one line per test:

    RESULT <ok|fail|error|skip|xfail|xpass> <test id> <milliseconds>

then `DONE <count>`. Usage: python3 run_unittests.py TESTS_DIR [--skip ID]... MODULE...
(e.g. test.test_json). A module that cannot be imported prints `RESULT error <module>` with the
reason on stderr; a test named by --skip is not run (it reports a skip). A test with
failing subtests prints one line for its first failure.
"""
import sys
import time
import unittest

tests_dir, args = sys.argv[1], sys.argv[2:]
skipped, modules = set(), []
while args:
    arg = args.pop(0)
    if arg == "--skip":
        skipped.add(args.pop(0))
    else:
        modules.append(arg)
sys.path.insert(0, tests_dir)


class LineResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.reported = set()
        self.started = 0.0

    def startTest(self, test):
        super().startTest(test)
        self.started = time.monotonic()

    def _line(self, verdict, test):
        if test.id() in self.reported:
            return
        self.reported.add(test.id())
        ms = (time.monotonic() - self.started) * 1000
        print("RESULT", verdict, test.id(), f"{ms:.0f}", flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line("ok", test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line("fail", test)
        print(self._exc_info_to_string(err, test), file=sys.stderr)

    def addError(self, test, err):
        super().addError(test, err)
        self._line("error", test)
        print(self._exc_info_to_string(err, test), file=sys.stderr)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line("skip", test)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._line("xfail", test)

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._line("xpass", test)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._line("fail", test)
            print(self._exc_info_to_string(err, subtest), file=sys.stderr)


def _flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _flatten(item)
        else:
            yield item


loader = unittest.TestLoader()
result = LineResult()
for name in modules:
    try:
        suite = loader.loadTestsFromName(name)
    except Exception as exc:  # noqa: BLE001 - reported, and the run goes on
        print("RESULT error", name, 0, flush=True)
        print(f"{name}: cannot load: {exc!r}", file=sys.stderr)
        continue
    for test in _flatten(suite):
        if test.id() in skipped:
            # Shadowed on the instance: the suite still runs class and module fixtures.
            setattr(test, test._testMethodName, unittest.skip("listed")(lambda: None))
    suite.run(result)
print("DONE", result.testsRun, flush=True)
