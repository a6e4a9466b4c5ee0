#!/usr/bin/python3
"""Writes an event log for the Dask test: N events (default 2,000,000) of N/40 users over 120 days,
with out-of-order rows, quoted fields and four event names. Usage: generate_events.py OUT.csv [N] [SEED]"""
import random
import sys

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 7)
users = max(100, n // 40)
names = ["page_view", "signup", "add_to_cart", "purchase", "search", "\"share, copy\""]
start = 1767225600  # 2026-01-01T00:00:00Z
span = 120 * 86400
with open(out, "w") as f:
    f.write("user_id,timestamp,event\n")
    for i in range(n):
        t = start + int(i / n * span) + (rng.randrange(-7200, 7200) if rng.random() < 0.05 else 0)
        user = int(rng.random() ** 2 * users)
        f.write(f"u{user},{t},{names[int(rng.random() ** 1.5 * len(names))]}\n")
