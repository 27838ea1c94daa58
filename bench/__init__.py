"""The scale benchmark: a synthetic world loaded through `likeness import` and a raw UNWIND load,
then each question asked through the API over HTTP and as hand-written Cypher, side by side.

`python -m bench run --assets N` (or `bench/run.sh`) writes bench/results/latest.json and latest.md;
docs/performance.md reads them.
"""
