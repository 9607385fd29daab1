# asyncio's subprocesses run by the host's python3 and by the sandbox's
# (sidecar/tests/all/python_subprocess.rs): every line printed must be the same.
import asyncio

PIPE = asyncio.subprocess.PIPE


async def main():
    p = await asyncio.create_subprocess_exec("echo", "hi", stdout=PIPE)
    out, _ = await p.communicate()
    print("exec", out, p.returncode)
    p = await asyncio.create_subprocess_exec("cat", stdin=PIPE, stdout=PIPE, stderr=PIPE)
    print("communicate input", await p.communicate(b"abc"), p.returncode)
    p = await asyncio.create_subprocess_shell(
        "echo out; echo err >&2; exit 3", stdout=PIPE, stderr=PIPE
    )
    lines = [line async for line in p.stdout]
    print("shell", lines, await p.stderr.read(), await p.wait())
    p = await asyncio.create_subprocess_exec("wc", "-c", stdin=PIPE, stdout=PIPE)
    p.stdin.write(b"12345")
    await p.stdin.drain()
    p.stdin.close()
    print("stdin closed", (await p.stdout.read()).strip(), await p.wait())
    p = await asyncio.create_subprocess_exec("true")
    print("no pipes", await p.wait(), p.returncode)
    try:
        await asyncio.create_subprocess_exec("no-such-command-here")
    except FileNotFoundError as e:
        print("missing", e.filename)
    ps = [await asyncio.create_subprocess_exec("echo", str(i), stdout=PIPE) for i in range(3)]
    print("several", [(await p.communicate())[0] for p in ps])
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    class Protocol(asyncio.SubprocessProtocol):
        def __init__(self):
            self.data = []

        def pipe_data_received(self, fd, data):
            self.data.append((fd, data))

        def process_exited(self):
            done.set_result(self.data)

    transport, _ = await loop.subprocess_exec(Protocol, "echo", "proto", stdin=None)
    print("protocol", await done, transport.get_returncode())
    transport.close()


asyncio.run(main())
