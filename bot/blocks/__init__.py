"""Block Kit builders: pure functions from values to dicts. No I/O, no Bolt objects."""
