#!/usr/bin/env python3
"""Load the example scenario Bundles into a FHIR server (the compose sandbox's HAPI), then exit.

Usage: seed_fhir.py FHIR_BASE_URL EXAMPLES_DIR
  - waits (up to SEED_WAIT_SECONDS, default 300) until GET {base}/metadata answers 200: HAPI takes a while to start,
    and its distroless image has no shell or curl for a compose health check, so readiness is checked from here;
  - POSTs every *.json under EXAMPLES_DIR whose top level is a transaction or batch Bundle; other JSON files (CDS Hooks
    requests, expected responses, scenario indexes) are skipped by content, not by file name;
  - exits non-zero if any Bundle is rejected or any batch entry fails, so `depends_on: service_completed_successfully`
    never starts the service against a half-loaded server.
Python standard library only (runs in the stock python image with no installs).
"""
import json
import os
import pathlib
import sys
import time
import urllib.error
import urllib.request

FHIR_JSON = "application/fhir+json"


def wait_for_metadata(base: str, deadline_seconds: float) -> None:
    deadline = time.monotonic() + deadline_seconds
    last_error = "no attempt"
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"{base}/metadata", headers={"Accept": FHIR_JSON})
            with urllib.request.urlopen(request, timeout=10) as response:
                if response.status == 200:
                    return
                last_error = f"HTTP {response.status}"
        except (urllib.error.URLError, OSError) as error:
            last_error = str(error)
        time.sleep(3)
    raise SystemExit(f"FHIR server at {base} not ready after {deadline_seconds:.0f} s: {last_error}")


def is_loadable_bundle(document: object) -> bool:
    return (
        isinstance(document, dict)
        and document.get("resourceType") == "Bundle"
        and document.get("type") in ("transaction", "batch")
    )


def failed_entries(response_bundle: dict) -> list[str]:
    statuses = [e.get("response", {}).get("status", "") for e in response_bundle.get("entry", [])]
    return [s for s in statuses if not s.strip().startswith(("200", "201"))]


def post_bundle(base: str, path: pathlib.Path, body: bytes) -> str | None:
    request = urllib.request.Request(
        base, data=body, method="POST", headers={"Content-Type": FHIR_JSON, "Accept": FHIR_JSON})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            failures = failed_entries(json.load(response))
            return f"{path.name}: entries failed with {failures}" if failures else None
    except urllib.error.HTTPError as error:
        return f"{path.name}: HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return f"{path.name}: {error}"


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    base, examples = argv[1].rstrip("/"), pathlib.Path(argv[2])
    if not examples.is_dir():
        print(f"examples directory not found: {examples}", file=sys.stderr)
        return 2

    wait_for_metadata(base, float(os.environ.get("SEED_WAIT_SECONDS", "300")))

    loaded, skipped, errors = 0, 0, []
    for path in sorted(examples.rglob("*.json")):
        body = path.read_bytes()
        try:
            document = json.loads(body)
        except json.JSONDecodeError:
            skipped += 1
            continue
        if not is_loadable_bundle(document):
            skipped += 1
            continue
        error = post_bundle(base, path, body)
        if error:
            errors.append(error)
        else:
            loaded += 1

    # Counts and file names only: the bundles are synthetic, but the seed step logs no resource content on principle.
    print(f"seeded {loaded} bundle(s) into {base}; skipped {skipped} non-bundle file(s); {len(errors)} failure(s)")
    for error in errors:
        print(f"  {error}", file=sys.stderr)
    if loaded == 0:
        print("no transaction/batch Bundle found: nothing to seed", file=sys.stderr)
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
