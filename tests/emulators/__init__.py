"""Loopback emulators of the services calbot talks to (README, "How it is built")."""
