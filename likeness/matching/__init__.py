"""Sightings matched to what they show: the assets (MATCHES) and the captures (RESEMBLES) with the same
sha256 or a phash within distance 8, in the writing transaction."""
