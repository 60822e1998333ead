"""Kiezwerk's benchmark: `python -m bench` (bench/README.md)."""

import os


def _concerns():
    value = os.environ.get("BENCH_CONCERNS", "100000").replace("_", "").replace(",", "")
    if not value.isdigit() or int(value) < 1000:
        raise SystemExit(f"BENCH_CONCERNS={value!r}: a number of concerns of at least 1000 (e.g. 1000, 10000, 100000)")
    return int(value)


CONCERNS = _concerns()  # in the measured district, bench-01
