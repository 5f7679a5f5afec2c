"""What calbot does, independent of Slack: services take plain values, never Bolt objects."""
