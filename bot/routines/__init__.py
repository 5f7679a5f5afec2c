"""Your day in Slack, on a schedule: the daily agenda DM, bookings syncs and reminders.

`worker` claims due rows of the `jobs` table (bot/store/routines.py) in batches, like the
notify outbox, and runs them concurrently; `jobs` decides and posts one job; `pacing`
keeps posts within Slack's per-channel rate. Everything lives in SQLite, so a restart or
a second process sharing the database continues where the last left off.
"""
