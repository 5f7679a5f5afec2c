"""Bolt listeners grouped by surface; each module has `register(app, rt)`."""
