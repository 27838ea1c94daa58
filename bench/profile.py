"""A py-spy profile of the API serving a loaded benchmark world under the sustained provenance load.

    python -m bench.profile --work-dir DIR [--seconds 20] [--clients 16] [--out FILE]

`DIR` is a folder a benchmark run loaded (`python -m bench run --work-dir DIR`, its `import` server).
Needs py-spy (`pip install py-spy`; it reads the API's process, as root or with ptrace allowed). Writes
py-spy's collapsed stacks to `--out` and prints the functions most often on the stack (inclusive) and
on top (exclusive), as shares of the API's samples.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import shutil
import subprocess
import sys
from pathlib import Path

from bench import questions
from bench.servers import Api, Neo4jSpec, neo4j, open_bench_graph


def summarize(collapsed: Path, top: int = 25) -> str:
    inclusive: collections.Counter[str] = collections.Counter()
    exclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        frames = [
            frame.split(" (")[0] + " " + frame.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
            for frame in stack.split(";")
        ]
        total += samples
        for frame in set(frames):
            inclusive[frame] += samples
        exclusive[frames[-1]] += samples
    lines = [f"{total} samples", "", "inclusive:"]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in inclusive.most_common(top)]
    lines += ["", "exclusive:"]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in exclusive.most_common(top)]
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> None:
    if shutil.which("py-spy") is None and not Path(sys.executable).with_name("py-spy").exists():
        raise SystemExit("py-spy is not installed: pip install py-spy")
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    spec = Neo4jSpec(uri=None, data_dir=args.work_dir, heap=args.heap, pagecache=args.pagecache)
    with neo4j(spec, "import") as uri:
        graph = await open_bench_graph(spec, uri)
        api = Api(uri=uri, spec=spec)
        try:
            inputs = await questions.choose_inputs(graph, seed=1, count=2000)
            ids = args.work_dir / "profile-ids.txt"
            ids.write_text("\n".join(random.Random(2).sample(inputs.asset_ids, len(inputs.asset_ids))))
            api.start(log_dir=args.work_dir)
            load = [
                sys.executable,
                "-m",
                "bench.sustained",
                "--port",
                str(api.port),
                "--token",
                api.token,
                "--ids",
                str(ids),
                "--clients",
                str(args.clients),
                "--seconds",
                str(args.seconds + 4),
                "--max-requests",
                "1000000",
            ]
            loader = subprocess.Popen(load, stdout=subprocess.PIPE)
            await asyncio.sleep(2)
            assert api.process is not None
            subprocess.run(
                [
                    spy,
                    "record",
                    "--pid",
                    str(api.process.pid),
                    "--duration",
                    str(args.seconds),
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--output",
                    str(args.out),
                    "--nonblocking",
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            out, _ = loader.communicate()
            print(out.decode().strip())
        finally:
            api.stop()
            await graph.close()
    print(summarize(args.out))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--work-dir", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--heap", default="3g")
    parser.add_argument("--pagecache", default="6g")
    parser.add_argument("--out", type=Path, default=Path("profile.txt"))
    asyncio.run(main(parser.parse_args()))
