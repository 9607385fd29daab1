# Python's subprocess over the same files, run by the host's python3 and by the sandbox's
# (sidecar/tests/all/python_subprocess.rs): every line printed must be the same.
import errno
import os
import subprocess
import sys

print(subprocess.run(["cat", "data.txt"], capture_output=True))
print(subprocess.run(["sort", "-r", "data.txt"], capture_output=True, text=True).stdout, end="")
print(subprocess.check_output("echo $((6 * 7)) | cat; echo to-stderr >&2", shell=True, stderr=subprocess.STDOUT))
print(subprocess.run(["cat"], input=b"from stdin", capture_output=True).stdout)
print(subprocess.run(["wc", "-l"], input="a\nb\nc\n", capture_output=True, text=True).stdout.split())
sys.stdout.flush()
print("inherited:", subprocess.run(["echo", "straight to fd 1"]).returncode)
print(subprocess.run(["sh", "-c", "echo out; echo err >&2; exit 5"], capture_output=True))
print(subprocess.run(["sh", "-c", "echo gone"], stdout=subprocess.DEVNULL).returncode)
print(subprocess.call(["true"]), subprocess.call(["false"]))
print(subprocess.getoutput("printf 'x\\ny\\n'"), subprocess.getstatusoutput("exit 4"))
try:
    subprocess.run(["no-such-command-here"])
except FileNotFoundError as e:
    print("FileNotFoundError", e.errno == errno.ENOENT, e.filename)
try:
    subprocess.run("exit 3", shell=True, check=True)
except subprocess.CalledProcessError as e:
    print(e, e.returncode)
try:
    subprocess.check_output(["sh", "-c", "echo partial; sleep 5"], timeout=0.5)
except subprocess.TimeoutExpired as e:
    print("TimeoutExpired", e.cmd, e.output)
p = subprocess.Popen(["sort"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
p.stdin.write("pear\napple\n")
p.stdin.close()
print(repr(p.stdout.read()), p.wait())
with subprocess.Popen(["printf", "one\\ntwo\\n"], stdout=subprocess.PIPE) as p:
    print([line for line in p.stdout], p.wait())
out, err = subprocess.Popen(
    ["sh", "-c", "cat; echo e >&2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    stderr=subprocess.PIPE,
).communicate(b"piped")
print(out, err)
os.mkdir("sub")
print(subprocess.run(["sh", "-c", "pwd"], cwd="sub", capture_output=True, text=True).stdout.endswith("/sub\n"))
print(subprocess.run(["sh", "-c", "echo $ONLY"], env={"ONLY": "this"}, capture_output=True).stdout)
os.environ["ADDED"] = "later"
print(subprocess.run(["sh", "-c", "echo $ADDED"], capture_output=True).stdout)
with open("written.txt", "w") as f:
    subprocess.run(["echo", "into a file"], stdout=f)
print(open("written.txt").read(), end="")
print(os.popen("echo through popen").read(), end="")
print(subprocess.run(["sh", "-c", "kill -9 $$"]).returncode)
print(subprocess.CalledProcessError.__module__, subprocess.Popen.__module__)
sys.stdout.flush()
print(os.system("echo through os.system; exit 3"), os.system("kill -9 $$"))
