"""`python -m bench run --assets N [--out bench/results] …`: the whole benchmark, one command;
`python -m bench probe`: the read queries at a million assets (bench/probe.py);
`python -m bench seed --assets N [--load]`: a synthetic world as a file to import (bench/seed.py)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bench.suite import Options, run
from likeness.errors import LikenessError
from likeness.local_neo4j import LocalNeo4jError


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected zero or more, got {value}")
    return value


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, got {value}")
    return value


def main(argv: list[str] | None = None) -> None:
    defaults = Options()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    go = commands.add_parser(
        "run", help="load a synthetic world twice, then ask each question of API and Cypher"
    )
    go.add_argument("--assets", type=int, default=defaults.assets, help="world size in assets")
    go.add_argument("--seed", type=int, default=defaults.seed)
    go.add_argument(
        "--violations", type=float, default=defaults.violations, help="share of planted violations"
    )
    go.add_argument("--out", type=Path, default=defaults.out, help="where latest.json and latest.md go")
    go.add_argument("--label", default=defaults.label, help="file name of the results (default latest)")
    go.add_argument(
        "--work-dir",
        type=Path,
        default=defaults.work_dir,
        help="the benchmark's own Neo4j data and world files (not the dev data dir)",
    )
    go.add_argument(
        "--wipe", action="store_true", help="with NEO4J_URI: allow emptying that database (before each load)"
    )
    go.add_argument("--heap", default=defaults.heap, help="heap of the benchmark's local Neo4j")
    go.add_argument(
        "--pagecache", default=defaults.pagecache, help="page cache of the benchmark's local Neo4j"
    )
    go.add_argument(
        "--batch",
        type=int,
        default=int(os.environ.get("LIKENESS_IMPORT_BATCH", defaults.batch)),
        help="events per import transaction",
    )
    go.add_argument("--requests", type=int, default=defaults.requests, help="timed requests per question")
    go.add_argument("--warmup", type=int, default=defaults.warmup)
    go.add_argument("--big-page-requests", type=int, default=defaults.big_page_requests)
    go.add_argument(
        "--clients", type=int, default=defaults.clients, help="concurrent clients, sustained load"
    )
    go.add_argument("--seconds", type=float, default=defaults.seconds, help="sustained load duration bound")
    go.add_argument(
        "--max-requests", type=int, default=defaults.max_requests, help="sustained load request bound"
    )
    go.add_argument("--workers", type=int, default=defaults.workers, help="uvicorn worker processes")
    go.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the world an earlier run loaded (same size, seed and share): skip both loads",
    )
    go.add_argument("--skip-raw", action="store_true", help="skip the raw UNWIND load (no ratio)")
    go.add_argument(
        "--no-raw-after",
        action="store_true",
        help="one raw load (before the import) instead of one before and one after",
    )
    go.add_argument(
        "--no-variants",
        action="store_true",
        help="skip the what-if variants (strawberry's default execution, two workers; see bench/variants.py)",
    )
    go.add_argument(
        "--no-peer",
        action="store_true",
        help="skip the peer (@neo4j/graphql on Apollo, bench/peer.py: needs Node 20+ and npm)",
    )
    scale = commands.add_parser(
        "probe",
        help="the read queries (graph layer, no HTTP) at a million assets, "
        "on a graph built for them from a loaded world's verdict spans",
    )
    scale.add_argument(
        "--from-world",
        type=Path,
        default=defaults.work_dir / "import",
        help="the data dir of a Neo4j an earlier run loaded (its spans are copied)",
    )
    scale.add_argument("--assets", type=int, default=1_000_000)
    scale.add_argument(
        "--star-uses", type=int, default=5_000, help="uses of the one person likenessUsage asks about"
    )
    scale.add_argument("--requests", type=int, default=50)
    scale.add_argument("--seed", type=int, default=1)
    scale.add_argument("--work-dir", type=Path, default=defaults.work_dir)
    scale.add_argument("--heap", default=defaults.heap)
    scale.add_argument("--pagecache", default="2g")
    scale.add_argument("--out", type=Path, default=defaults.out / "probe.json")
    world = commands.add_parser(
        "seed",
        help="write a synthetic world in the import format (the same seed, the "
        "same world); --load imports it too, as `likeness import` does",
    )
    world.add_argument("--assets", type=_count, required=True, help="how many assets the world publishes")
    world.add_argument(
        "--seed", type=int, default=0, help="the random seed: the same seed gives the same world"
    )
    world.add_argument("--violations", type=_share, default=0.1, help="share of assets planted as violations")
    world.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the JSON Lines (default: <data dir>/world-<assets>-s<seed>.jsonl)",
    )
    world.add_argument(
        "--load",
        action="store_true",
        help="import the world after writing it (NEO4J_URI, else the local Neo4j)",
    )
    args = parser.parse_args(argv)
    if args.command == "seed":
        from bench.seed import seed

        try:
            status = seed(
                assets=args.assets, seed=args.seed, violations=args.violations, out=args.out, load=args.load
            )
        except (LikenessError, LocalNeo4jError) as error:
            message = error.message if isinstance(error, LikenessError) else str(error)
            print(f"error: {message}", file=sys.stderr)
            status = 1
        raise SystemExit(status)
    if args.command == "probe":
        from bench import probe
        from bench.servers import Neo4jSpec

        spec = Neo4jSpec(uri=None, data_dir=args.work_dir, heap=args.heap, pagecache=args.pagecache)
        probe.run(
            spec,
            args.from_world,
            assets=args.assets,
            star_uses=args.star_uses,
            requests=args.requests,
            seed=args.seed,
            out=args.out,
        )
        return
    options = Options(
        assets=args.assets,
        seed=args.seed,
        violations=args.violations,
        out=args.out,
        label=args.label,
        work_dir=args.work_dir,
        neo4j_uri=os.environ.get("NEO4J_URI") or None,
        neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
        neo4j_password=os.environ.get("NEO4J_PASSWORD", ""),
        neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        wipe=args.wipe,
        heap=args.heap,
        pagecache=args.pagecache,
        batch=args.batch,
        requests=args.requests,
        warmup=args.warmup,
        big_page_requests=args.big_page_requests,
        clients=args.clients,
        seconds=args.seconds,
        max_requests=args.max_requests,
        workers=args.workers,
        reuse=args.reuse,
        skip_raw=args.skip_raw,
        raw_after=not args.no_raw_after,
        variants=not args.no_variants,
        peer=not args.no_peer,
        log=lambda message: print(message, file=sys.stderr, flush=True),
    )
    run(options)


if __name__ == "__main__":
    main()
