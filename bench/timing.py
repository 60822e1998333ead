"""Timing helpers shared by the cases: N requests after WARMUP ones, p50 and p95 in milliseconds."""

import gc
import os
import statistics
import time

N = int(os.environ.get("BENCH_N", "200"))
WARMUP = 20


def content(response):
    """The body's bytes, streamed or not (reading a streamed body is part of the request's time)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    response.body = content(response)
    return response


def series(call, n=N, warmup=WARMUP):
    """Milliseconds of n calls of call(i) after warmup ones."""
    gc.collect()
    for i in range(warmup):
        call(i)
    samples = []
    for i in range(warmup, warmup + n):
        start = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def url_series(client, urls):
    """Milliseconds of N GET requests after WARMUP ones, cycling through urls."""
    return series(lambda i: get(client, urls[i % len(urls)]))


def summary(samples):
    return {
        "p50": round(statistics.median(samples), 2),
        "p95": round(statistics.quantiles(samples, n=100, method="inclusive")[94], 2),
    }
