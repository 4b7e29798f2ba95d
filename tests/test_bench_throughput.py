"""bench/throughput.py reads wrk's report and says which targets were met.

No timing is asserted: a canned wrk report and a canned run go through the same
code the bench uses.
"""

from __future__ import annotations

from bench.throughput import parse_wrk, table, targets

WRK_REPORT = """Running 10s test @ http://127.0.0.1:8180/en/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.31ms    4.20ms  80.00ms   90.00%
    Req/Sec   320.00     40.00   400.00     70.00%
  Latency Distribution
     50%   11.00ms
     75%   13.00ms
     90%   16.00ms
     99%    1.20s
  6400 requests in 10.00s, 50.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    640.25
Transfer/sec:      5.00MB
"""


def test_parse_wrk():
    assert parse_wrk(WRK_REPORT) == {
        "rps": 640.2,
        "p99_ms": 1200.0,
        "non_2xx": 3,
        "socket_errors": "connect 0, read 0, write 0, timeout 2",
    }
    assert parse_wrk(WRK_REPORT.replace("1.20s", "850.00us"))["p99_ms"] == 0.85


def rows(**rps: float) -> dict:
    return {
        name.replace("_", " "): {"rps": value, "p99_ms": 5.0, "non_2xx": 0,
                                 "socket_errors": ""}
        for name, value in rps.items()
    }  # fmt: skip


def test_targets_and_table():
    uncached = rows(home=100, article=300, timeline=50, static_CSS=2000, floor=1000)
    cached = rows(home=1500, article=900, timeline=1000, static_CSS=2000, floor=1000)
    run = {"uncached": {"rows": uncached}, "cached": {"rows": cached}}
    assert targets(run) == [
        "- uncached article page: 30.0% of the floor's throughput (target ≥ 25%): met",
        "- cached home: 75.0% of the static file's (target ≥ 50%): met",
        "- cached article: 45.0% of the static file's (target ≥ 50%): MISSED",
        "- cached timeline: 50.0% of the static file's (target ≥ 50%): met",
    ]
    text = table(run)
    assert "| article | 300 | 5.0 | 15% | 30% | 900 | 5.0 | 45% | 90% |" in text
    assert "Errors" not in text
