#!/usr/bin/python3
"""Runs pmkpi's records engines on a Dask cluster (docs/PARTIALS.md).

    dask_records.py events|subscriptions INPUT.csv [--scheduler tcp://HOST:8786 | --local N]
                    [--shards K] [--key COLUMN] [--pmkpi PATH] [--workdir DIR] [--out FILE] [-- PMKPI OPTIONS]

1. Splits INPUT.csv into K shard files by a hash (CRC-32) of the key column (user_id for events,
   customer_id for subscriptions, or --key), so that each user or customer is in one shard.
2. Runs `pmkpi records KIND --partial [PMKPI OPTIONS] SHARD` for each shard on the cluster's
   workers (client.map), each returning its partial state.
3. Runs `pmkpi records merge` on the states and writes the answer (standard output, or --out):
   the same JSON as `pmkpi records KIND [PMKPI OPTIONS] INPUT.csv` in one process.

--local N starts a LocalCluster of N worker processes (default 4); --scheduler connects to a
running scheduler instead. With a real cluster, --workdir must be a directory every worker sees
(NFS, a shared volume) and --pmkpi the binary's path on the workers.
Dask distributed comes from Debian: apt-get install python3-distributed.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import zlib

DEFAULT_KEY = {"events": "user_id", "subscriptions": "customer_id"}


def split(path, key, shards, workdir):
    """Writes the header and every row of `path` into one of `shards` files by the key's hash."""
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8", errors="surrogateescape") as f:
        reader = csv.reader(f)
        header = next(reader)
        names = [h.strip().lstrip("\ufeff") for h in header]
        if key not in names:
            sys.exit(f"dask_records: {path} has no column {key!r} (columns: {', '.join(names)}); give --key")
        k = names.index(key)
        files = [os.path.join(workdir, f"shard-{i}.csv") for i in range(shards)]
        outs = [open(p, "w", newline="", encoding="utf-8", errors="surrogateescape") for p in files]
        writers = [csv.writer(o, lineterminator="\n") for o in outs]
        for w in writers:
            w.writerow(header)
        for row in reader:
            cell = row[k].strip() if k < len(row) else ""
            writers[zlib.crc32(cell.encode("utf-8", "surrogateescape")) % shards].writerow(row)
        for o in outs:
            o.close()
    return files


def partial(pmkpi, kind, options, shard):
    """On a worker: the partial state of one shard, as the text pmkpi printed (or its 422)."""
    run = subprocess.run([pmkpi, "records", kind, "--partial", *options, shard], capture_output=True)
    if run.returncode not in (0, 1):
        raise RuntimeError(f"pmkpi failed on {shard}: {run.stderr.decode(errors='replace')}")
    state = shard + ".state.json"
    with open(state, "wb") as f:
        f.write(run.stdout)
    return state, run.returncode, len(run.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["events", "subscriptions"])
    parser.add_argument("input")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786)")
    parser.add_argument("--local", type=int, default=4, help="worker processes of a LocalCluster (default 4)")
    parser.add_argument("--shards", type=int, help="shard files (default: the number of workers)")
    parser.add_argument("--key", help="the column to split by (default user_id or customer_id)")
    parser.add_argument("--pmkpi", default=os.environ.get("PMKPI_CLI", "pmkpi"))
    parser.add_argument("--workdir", help="where the shards and states go (default: a temporary directory)")
    parser.add_argument("--out", help="write the answer here instead of standard output")
    args, rest = parser.parse_known_args()
    options = rest[1:] if rest[:1] == ["--"] else rest

    from dask.distributed import Client, LocalCluster

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.local, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        workers = len(client.scheduler_info()["workers"])
        shards = args.shards or max(1, workers)
        workdir = args.workdir or tempfile.mkdtemp(prefix="pmkpi-dask-")
        t0 = time.perf_counter()
        files = split(args.input, args.key or DEFAULT_KEY[args.kind], shards, workdir)
        t1 = time.perf_counter()
        futures = client.map(partial, [args.pmkpi] * shards, [args.kind] * shards, [options] * shards, files, pure=False)
        states = client.gather(futures)
        t2 = time.perf_counter()
        for state, code, size in states:
            if code != 0:
                with open(state, encoding="utf-8") as f:
                    sys.stderr.write(f"dask_records: {state}: {f.read()}")
                return 1
        merge = subprocess.run([args.pmkpi, "records", "merge", *[s for s, _, _ in states]], capture_output=True)
        t3 = time.perf_counter()
        if args.out:
            with open(args.out, "wb") as f:
                f.write(merge.stdout)
        else:
            sys.stdout.buffer.write(merge.stdout)
        sizes = ", ".join(f"{size / 2**20:.1f}" for _, _, size in states)
        sys.stderr.write(f"dask_records: {workers} workers, {shards} shards: split {t1 - t0:.2f} s, "
                         f"partial states {t2 - t1:.2f} s ({sizes} MiB), merge {t3 - t2:.2f} s\n")
        return merge.returncode
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    sys.exit(main())
