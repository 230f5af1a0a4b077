"""Drives Microsoft's Python SDK for Dataverse (PowerPlatform-Dataverse-Client, its synchronous client) for the
`python-sdk` benchmark scenario.

One operation is a create of an ``account`` followed by a get of that record by id, as in the Kotlin side's workload.
The process stays up between rounds, so that imports, the connection pool and the SDK's entity-set cache are warm, as
in a long-running application; the benchmark harness drives it over standard input, one command a line:

``run SECONDS``  run the workload on the worker threads for about SECONDS, then print one JSON line:
                 ``{"ops": ..., "verified": ..., "wall_s": ..., "cpu_s": ..., "errors": [...]}`` — ``cpu_s`` is this
                 process's user + system CPU time during the round (``resource.getrusage(RUSAGE_SELF)``, all threads).
``quit``         close the client and exit.

It prints ``ready`` once the client has made one create + get. Arguments: ``--url URL`` (the emulator's base URL),
``--threads N`` (operations in flight), ``--sdk-src DIR`` (the SDK's ``src`` folder, put first on ``sys.path`` when the
SDK is not installed), ``--ca-file PEM`` (a certificate to trust when the emulator serves https), ``--check`` (import
the SDK and its dependencies, print ``ok`` and exit).
"""

import argparse
import json
import resource
import sys
import threading
import time


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--sdk-src")
    parser.add_argument("--ca-file")
    parser.add_argument("--check", action="store_true")
    return parser.parse_args()


class FixedToken:
    """A TokenCredential (azure-core's protocol) returning a fixed bearer token: the emulator accepts any."""

    def __init__(self, token):
        from azure.core.credentials import AccessToken

        self._token = AccessToken(token, int(time.time()) + 24 * 3600)

    def get_token(self, *scopes, **kwargs):
        return self._token


def account_values(i):
    """The columns of the i-th created account, as the Kotlin side's Fixtures.accountValues."""
    return {
        "name": "Benchmark account %d" % i,
        "emailaddress1": "account%d@example.com" % i,
        "telephone1": "+1 425 555 %d" % (1000 + i % 9000),
        "numberofemployees": i % 10000,
    }


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    args = parse_args()
    if args.sdk_src:
        sys.path.insert(0, args.sdk_src)
    try:
        import requests
        from requests.adapters import HTTPAdapter
        from PowerPlatform.Dataverse.client import DataverseClient
    except (ImportError, SyntaxError) as e:  # SyntaxError: an SDK that needs a newer Python
        print("missing: %s" % e, flush=True)
        sys.exit(3)
    if args.check:
        print("ok", flush=True)
        return

    client = DataverseClient(args.url, FixedToken("benchmark-token"))
    client.__enter__()  # the SDK's pooled mode: one requests.Session for every call
    session = client._session
    # requests keeps 10 connections per host by default; with more threads it would drop and reopen connections on
    # every round. A pool as large as the threads keeps one connection per thread, as the Kotlin client does.
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max(10, args.threads))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    if args.ca_file:
        session.verify = args.ca_file

    counter = [0]
    lock = threading.Lock()

    def next_index():
        with lock:
            counter[0] += 1
            return counter[0]

    def operation():
        i = next_index()
        record_id = client.records.create("account", account_values(i))
        record = client.records.get("account", record_id)
        return record.id == record_id

    if not operation():
        print("error: the record read back has another id", flush=True)
        sys.exit(4)
    print("ready", flush=True)

    for line in sys.stdin:
        command = line.split()
        if not command:
            continue
        if command[0] == "quit":
            break
        if command[0] != "run":
            print(json.dumps({"errors": ["unknown command %r" % line.strip()]}), flush=True)
            continue
        seconds = float(command[1])
        ops = [0] * args.threads
        verified = [0] * args.threads
        errors = []
        start = threading.Barrier(args.threads + 1)

        def worker(slot, deadline_box):
            start.wait()
            deadline = deadline_box[0]
            try:
                while time.perf_counter() < deadline:
                    ok = operation()
                    ops[slot] += 1
                    if ok:
                        verified[slot] += 1
            except Exception as e:  # the round fails; the harness reports it
                with lock:
                    errors.append(repr(e))

        deadline_box = [0.0]
        threads = [threading.Thread(target=worker, args=(n, deadline_box), daemon=True) for n in range(args.threads)]
        for thread in threads:
            thread.start()
        cpu0 = cpu_seconds()
        t0 = time.perf_counter()
        deadline_box[0] = t0 + seconds
        start.wait()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - t0
        cpu = cpu_seconds() - cpu0
        print(json.dumps({"ops": sum(ops), "verified": sum(verified), "wall_s": wall, "cpu_s": cpu, "errors": errors[:5]}), flush=True)

    client.close()


if __name__ == "__main__":
    main()
