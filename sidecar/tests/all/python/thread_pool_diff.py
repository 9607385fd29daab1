"""concurrent.futures' ThreadPoolExecutor and asyncio's default executor: the results the host's
Python prints, though here the work runs on the caller's thread."""

import asyncio
import concurrent.futures as cf
import logging

ex = cf.ThreadPoolExecutor(max_workers=4)


def outer(n):
    return [ex.submit(lambda k: k * 10, k).result() for k in range(n)]


print("nested", ex.submit(outer, 3).result())
failed = ex.submit(lambda: 1 / 0)
print("raised", type(failed.exception()).__name__)
print("as_completed", sorted(f.result() for f in cf.as_completed([ex.submit(pow, 2, i) for i in range(4)])))
print("map", list(ex.map(str.upper, ["a", "b"])))
ex.shutdown()
try:
    ex.submit(print, 1)
except RuntimeError as e:
    print("after shutdown:", e)

calls = []
with cf.ThreadPoolExecutor(initializer=calls.append, initargs=("init",)) as pool:
    print("initializer", list(pool.map(str, [1, 2])), calls)


def bad():
    raise ValueError("no")


logging.disable(logging.CRITICAL)  # CPython logs the initializer's traceback
broken = cf.ThreadPoolExecutor(initializer=bad)
try:
    broken.submit(print, "never").result()
except cf.BrokenExecutor as e:
    print("broken:", type(e).__name__)


async def main():
    a = await asyncio.to_thread(sum, [1, 2, 3])
    b = await asyncio.get_running_loop().run_in_executor(None, max, 4, 9)
    return a, b


print("asyncio", asyncio.run(main()))
