"""Loopback emulators of the services calbot talks to (DESIGN.md §6)."""
