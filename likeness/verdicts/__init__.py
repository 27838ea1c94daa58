"""The rules run over the graph: which subjects a write touches, their verdict spans recomputed and stored."""
