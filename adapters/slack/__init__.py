"""The Slack adapter: slack-bolt receives and verifies, this package translates, renders and delivers."""
