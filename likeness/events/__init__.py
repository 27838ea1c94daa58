"""The event contract: one event per mutation (ops, inputs, field parsers, vocabularies).

The API's mutations and the bulk import both speak it; graph writes what it describes. It imports
nothing of the project but `likeness.errors`, so every other room may import it.
"""
