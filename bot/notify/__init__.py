"""Booking notifications: Cal.com's webhook deliveries in, Slack messages out.

`endpoint` verifies and stores a delivery in the outbox in one transaction and answers at
once; `worker` posts outbox rows to Slack, each exactly once, surviving restarts; `events`
reads Cal.com's payloads (quirks included); the SQL of both tables is
`bot/store/notifications.py`.
"""
