# Python's urllib.request against one loopback server (argv[1]: its origin), run by the host's
# python3 and by the sandbox's (sidecar/tests/all/python_urllib.rs): every line printed must be
# the same.
import sys
import urllib.error
import urllib.request

base = sys.argv[1]

with urllib.request.urlopen(base + "/hello") as r:
    print(r.status, r.reason, r.version, r.getheader("content-type"), r.getcode())
    print(r.read(), r.geturl() == base + "/hello")
r = urllib.request.urlopen(base + "/moved")
print(r.status, r.geturl() == base + "/hello", r.read())
try:
    urllib.request.urlopen(base + "/missing")
except urllib.error.HTTPError as e:
    print("HTTPError", e.code, e.reason, e.read(), e.headers["content-length"])
try:
    urllib.request.urlopen(base + "/loop")
except urllib.error.HTTPError as e:
    print("HTTPError", e.code, e.reason)
print(urllib.request.urlopen(base + "/echo", data=b"a=1&b=2").read())
req = urllib.request.Request(base + "/echo", headers={"X-A": "1"}, method="DELETE")
print(urllib.request.urlopen(req).read())
req = urllib.request.Request(
    base + "/echo", data=b'{"k": [1]}', headers={"Content-Type": "application/json"}
)
print(urllib.request.urlopen(req).read())
print(urllib.request.urlopen(base + "/see-other", data=b"x=1").read())
with urllib.request.urlopen(base + "/hello") as r:
    print(r.read(2), r.read(2), r.read())
print(urllib.request.build_opener().open(base + "/hello").read())
