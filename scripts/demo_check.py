"""Fetch the demo's log-in page, then log in as each demo role and fetch its home page: each must answer 200.

Usage: python scripts/demo_check.py http://127.0.0.1:PORT PASSWORD  (scripts/demo-check.sh starts the server).
Only the standard library: it runs where nothing but Python is installed.
"""

from __future__ import annotations

import http.cookiejar
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ROLES = {
    "centre": "center-admin",
    "province": "admin-330000",
    "city": "admin-330100",
    "county": "admin-330106",
    "association": "admin-330106-p001",
    "expert": "expert-330100-1",
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(jar, follow: bool = True):
    handlers = [urllib.request.HTTPCookieProcessor(jar)]
    if not follow:
        handlers.append(NoRedirect())
    return urllib.request.build_opener(*handlers)


def fetch(open_, url: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str, dict]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with open_.open(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace"), dict(exc.headers)


def wait_for(base: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/login/", timeout=5).close()
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                sys.exit("demo-check: the demo server did not start within 60 s")
            time.sleep(0.5)


def login_and_home(base: str, username: str, password: str) -> tuple[int, int, str]:
    jar = http.cookiejar.CookieJar()
    status, _page, _h = fetch(opener(jar), base + "/login/")
    token = next((c.value for c in jar if c.name == "csrftoken"), "")
    posted, _body, headers = fetch(opener(jar, follow=False), base + "/login/",
                                   {"username": username, "password": password, "csrfmiddlewaretoken": token},
                                   {"Referer": base + "/login/"})
    if posted != 302:
        return posted, 0, f"log-in answered {posted}, not a redirect"
    home, page, _h = fetch(opener(jar), base + "/")
    if "/login/" in page and 'name="password"' in page:
        return posted, home, "the home page is the log-in form: not logged in"
    return posted, home, ""


def main() -> None:
    base, password = sys.argv[1].rstrip("/"), sys.argv[2]
    wait_for(base)
    failures = []
    status, _page, _h = fetch(opener(http.cookiejar.CookieJar()), base + "/login/")
    print(f"  login page                      {status}")
    if status != 200:
        failures.append("login page")
    for role, username in ROLES.items():
        posted, home, problem = login_and_home(base, username, password)
        print(f"  {role:<12} {username:<20} home {home}" + (f"  ({problem})" if problem else ""))
        if home != 200 or problem:
            failures.append(role)
    if failures:
        sys.exit(f"demo-check failed: {', '.join(failures)}")
    print("demo-check: every demo role reaches its home page")


if __name__ == "__main__":
    main()
