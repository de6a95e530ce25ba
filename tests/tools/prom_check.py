#!/usr/bin/python3
"""Reads what nrm's GET /metrics answered as Prometheus would, and prints every sample as JSON.

    /usr/bin/python3 tests/tools/prom_check.py FILE

Used by tests/api/observability.c to check src/http/metrics.c and src/api/health.c against a
reader it did not write: the text-format parser of Debian's python3-prometheus-client. Prints
one JSON object {"NAME{label=value,...}": value, ...} (labels sorted by name) and exits 0; exits
1 naming the problem on stderr when the text does not parse, a family has no TYPE, a histogram's
buckets are not cumulative, or its _count is not its +Inf bucket.
"""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    out, problems = {}, []
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser raises ValueError and others on bad text
        print(f"not Prometheus text: {e}", file=sys.stderr)
        return 1
    for f in families:
        if f.type == "unknown":
            problems.append(f"{f.name}: no TYPE")
        buckets = {}
        for s in f.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
            out[f"{s.name}{{{labels}}}"] = s.value
            if f.type == "histogram" and s.name.endswith("_bucket"):
                key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
                buckets.setdefault(key, []).append((float(s.labels["le"]), s.value))
        for key, bs in buckets.items():
            values = [v for _, v in sorted(bs)]
            if values != sorted(values):
                problems.append(f"{f.name}{dict(key)}: buckets not cumulative")
            labels = ",".join(f"{k}={v}" for k, v in key)
            if out.get(f"{f.name}_count{{{labels}}}") != values[-1]:
                problems.append(f"{f.name}{dict(key)}: _count is not the +Inf bucket")
    for p in problems:
        print(p, file=sys.stderr)
    print(json.dumps(out, sort_keys=True))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
