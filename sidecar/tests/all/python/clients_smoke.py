"""requests and httpx from the registry (ci/fetch-python-packages, mounted at /pkgs) against a
plain and a TLS loopback server: PLAIN_PORT TLS_PORT CA_FILE."""

import asyncio
import sys

sys.path.insert(0, "/pkgs")

import httpx  # noqa: E402
import requests  # noqa: E402

plain, tls, ca = sys.argv[1], sys.argv[2], sys.argv[3]
http_url, https_url = f"http://localhost:{plain}/hello", f"https://localhost:{tls}/"

r = requests.get(http_url, timeout=5)
print("requests", r.status_code, r.headers["content-type"], r.text.strip())
print("requests post", requests.post(f"http://localhost:{plain}/echo", data={"a": "1"}).text.split("\n")[0])
with requests.Session() as s:
    print("session", [s.get(http_url).text.strip() for _ in range(3)])
print("requests https", requests.get(https_url, verify=ca, timeout=5).text)
try:
    requests.get(https_url, timeout=5)  # certifi's roots do not hold the test CA
except requests.exceptions.SSLError as e:
    print("requests untrusted", "CERTIFICATE_VERIFY_FAILED" in str(e))
try:
    requests.get("http://10.255.255.1:80/", timeout=5)
except requests.exceptions.ConnectionError as e:
    print("requests denied", "denied by network policy" in str(e))

with httpx.Client(verify=ca) as c:
    print("httpx", c.get(http_url).text.strip(), c.get(https_url).text)


async def main():
    async with httpx.AsyncClient(verify=ca) as c:
        got = await asyncio.gather(c.get(http_url), c.get(https_url))
        print("httpx async", [g.text.strip() for g in got])


asyncio.run(main())
