# asyncio run by the host's python3 and by the sandbox's (sidecar/tests/all/python.rs):
# every line printed must be the same.
import asyncio

order = []


async def work(name, delay):
    await asyncio.sleep(delay)
    order.append(name)
    return name


async def produce(queue):
    for i in range(3):
        await queue.put(i)
    await queue.put(None)


async def ticks(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i


async def main():
    print(await asyncio.gather(work("b", 0.02), work("a", 0.01), work("c", 0)))
    print(order)
    try:
        await asyncio.wait_for(asyncio.sleep(5), 0.05)
    except TimeoutError:
        print("wait_for timed out")
    try:
        async with asyncio.timeout(0.02):
            await asyncio.sleep(5)
    except TimeoutError:
        print("timeout() timed out")
    task = asyncio.create_task(work("task", 0.01))
    print(task.done(), await task, task.done())
    queue = asyncio.Queue()
    asyncio.create_task(produce(queue))
    got = []
    while (item := await queue.get()) is not None:
        got.append(item)
    print(got)
    event, lock, sem = asyncio.Event(), asyncio.Lock(), asyncio.Semaphore(2)
    asyncio.get_running_loop().call_later(0.01, event.set)
    await event.wait()
    async with lock, sem:
        print("event set, lock and semaphore held", lock.locked())
    async with asyncio.TaskGroup() as group:
        first = group.create_task(work("g1", 0.01))
        second = group.create_task(work("g2", 0))
    print(first.result(), second.result())
    print([i async for i in ticks(3)])
    done = [await f for f in asyncio.as_completed([work("x", 0.02), work("y", 0.01)])]
    print(done)
    cancelled = asyncio.create_task(asyncio.sleep(5))
    await asyncio.sleep(0)
    cancelled.cancel()
    try:
        await cancelled
    except asyncio.CancelledError:
        print("cancelled", cancelled.cancelled())
    return "done"


print(asyncio.run(main()))
print(asyncio.run(work("again", 0)))
