#!/usr/bin/env python3
"""Writes a realistic subscription export: N rows (default 1,000,000) over 48 months, with upgrades,
downgrades, trials, cancellations and returns. Usage: generate.py OUT.csv [ROWS] [SEED]"""
import random
import sys
from datetime import date, timedelta

out, rows, seed = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1000000, int(sys.argv[3]) if len(sys.argv) > 3 else 1
rng = random.Random(seed)
plans = [("basic", 19.0, "month"), ("pro", 49.0, "month"), ("team", 99.0, "month"), ("pro_yearly", 490.0, "year"),
         ("team_quarterly", 280.0, "quarter")]
origin = date(2021, 1, 1)
span = 48 * 30
with open(out, "w") as f:
    f.write("customer_id,subscription_id,plan,amount,interval,interval_count,quantity,currency,start,end,trial_end\n")
    written, customer = 0, 0
    while written < rows:
        customer += 1
        day = rng.randrange(span)
        n = 1 + int(rng.expovariate(0.45))  # subscriptions of this customer, one after another
        for k in range(n):
            if written >= rows or day >= span:
                break
            plan, price, interval = rng.choice(plans)
            qty = 1 if rng.random() < 0.7 else rng.randint(2, 20)
            length = int(rng.expovariate(1 / 300)) + 15
            start = origin + timedelta(days=day)
            ends = day + length < span  # still active at the end of the export otherwise
            end = (origin + timedelta(days=day + length)).isoformat() if ends else ""
            trial = (start + timedelta(days=14)).isoformat() if k == 0 and rng.random() < 0.3 else ""
            cur = "EUR" if rng.random() < 0.15 else "USD"
            f.write(f"cust{customer},sub{written},{plan},{price:.2f},{interval},,{qty},{cur},{start.isoformat()},{end},{trial}\n")
            written += 1
            # upgrade/downgrade: the next one starts the day this ends; a return after a gap otherwise
            day = day + length + (0 if rng.random() < 0.6 else rng.randrange(30, 400))
            if not ends:
                break
