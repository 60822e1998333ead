"""Kiezwerk's benchmark: `make bench` (see README.md)."""
