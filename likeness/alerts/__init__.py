"""Alerts: what each change tells the parties it concerns, written with the change (an outbox in Neo4j),
the clock that emits time-driven alerts, and their delivery by webhook and subscription."""
