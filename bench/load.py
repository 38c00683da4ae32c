"""Requests per second under concurrency: the cockpit against a trivial signed-in page, through gunicorn.

    .venv/bin/python bench/load.py [--targets 10000] [--seconds 30] [--concurrency 8] [--workers 2]
                                   [--data-dir DIR] [--db-worker]

Builds the large demo (`yuanqu demo --size large`, scaled to --targets) in a temporary data folder
on SQLite — or in the PostgreSQL database of DATABASE_URL (empty or demo-only; the demo refuses
anything else), with REDIS_URL as the cache and session store when set — unless --data-dir names a
folder built before (then it is reused as it is). Then starts gunicorn as `make serve` does
(src/yuanqu/gunicorn_conf.py, --workers of them), signs a reader in (the leader), and runs
--concurrency client threads in alternating phases of a few seconds — the cockpit, then the
notification list — for --seconds each in all. Prints each page's requests per second and median
latency, the ratio cockpit ÷ trivial, any answer other than 200, and each gunicorn worker's peak
memory (VmHWM of /proc/<pid>/status). --db-worker also runs `yuanqu db_worker` beside them (as in
production) and prints its peak.
"""

import argparse
import concurrent.futures
import datetime as dt
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "bench-load-2026"
TRIVIAL = "/notifications/"
PAGE = "/cockpit/"
PHASE = 5  # seconds a phase: pages alternate, so a change of the machine's load falls on both


def environment(data_dir: Path, port: int) -> dict[str, str]:
    env = {**os.environ, "YUANQU_DATA_DIR": str(data_dir), "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "HOST": "127.0.0.1", "PORT": str(port), "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0",
        "YUANQU_DEMO_PASSWORD": PASSWORD}
    return env


def yuanqu(env: dict, *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "yuanqu.manage", *args], env=env, check=True, cwd=ROOT,
                          capture_output=True, text=True).stdout


def build(env: dict, targets: int) -> None:
    started = time.monotonic()
    yuanqu(env, "migrate", "--noinput", "-v0")
    out = yuanqu(env, "demo", "--size", "large", "--scale", str(targets / 10_000))
    plan = next((line for line in out.splitlines() if line.startswith("计划 #")), "")
    print(f"built the large demo in {time.monotonic() - started:.0f} s: {plan}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:yuanqu.gunicorn_conf", "--workers", str(workers), "yuanqu.wsgi"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{env['PORT']}/login/"
    until = time.monotonic() + 60
    while time.monotonic() < until:
        try:
            if requests.get(url, timeout=30).status_code == 200:
                return server
        except requests.RequestException:  # not listening yet, or a worker still starting
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer on {url}: {server.stderr.read()[-2000:]}")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def peak_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def sign_in(base: str) -> dict[str, str]:
    session = requests.Session()
    session.get(f"{base}/login/")
    answer = session.post(f"{base}/login/", data={
        "username": "leader", "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/login/"}, allow_redirects=False)
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in (answer {answer.status_code})")
    return session.cookies.get_dict()


def phase(base: str, cookies: dict, url: str, seconds: float, concurrency: int) -> tuple[list[float], dict]:
    """Each thread requests `url` until the phase ends: the latencies, and answers other than 200."""
    until = time.monotonic() + seconds
    lock = threading.Lock()
    latencies, errors = [], {}

    def client():
        with requests.Session() as session:
            session.cookies.update(cookies)
            while time.monotonic() < until:
                start = time.perf_counter()
                code = session.get(base + url, allow_redirects=False).status_code
                with lock:
                    latencies.append(time.perf_counter() - start)
                    if code != 200:
                        errors[code] = errors.get(code, 0) + 1

    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(client) for _ in range(concurrency)]:
            future.result()
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=30, help="per page, in phases of 5 s alternating")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, help="a data folder built before: reused, not rebuilt")
    parser.add_argument("--db-worker", action="store_true", help="also run `yuanqu db_worker`")
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="yuanqu-load-"))
    env = environment(data_dir, free_port())
    if args.data_dir is None:
        build(env, args.targets)
    server = worker = None
    try:
        server = start_gunicorn(env, args.workers)
        worker = subprocess.Popen([sys.executable, "-m", "yuanqu.manage", "db_worker", "--no-reload"], env=env,
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) if args.db_worker else None
        base = f"http://127.0.0.1:{env['PORT']}"
        cookies = sign_in(base)
        for url in (PAGE, TRIVIAL):  # warm every worker: imports, templates, the stored lights
            phase(base, cookies, url, 2, args.concurrency)
        results = {PAGE: ([], {}), TRIVIAL: ([], {})}
        for _ in range(max(1, args.seconds // PHASE)):
            for url in (PAGE, TRIVIAL):
                latencies, errors = phase(base, cookies, url, PHASE, args.concurrency)
                results[url][0].extend(latencies)
                for code, n in errors.items():
                    results[url][1][code] = results[url][1].get(code, 0) + n
        elapsed = max(1, args.seconds // PHASE) * PHASE
        database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
        cache = "Redis" if env.get("REDIS_URL") else "local memory"
        print(f"{database}, cache and sessions: {cache}; {args.workers} gunicorn workers, concurrency "
              f"{args.concurrency}, {elapsed} s per page in {PHASE} s phases alternating ({dt.date.today()})")
        rates = {}
        for url, (latencies, errors) in results.items():
            rates[url] = len(latencies) / elapsed
            print(f"  {url:16} {rates[url]:7.1f} requests/s  median {statistics.median(latencies) * 1000:6.0f} ms"
                  f"  p95 {statistics.quantiles(latencies, n=20)[-1] * 1000:6.0f} ms"
                  + (f"  not 200: {errors}" if errors else ""))
        print(f"  cockpit ÷ trivial: {rates[PAGE] / rates[TRIVIAL]:.2f} of the trivial page's requests/s")
        peaks = ", ".join(f"{peak_mb(pid):.0f} MB" for pid in children(server.pid))
        print(f"  gunicorn workers' peak RSS: {peaks}" + (f"; db_worker {peak_mb(worker.pid):.0f} MB" if worker else ""))
    finally:
        for process in (server, worker):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
        if args.data_dir is None and not env.get("DATABASE_URL"):
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
